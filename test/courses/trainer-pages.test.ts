import { expect } from 'chai';
import path from 'node:path';
import { buildTestApp, createBranch, createUser, signIn, csrfFrom, decodeHtml, type TestContext } from '../helpers/test-app.js';
import { SAMPLES_DIR } from '../helpers/samples.js';

describe('trainer course pages', () => {
  let ctx: TestContext;
  let agent: Awaited<ReturnType<typeof signIn>>['agent'];

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    agent = (await signIn(ctx.app, 'tr')).agent;
  });
  afterEach(() => ctx.close());

  it('uploads through the plain form, shows the parsed result, edits metadata and publishes', async () => {
    const list = await agent.get('/trainer').expect(200);
    const action = decodeHtml(/<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(list.text)![1]);
    const res = await agent.post(action).field('code', 'SEQ').attach('package', path.join(SAMPLES_DIR, 'golf-SequencingPostTestRollup-SCORM2004-4th.zip')).expect(302);
    expect(res.headers.location).to.equal('/trainer/courses/SEQ?uploaded=1');
    const detail = await agent.get('/trainer/courses/SEQ').expect(200);
    expect(detail.text).to.contain('2004-4th');
    expect(decodeHtml(detail.text)).to.contain('shared/launchpage.html?content=playing');
    const bad = await agent.post('/trainer/courses/SEQ').type('form').send({ _csrf: csrfFrom(detail.text), title: '', validityMonths: '500' }).expect(422);
    expect(bad.text).to.contain('id="title-error"');
    expect(bad.text).to.contain('id="validityMonths-error"');
    await agent.post('/trainer/courses/SEQ').type('form').send({ _csrf: csrfFrom(detail.text), title: '高尔夫礼仪', description: '说明', validityMonths: '12', passMark: '80', attemptsLimit: '', completionRule: 'rollup', countedAttempt: 'highest' }).expect(302);
    await agent.post('/trainer/courses/SEQ/publish').type('form').send({ _csrf: csrfFrom(detail.text) }).expect(302);
    const row = ctx.app.lms.db.prepare('SELECT title, pass_mark, counted_attempt, status FROM courses WHERE code = ?').get('SEQ');
    expect(row).to.deep.equal({ title: '高尔夫礼仪', pass_mark: 80, counted_attempt: 'highest', status: 'published' });
  });

  it('lists every problem of a refused package on the page', async () => {
    const list = await agent.get('/trainer');
    const action = decodeHtml(/<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(list.text)![1]);
    const res = await agent.post(action).attach('package', path.join(SAMPLES_DIR, 'broken-captivate9-placementtest-missing-launch-SCORM12.zip')).expect(422);
    expect(res.text).to.contain('index_scorm.html');
    expect(res.text).to.contain('PACKAGE_LAUNCH_FILE_MISSING');
  });
});
