// The content origin (server/courses/content.app.ts): capability URLs, no cookies, the launcher
// page, the security headers, and the same traversal protections as the /content route.
import { expect } from 'chai';
import path from 'node:path';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse } from '../helpers/launch.js';
import { writeZip } from '../helpers/zip-builder.js';

const CONTENT_ORIGIN = 'http://content.test:4001';
const MANIFEST = `<?xml version="1.0"?>
<manifest identifier="C" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>课程</title>
    <item identifier="I1" identifierref="R1" parameters="?page=2"><title>第一课</title></item></organization></organizations>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="lesson/index.html"><file href="lesson/index.html"/></resource></resources>
</manifest>`;

describe('content origin app', () => {
  let ctx: TestContext;
  let launcherUrl: URL;
  let capability: string;
  let content: ReturnType<typeof supertest>;
  const body = 'x'.repeat(1000);

  beforeEach(async () => {
    ctx = buildTestApp({ contentOrigin: `${CONTENT_ORIGIN}/ignored-path` });
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' });
    const zip = path.join(ctx.dataDir, 'c.zip');
    await writeZip(zip, [{ name: 'imsmanifest.xml', data: MANIFEST }, { name: 'lesson/index.html', data: body }, { name: 'secret.txt', data: 'top' }]);
    await publishCourse(ctx.app, 'tr', 'C1', zip);
    const { agent } = await signIn(ctx.app, 'emp');
    const launch = await openPlayer(agent, 'C1');
    launcherUrl = new URL(launch.contentUrl);
    capability = launcherUrl.pathname.split('/')[2];
    content = supertest(ctx.app.lms.contentApp);
  });
  afterEach(() => ctx.close());

  it('points the player at the launcher on the content origin, for this SCO', async () => {
    expect(launcherUrl.origin).to.equal(CONTENT_ORIGIN);
    expect(launcherUrl.pathname).to.match(/^\/launch\/[\w-]+\.[\w-]+$/);
    expect(launcherUrl.searchParams.get('sco')).to.equal('lesson/index.html?page=2');
    expect(launcherUrl.searchParams.get('api')).to.equal('1.2');
    const { agent } = await signIn(ctx.app, 'emp');
    const page = await agent.get('/learn/C1').expect(200);
    expect(page.headers['content-security-policy']).to.match(new RegExp(`frame-src 'self' ${CONTENT_ORIGIN}`));
    // The player keeps its own API (it commits); the launcher runs the complete API for the SCO.
    expect(page.text).to.include('/assets/vendor/scorm-again/scorm12.js').and.not.include('cross-frame');
    // Issue 12: the package may not navigate the learner's tab (content-sandbox.ts; browser test in content-isolation).
    const sandbox = /<iframe id="sco-frame"[^>]* sandbox="([^"]*)"/.exec(page.text)?.[1];
    expect(sandbox?.split(' ').sort()).to.deep.equal(['allow-downloads', 'allow-forms', 'allow-modals', 'allow-popups', 'allow-same-origin', 'allow-scripts']);
  });

  it('serves the launcher: framed by the LMS only, the SCO on the content origin, no cookie', async () => {
    const res = await content.get(launcherUrl.pathname + launcherUrl.search).expect(200);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.headers['content-security-policy']).to.include("frame-ancestors http://127.0.0.1").and.include("script-src 'self'");
    expect(res.headers['set-cookie']).to.equal(undefined);
    const config = JSON.parse(/<script type="application\/json" id="launcher-config">(.*?)<\/script>/.exec(res.text)![1]) as Record<string, string>;
    expect(config).to.deep.equal({ lmsOrigin: new URL(res.headers['content-security-policy'].split('frame-ancestors ')[1]).origin, apiVersion: '1.2', scoUrl: `/c/${capability}/lesson/index.html?page=2` });
    expect(res.text).to.include('<script src="/launcher/scorm12.js">');
    await content.get('/launcher/scorm12.js').expect(200).expect('Content-Type', /javascript/);
    await content.get('/launcher/scorm2004.js').expect(200).expect('Content-Type', /javascript/);
    await content.get('/launcher/content-launcher.js').expect(200).expect('Content-Type', /javascript/);
    const sandbox = /<iframe id="sco"[^>]* sandbox="([^"]*)"/.exec(res.text)?.[1] ?? '';
    expect(sandbox, 'the SCO frame inside the launcher is sandboxed too').to.include('allow-scripts').and.not.match(/top-navigation|escape-sandbox/);
  });

  it('serves package files under the capability with the content policy, nosniff, ranges and immutable caching', async () => {
    const res = await content.get(`/c/${capability}/lesson/index.html`).set('Cookie', 'lms.sid=whatever').expect(200);
    expect(res.text).to.equal(body);
    expect(res.headers['content-security-policy']).to.match(/frame-ancestors 'self' http:\/\/127\.0\.0\.1(:\d+)?$/);
    expect(res.headers['content-security-policy']).to.include("connect-src 'self'");
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['cache-control']).to.match(/^private, max-age=\d+, immutable$/);
    expect(Number(/max-age=(\d+)/.exec(res.headers['cache-control'])![1])).to.be.within(1, 12 * 3600);
    expect(res.headers['set-cookie']).to.equal(undefined);
    const range = await content.get(`/c/${capability}/lesson/index.html`).set('Range', 'bytes=0-9').expect(206);
    expect(range.text).to.equal('x'.repeat(10));
  });

  it('refuses forged, expired and missing capabilities', async () => {
    const forged = capability.slice(0, -2) + (capability.endsWith('AA') ? 'BB' : 'AA');
    await content.get(`/c/${forged}/lesson/index.html`).expect(404);
    await content.get('/c/nothing/lesson/index.html').expect(404);
    await content.get(`/launch/${forged}?sco=lesson/index.html&api=1.2`).expect(404);
    ctx.clock.advance(12 * 3_600_000 + 1000);
    await content.get(`/c/${capability}/lesson/index.html`).expect(404);
    await content.get(launcherUrl.pathname + launcherUrl.search).expect(404);
  });

  it('refuses traversal, directories, writes and launcher hrefs that leave the package', async () => {
    // The data folder holds lms.db two levels above the package folder.
    for (const p of ['/../../lms.db', '/%2e%2e/%2e%2e/lms.db', '/..%2f..%2flms.db', '/%252e%252e/%252e%252e/lms.db', '/lesson/', '/lesson']) {
      const res = await content.get(`/c/${capability}${p}`);
      expect(res.status, p).to.equal(404);
    }
    await content.get(`/c/${capability}/secret.txt`).expect(200);
    await content.post(`/c/${capability}/lesson/index.html`).expect(404);
    for (const sco of ['https://evil.example/x.html', '//evil.example/x.html', '/etc/passwd', 'javascript:alert(1)', '']) {
      await content.get(`/launch/${capability}?sco=${encodeURIComponent(sco)}&api=1.2`).expect(404);
    }
  });
});
