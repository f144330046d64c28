import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfToken, decodeHtml, signIn, type TestContext } from '../helpers/test-app.js';
import { publishCourse, sample } from '../helpers/launch.js';

describe('Preview commits need the session CSRF token like every other state-changing request', () => {
  let ctx: TestContext;
  let versionId: number;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    versionId = await publishCourse(ctx.app, 'tr', 'G12', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
  });
  afterEach(() => ctx.close());

  const body = { cmi: { core: { lesson_location: 'p1' } }, seq: 1 };

  it('accepts a commit sent to the URL the preview page gives its player (the token rides in it, for beacons too)', async () => {
    const { agent } = await signIn(ctx.app, 'tr');
    const page = await agent.get(`/preview/${versionId}`).expect(200);
    const config = JSON.parse(decodeHtml(/<script type="application\/json" id="launch-config">([\s\S]*?)<\/script>/.exec(page.text)![1])) as { commitUrl: string };
    const url = new URL(config.commitUrl, 'http://x');
    expect(url.pathname).to.equal(`/scorm/preview-commit/${versionId}`);
    expect(url.searchParams.get('_csrf')).to.be.a('string').and.not.equal('');
    await agent.post(url.pathname + url.search).send(body).expect(200, { result: true, errorCode: 0 });
    await agent.post(url.pathname + url.search).set('Content-Type', 'text/plain;charset=UTF-8').send(JSON.stringify(body)).expect(200, { result: true, errorCode: 0 });
  });

  it('refuses a commit without a token, or with another session\'s, with 403', async () => {
    const { agent } = await signIn(ctx.app, 'tr');
    await agent.get(`/preview/${versionId}`).expect(200);
    const res = await agent.post(`/scorm/preview-commit/${versionId}`).set('Accept', 'application/json').send(body).expect(403);
    expect(res.body.error.code).to.equal('CSRF_INVALID');
    const other = await signIn(ctx.app, 'tr');
    const foreign = await csrfToken(other.agent, '/trainer');
    await agent.post(`/scorm/preview-commit/${versionId}?_csrf=${encodeURIComponent(foreign)}`).send(body).expect(403);
    await agent.post(`/scorm/preview-commit/${versionId}`).set('X-CSRF-Token', await csrfToken(agent, '/trainer')).send(body).expect(200, { result: true, errorCode: 0 });
  });
});
