import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { Readable } from 'node:stream';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, signIn, csrfFrom, type TestContext } from '../helpers/test-app.js';
import { writeZip } from '../helpers/zip-builder.js';

const MANIFEST = `<?xml version="1.0"?>
<manifest identifier="MEDIA" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG"><organization identifier="ORG"><title>媒体课程</title>
    <item identifier="I1" identifierref="R1"><title>视频</title></item></organization></organizations>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>`;

const TYPES: Record<string, RegExp> = {
  'index.html': /^text\/html/, 'app.js': /^(text|application)\/javascript/, 'style.css': /^text\/css/, 'data.json': /^application\/json/,
  'doc.xml': /^(application|text)\/xml/, 'icon.svg': /^image\/svg\+xml/, 'a.png': /^image\/png/, 'b.jpg': /^image\/jpeg/, 'c.gif': /^image\/gif/,
  'sound.mp3': /^audio\/mpeg/, 'video.mp4': /^video\/mp4/, 'clip.webm': /^video\/webm/, 'font.woff': /^font\/woff$/, 'font.woff2': /^font\/woff2/,
  'subs.vtt': /^text\/vtt/, 'handout.pdf': /^application\/pdf/, '课程/第一课.html': /^text\/html/,
};

/** Reads any body as bytes, whatever its type. */
const raw = (res: supertest.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('content delivery /content/<versionId>/<path>', () => {
  let ctx: TestContext;
  let versionId: number;
  let trainer: Awaited<ReturnType<typeof signIn>>['agent'];
  const video = crypto.randomBytes(1024 * 1024);

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' });
    const zip = path.join(ctx.dataDir, 'media.zip');
    await writeZip(zip, [{ name: 'imsmanifest.xml', data: MANIFEST }, ...Object.keys(TYPES).map((name) => ({ name, data: name === 'video.mp4' ? video : `content of ${name}` }))]);
    trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer')).text);
    const res = await trainer.post('/api/courses').set('X-CSRF-Token', token).field('code', 'MEDIA').attach('package', zip).expect(201);
    versionId = res.body.version.id;
  });
  afterEach(() => ctx.close());

  it('serves every common type with the right Content-Type, nosniff and immutable caching with an ETag', async () => {
    for (const [name, type] of Object.entries(TYPES)) {
      const res = await trainer.get(`/content/${versionId}/${encodeURI(name)}`).buffer(true).parse(raw).expect(200);
      expect((res.body as Buffer).toString(), name).to.equal(name === 'video.mp4' ? video.toString() : `content of ${name}`);
      expect(res.headers['content-type'], name).to.match(type);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['cache-control']).to.contain('immutable');
      expect(res.headers.etag).to.be.a('string');
    }
    const etag = (await trainer.get(`/content/${versionId}/app.js`)).headers.etag;
    await trainer.get(`/content/${versionId}/app.js`).set('If-None-Match', etag).expect(304);
  });

  it('answers a Range request on the mp4 with 206 and exactly those bytes', async () => {
    const res = await trainer.get(`/content/${versionId}/video.mp4`).set('Range', 'bytes=1000-1999').buffer(true).parse(raw).expect(206);
    expect(res.headers['content-range']).to.equal(`bytes 1000-1999/${video.length}`);
    expect(Buffer.compare(res.body as Buffer, video.subarray(1000, 2000))).to.equal(0);
  });

  it('lists no directories and refuses plain, encoded and double-encoded traversal', async () => {
    for (const p of ['', '/', '/课程/', '/%E8%AF%BE%E7%A8%8B/', '/../../lms.db', '/%2e%2e/%2e%2e/lms.db', '/%252e%252e/%252e%252e/lms.db', '/..%2f..%2flms.db', '/%2e%2e%5c%2e%2e%5clms.db', '/.incoming']) {
      const res = await trainer.get(`/content/${versionId}${p}`);
      expect(res.status, p).to.be.oneOf([400, 404]);
      expect(res.text).to.not.contain('SQLite format');
    }
  });

  it('serves only signed-in users allowed to launch the course', async () => {
    await supertest(ctx.app).get(`/content/${versionId}/index.html`).expect(302);
    const { agent } = await signIn(ctx.app, 'emp');
    await agent.get(`/content/${versionId}/index.html`).expect(404);
    const token = csrfFrom((await trainer.get('/trainer')).text);
    await trainer.post('/api/courses/MEDIA/publish').set('X-CSRF-Token', token).send({}).expect(200);
    await agent.get(`/content/${versionId}/index.html`).expect(200);
    await agent.get('/content/99999/index.html').expect(404);
  });

  it('streams a 200 MB package to disk: server memory stays flat', async function () {
    this.timeout(180_000);
    const big = path.join(ctx.dataDir, 'big.zip');
    await new Promise<void>((resolve, reject) => {
      const zip = new yazl.ZipFile();
      zip.addBuffer(Buffer.from(MANIFEST), 'imsmanifest.xml');
      zip.addBuffer(Buffer.from('<html>big</html>'), 'index.html');
      // Incompressible bytes, generated chunk by chunk so the test itself holds little memory.
      let left = 200 * 1024 * 1024;
      const source = new Readable({ read() { if (left <= 0) { this.push(null); return; } const n = Math.min(left, 1 << 20); left -= n; this.push(crypto.randomBytes(n)); } });
      zip.addReadStream(source, 'lecture.mp4', { compress: false });
      zip.end();
      zip.outputStream.pipe(fs.createWriteStream(big)).on('close', resolve).on('error', reject);
    });
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 25);
    const token = csrfFrom((await trainer.get('/trainer')).text);
    const res = await trainer.post('/api/courses').set('X-CSRF-Token', token).field('code', 'BIG').attach('package', big);
    clearInterval(sampler);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const growthMb = (peak - baseline) / 1024 / 1024;
    expect(growthMb, `RSS grew by ${growthMb.toFixed(1)} MB`).to.be.lessThan(100);
    const stored = fs.statSync(path.join(ctx.dataDir, 'packages', (ctx.app.lms.db.prepare('SELECT storage_dir FROM course_versions WHERE id = ?').get(res.body.version.id) as { storage_dir: string }).storage_dir, 'lecture.mp4'));
    expect(stored.size).to.equal(200 * 1024 * 1024);
  });
});
