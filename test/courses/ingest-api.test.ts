import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { buildTestApp, createBranch, createUser, signIn, csrfFrom, type TestContext } from '../helpers/test-app.js';
import { SAMPLES_DIR, sampleZips, expectedVersion } from '../helpers/samples.js';
import { writeZip, symlinkEntry, deflateBombEntry, manyEntries } from '../helpers/zip-builder.js';
import { parseManifest } from '../../server/courses/manifest/parse-manifest.js';

const MANIFEST_12 = (files: string[]) => `<?xml version="1.0"?>
<manifest identifier="HANDMADE" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG"><organization identifier="ORG"><title>手工课程</title>
    <item identifier="I1" identifierref="R1"><title>第一课</title></item></organization></organizations>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html">${files.map((f) => `<file href="${f}"/>`).join('')}</resource></resources>
</manifest>`;

async function readManifestFromZip(zipPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'imsmanifest.xml') return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => { zip.close(); resolve(Buffer.concat(chunks).toString('utf8')); });
        });
      });
      zip.on('end', () => reject(new Error('no manifest')));
      zip.readEntry();
    });
  });
}

function treeOf(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => !p.startsWith('uploads')).sort();
}

describe('SCORM ingest over HTTP', () => {
  let ctx: TestContext;
  let trainer: Awaited<ReturnType<typeof signIn>>['agent'];
  let token: string;

  beforeEach(async () => {
    ctx = buildTestApp({ packageLimits: { maxUploadBytes: 300 * 1024 * 1024, maxEntries: 5000, maxUncompressedBytes: 20 * 1024 * 1024 } });
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' });
    trainer = (await signIn(ctx.app, 'tr')).agent;
    token = csrfFrom((await trainer.get('/trainer')).text);
  });
  afterEach(() => ctx.close());

  function upload(file: string, fields: Record<string, string> = {}) {
    let req = trainer.post('/api/courses').set('X-CSRF-Token', token).attach('package', file);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req;
  }

  for (const sample of sampleZips()) {
    const zipPath = path.join(SAMPLES_DIR, sample);
    if (sample.startsWith('broken-')) {
      it(`refuses ${sample}, naming the missing launch file`, async () => {
        const manifest = parseManifest(await readManifestFromZip(zipPath)).manifest!;
        const before = treeOf(ctx.dataDir);
        const res = await upload(zipPath).expect(422);
        const launchFiles = manifest.scos.map((s) => s.href.split(/[?#]/)[0]);
        expect(res.body.error.problems.some((p: { path: string; message: string }) => launchFiles.includes(p.path) && p.message.includes(p.path))).to.equal(true);
        expect(before.filter((p) => p.startsWith('packages/'))).to.deep.equal([]);
        expect(treeOf(path.join(ctx.dataDir, 'packages')).filter((p) => p !== '.incoming')).to.deep.equal([]);
        expect(ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM course_versions').get()).to.deep.equal({ n: 0 });
      });
    } else {
      it(`imports ${sample} with the right version and SCO list, every launch file in place`, async () => {
        const manifest = parseManifest(await readManifestFromZip(zipPath)).manifest!;
        const res = await upload(zipPath).expect(201);
        expect(res.body.version.scormVersion).to.equal(expectedVersion(sample));
        expect(res.body.version.number).to.equal(1);
        expect(res.body.version.scos.map((s: { identifier: string }) => s.identifier)).to.deep.equal(manifest.scos.map((s) => s.identifier));
        expect(res.body.version.scos.length).to.be.greaterThan(0);
        const version = ctx.app.lms.db.prepare('SELECT storage_dir FROM course_versions WHERE id = ?').get(res.body.version.id) as { storage_dir: string };
        for (const sco of res.body.version.scos as Array<{ href: string }>) {
          const file = decodeURIComponent(sco.href.split(/[?#]/)[0]);
          expect(fs.existsSync(path.join(ctx.dataDir, 'packages', version.storage_dir, file)), file).to.equal(true);
        }
        const rows = ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM scos WHERE version_id = ?').get(res.body.version.id) as { n: number };
        expect(rows.n).to.equal(manifest.scos.length);
      });
    }
  }

  it('adds version 2 when the same code is uploaded again, and publishes and retires, all audited', async () => {
    const zip = path.join(SAMPLES_DIR, 'golf-RuntimeBasicCalls-SCORM12.zip');
    const first = await upload(zip, { code: 'GOLF-12' }).expect(201);
    const second = await upload(zip, { code: 'GOLF-12' }).expect(201);
    expect(first.body.course.code).to.equal('GOLF-12');
    expect(second.body.course.id).to.equal(first.body.course.id);
    expect(second.body.version.number).to.equal(2);
    const published = await trainer.post('/api/courses/GOLF-12/publish').set('X-CSRF-Token', token).send({}).expect(200);
    expect(published.body.course.status).to.equal('published');
    expect(published.body.course.publishedVersionId).to.equal(second.body.version.id);
    await trainer.patch('/api/courses/GOLF-12').set('X-CSRF-Token', token).send({ title: '高尔夫', validityMonths: 24 }).expect(200);
    await trainer.patch('/api/courses/GOLF-12').set('X-CSRF-Token', token).send({ validityMonths: 0 }).expect(422);
    const retired = await trainer.post('/api/courses/GOLF-12/retire').set('X-CSRF-Token', token).send({}).expect(200);
    expect(retired.body.course.status).to.equal('retired');
    const detail = await trainer.get('/api/courses/GOLF-12').expect(200);
    expect(detail.body.course.title).to.equal('高尔夫');
    expect(detail.body.versions.map((v: { number: number }) => v.number)).to.deep.equal([2, 1]);
    const actions = (ctx.app.lms.db.prepare("SELECT action FROM audit_events WHERE action LIKE 'course.%' ORDER BY id").all() as Array<{ action: string }>).map((r) => r.action);
    expect(actions).to.deep.equal(['course.upload', 'course.upload', 'course.publish', 'course.update', 'course.retire']);
  });

  it('refuses uploads from employees (403) and without a CSRF token (403)', async () => {
    const zip = path.join(SAMPLES_DIR, 'golf-RuntimeBasicCalls-SCORM12.zip');
    const { agent } = await signIn(ctx.app, 'emp');
    const token = csrfFrom((await agent.get('/me')).text);
    await agent.post('/api/courses').set('X-CSRF-Token', token).attach('package', zip).expect(403);
    await trainer.post('/api/courses').attach('package', zip).expect(403);
  });

  it('answers 422 PACKAGE_MISSING without a file, and a bad code by field', async () => {
    const none = await trainer.post('/api/courses').set('X-CSRF-Token', token).field('code', 'X').expect(422);
    expect(none.body.error.code).to.equal('PACKAGE_MISSING');
    const bad = await upload(path.join(SAMPLES_DIR, 'golf-RuntimeBasicCalls-SCORM12.zip'), { code: '../evil' }).expect(422);
    expect(bad.body.error.problems[0].path).to.equal('code');
  });

  describe('hostile zips: 422 with a specific code, nothing written outside storage', () => {
    const cases: Array<{ name: string; code: string; entries: () => Parameters<typeof writeZip>[1] }> = [
      { name: 'zip slip', code: 'ZIP_PATH_TRAVERSAL', entries: () => [{ name: 'imsmanifest.xml', data: MANIFEST_12([]) }, { name: 'index.html', data: 'x' }, { name: '../../evil.html', data: 'pwned' }] },
      { name: 'absolute path', code: 'ZIP_ABSOLUTE_PATH', entries: () => [{ name: 'imsmanifest.xml', data: MANIFEST_12([]) }, { name: '/tmp/evil.html', data: 'pwned' }] },
      { name: 'symlink entry', code: 'ZIP_SYMLINK', entries: () => [{ name: 'imsmanifest.xml', data: MANIFEST_12([]) }, { name: 'index.html', data: 'x' }, symlinkEntry('link', '/etc/passwd')] },
      { name: 'deflate bomb with a lying size', code: 'ZIP_TOO_LARGE', entries: () => [{ name: 'imsmanifest.xml', data: MANIFEST_12([]) }, { name: 'index.html', data: 'x' }, deflateBombEntry('video.mp4', 60 * 1024 * 1024, { declaredSize: 1000 })] },
      { name: '100,000 entries', code: 'ZIP_TOO_MANY_ENTRIES', entries: () => [{ name: 'imsmanifest.xml', data: MANIFEST_12([]) }, ...manyEntries(100_000)] },
      { name: 'manifest with an external entity', code: 'MANIFEST_DOCTYPE', entries: () => [{ name: 'imsmanifest.xml', data: `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>${MANIFEST_12([]).replace('<?xml version="1.0"?>', '').replace('手工课程', '&x;')}` }, { name: 'index.html', data: 'x' }] },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const zip = path.join(ctx.dataDir, '..', `${path.basename(ctx.dataDir)}-hostile.zip`);
        await writeZip(zip, c.entries());
        const parent = path.dirname(ctx.dataDir);
        const outsideBefore = fs.readdirSync(parent).sort();
        const before = treeOf(ctx.dataDir);
        const res = await upload(zip).expect(422);
        expect(res.body.error.problems.map((p: { code: string }) => p.code)).to.include(c.code);
        expect(res.body.error.code).to.equal(c.code);
        expect(fs.readdirSync(parent).sort()).to.deep.equal(outsideBefore);
        expect(treeOf(path.join(ctx.dataDir, 'packages')).filter((p) => p !== '.incoming')).to.deep.equal([]);
        expect(before.filter((p) => p.startsWith('packages/'))).to.deep.equal([]);
        expect(fs.existsSync('/tmp/evil.html')).to.equal(false);
        fs.rmSync(zip);
      });
    }
  });
});
