// Issue 17 item 6: readable course codes proposed at upload, code and titles (zh-CN, en) edited by
// the trainer — validated, unique among current and former codes, audited, the old code kept as an
// alias — one publish button, and upload problems in the reader's language for every ingest code.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestApp, createBranch, createUser, csrfFrom, decodeHtml, signIn, type TestContext } from '../helpers/test-app.js';
import { writeZip } from '../helpers/zip-builder.js';
import { SAMPLES_DIR } from '../helpers/samples.js';
import { codeFromTitle, looksRandom, proposeCourseCode } from '../../server/courses/course-code.js';
import { ManifestProblemCode, PackageProblemCode } from '../../server/courses/manifest/manifest-problems.js';
import { packageProblems } from '../../server/courses/package/package-errors.js';
import { sqlOf } from '../helpers/test-sql.js';

const manifest = (identifier: string, title: string) => `<?xml version="1.0"?>
<manifest identifier="${identifier}" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG"><organization identifier="ORG"><title>${title}</title>
    <item identifier="I1" identifierref="R1"><title>第一课</title></item></organization></organizations>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>`;

const locale = (name: string) => JSON.parse(fs.readFileSync(new URL(`../../server/i18n/locales/${name}.json`, import.meta.url), 'utf8')) as { courseAdmin: { ingest: { codes: Record<string, string> } } };

describe('course codes: proposed at upload, readable, unique', () => {
  it('sees machine-made identifiers', () => {
    expect(looksRandom('GH-bJJ0vJoTU6KyhSA2mL99ulHR1REMQ')).to.equal(true);
    expect(looksRandom('course-3f2a9c1e0b7d4e55')).to.equal(true);
    expect(looksRandom('CP-101')).to.equal(false);
    expect(looksRandom('com-scorm-golfsamples')).to.equal(false);
  });

  it('proposes the identifier when it reads well, else the title, else a numbered code, never a taken one', () => {
    expect(proposeCourseCode({ identifier: 'AML-2026', title: 'x', taken: [] })).to.equal('AML-2026');
    expect(proposeCourseCode({ identifier: 'GH-bJJ0vJoTU6KyhSA2mL99ulHR1REMQ', title: 'bacon II', taken: [] })).to.equal('BACON-II');
    expect(proposeCourseCode({ identifier: 'GH-bJJ0vJoTU6KyhSA2mL99ulHR1REMQ', title: 'bacon II', taken: ['bacon-ii'] })).to.equal('BACON-II-2');
    expect(proposeCourseCode({ identifier: '3f2a9c1e-0b7d-4e55-9a1b-2c3d4e5f6a7b', title: '反洗钱基础', taken: ['COURSE-001'] })).to.equal('COURSE-002');
    expect(codeFromTitle('Know Your Customer: the essentials of due diligence')).to.equal('KNOW-YOUR-CUSTOMER');
  });
});

describe('trainer edits a course code and titles; uploads speak the reader\'s language', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let dir: string;
  let trainer: Awaited<ReturnType<typeof signIn>>['agent'];

  const zip = async (name: string, identifier: string, title: string) => {
    const file = path.join(dir, name);
    await writeZip(file, [{ name: 'imsmanifest.xml', data: manifest(identifier, title) }, { name: 'index.html', data: '<p>hi</p>' }]);
    return file;
  };
  /** The plain form (no JavaScript), expecting a status. */
  const uploadForm = async (file: string, status: number, code = '') => {
    const list = await trainer.get('/trainer').expect(200);
    const action = decodeHtml(/<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(list.text)![1]);
    return trainer.post(action).field('code', code).attach('package', file).expect(status);
  };
  const course = (code: string) => sqlOf(ctx.app).get<{ id: number; code: string; title: string; title_en: string | null }>('SELECT id, code, title, title_en FROM courses WHERE code = ?', code);
  const versions = async (id: number) => (await sqlOf(ctx.app).get<{ n: number }>('SELECT COUNT(*) AS n FROM course_versions WHERE course_id = ?', id))!.n;
  const saveForm = async (code: string, fields: Record<string, string>, status: number) => {
    const page = await trainer.get(`/trainer/courses/${code}`).expect(200);
    return trainer.post(`/trainer/courses/${code}`).type('form').send({
      _csrf: csrfFrom(page.text), validityMonths: '12', passMark: '', attemptsLimit: '', completionRule: 'rollup', countedAttempt: 'last', description: '', ...fields,
    }).expect(status);
  };

  beforeEach(async () => {
    ctx = buildTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-course-code-'));
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' });
    trainer = (await signIn(ctx.app, 'tr')).agent;
  });
  afterEach(() => {
    ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('proposes a readable code for a package with a random identifier, and the same package again adds a version', async () => {
    const bacon = await zip('bacon.zip', 'GH-bJJ0vJoTU6KyhSA2mL99ulHR1REMQ', 'bacon II');
    const first = await uploadForm(bacon, 302);
    expect(first.headers.location).to.equal('/trainer/courses/BACON-II?uploaded=1');
    const page = decodeHtml((await trainer.get(first.headers.location as string).expect(200)).text);
    expect(page).to.contain('课程代码「BACON-II」和名称「bacon II」取自课件包');
    await uploadForm(bacon, 302);
    expect(await versions((await course('BACON-II'))!.id)).to.equal(2);
    expect(await sqlOf(ctx.app).get("SELECT COUNT(*) AS n FROM courses WHERE code LIKE 'GH-%'")).to.deep.equal({ n: 0 });
    // A Chinese title and a UUID: a numbered code.
    const res = await uploadForm(await zip('aml.zip', '3f2a9c1e-0b7d-4e55-9a1b-2c3d4e5f6a7b', '反洗钱基础'), 302);
    expect(res.headers.location).to.equal('/trainer/courses/COURSE-001?uploaded=1');
  });

  it('renames a course: confirmed on the page, audited, the old code still opens it and still takes uploads', async () => {
    const bacon = await zip('bacon.zip', 'GH-bJJ0vJoTU6KyhSA2mL99ulHR1REMQ', 'bacon II');
    await uploadForm(bacon, 302);
    const { id } = (await course('BACON-II'))!;
    const saved = await saveForm('BACON-II', { code: 'FOOD-101', title: '食品安全基础', titleEn: 'Food safety basics' }, 302);
    expect(saved.headers.location).to.equal('/trainer/courses/FOOD-101?saved=1&renamedFrom=BACON-II');
    const page = decodeHtml((await trainer.get(saved.headers.location as string).expect(200)).text);
    expect(page).to.contain('课程信息已保存。');
    expect(page).to.contain('课程代码已从 BACON-II 改为 FOOD-101');
    expect(page).to.contain('曾用代码（仍可打开本课程）：BACON-II');
    expect(await course('FOOD-101')).to.deep.equal({ id, code: 'FOOD-101', title: '食品安全基础', title_en: 'Food safety basics' });
    expect(await sqlOf(ctx.app).all('SELECT code, course_id FROM course_code_aliases')).to.deep.equal([{ code: 'BACON-II', course_id: id }]);
    const audit = (await sqlOf(ctx.app).get<{ details_json: string }>("SELECT details_json FROM audit_events WHERE action = 'course.update' AND subject = ?", `course:${id}`))!;
    expect(JSON.parse(audit.details_json).codeChanged).to.deep.equal({ from: 'BACON-II', to: 'FOOD-101' });

    // The old code: the trainer's page moves to the new one, the API and the learner's link still answer.
    const old = await trainer.get('/trainer/courses/BACON-II').expect(302);
    expect(old.headers.location).to.equal('/trainer/courses/FOOD-101');
    expect((await trainer.get('/api/courses/BACON-II').expect(200)).body.course).to.include({ code: 'FOOD-101', titleEn: 'Food safety basics' });
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    await trainer.post('/api/courses/BACON-II/publish').set('X-CSRF-Token', token).send({}).expect(200);
    const learner = (await signIn(ctx.app, 'emp')).agent;
    const player = await learner.get('/learn/BACON-II').expect(200);
    expect(player.text).to.contain('食品安全基础');
    // The same package again without a code, and with the old code: versions of the renamed course.
    await uploadForm(bacon, 302);
    await uploadForm(bacon, 302, 'BACON-II');
    expect(await versions(id)).to.equal(3);
    expect((await sqlOf(ctx.app).get<{ n: number }>('SELECT COUNT(*) AS n FROM courses'))!.n).to.equal(1);
    // English readers see the English title.
    await ctx.app.lms.repositories.users.setLocale((await ctx.app.lms.repositories.users.findByUsername('tr'))!.id, 'en');
    expect(decodeHtml((await trainer.get('/trainer').expect(200)).text)).to.contain('Food safety basics');
  });

  it('refuses a code in use (now or before, any case) or malformed, with the reason beside the field, and changes nothing', async () => {
    await uploadForm(await zip('a.zip', 'AAA', 'Course A'), 302);
    await uploadForm(await zip('b.zip', 'BBB', 'Course B'), 302);
    await saveForm('AAA', { code: 'A-NEW', title: 'Course A' }, 302);
    const taken = await saveForm('BBB', { code: 'aaa', title: 'Course B' }, 409);
    expect(decodeHtml(taken.text)).to.contain('这个课程代码已被另一门课程使用（或曾经使用）。请换一个。');
    expect(taken.text).to.match(/id="code-error"/);
    await saveForm('BBB', { code: 'A-NEW', title: 'Course B' }, 409);
    const bad = await saveForm('BBB', { code: '-bad code', title: 'Course B 2' }, 422);
    expect(decodeHtml(bad.text)).to.contain('课程代码只能包含字母、数字、_ 或 -');
    expect(await course('BBB')).to.include({ title: 'Course B' });
    // Back to its own former code: allowed, and that code is no longer an alias.
    await saveForm('A-NEW', { code: 'AAA', title: 'Course A' }, 302);
    expect(await sqlOf(ctx.app).all('SELECT code FROM course_code_aliases ORDER BY code')).to.deep.equal([{ code: 'A-NEW' }]);
    // The API validates the same way.
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    const api = await trainer.patch('/api/courses/BBB').set('X-CSRF-Token', token).send({ code: 'A-NEW' }).expect(409);
    expect(api.body.error.code).to.equal('COURSE_CODE_TAKEN');
  });

  it('has one publish button, choosing the version, and confirms what was published', async () => {
    const file = await zip('a.zip', 'AAA', 'Course A');
    await uploadForm(file, 302);
    await uploadForm(file, 302);
    const page = await trainer.get('/trainer/courses/AAA').expect(200);
    expect(page.text.match(/action="\/trainer\/courses\/AAA\/publish"/g)).to.have.length(1);
    expect(page.text).to.match(/<option value="2" selected>第 2 版（最新）<\/option><option value="1" >第 1 版<\/option>/);
    const res = await trainer.post('/trainer/courses/AAA/publish').type('form').send({ _csrf: csrfFrom(page.text), version: '1' }).expect(302);
    expect(res.headers.location).to.equal('/trainer/courses/AAA?published=1');
    const after = decodeHtml((await trainer.get('/trainer/courses/AAA?published=1').expect(200)).text);
    expect(after).to.contain('已发布第 1 版。');
    expect(after).to.contain('<option value="2" selected>第 2 版（最新）</option><option value="1" >第 1 版（当前发布）</option>');
  });

  it('says what was wrong with a refused package, and where, in the reader\'s language (page and API)', async () => {
    const broken = path.join(SAMPLES_DIR, 'broken-captivate9-placementtest-missing-launch-SCORM12.zip');
    const page = decodeHtml((await uploadForm(broken, 422)).text);
    expect(page).to.contain('课件包没有上传成功。请修正下面的问题后重新上传：');
    expect(page).to.contain('课件包缺少某一节的启动文件，这一节无法打开。');
    expect(page).to.match(/位置：<code data-package-text>index_scorm\.html<\/code>/);
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    const zh = await trainer.post('/api/courses').set('X-CSRF-Token', token).attach('package', broken).expect(422);
    expect(zh.body.error).to.include({ code: 'PACKAGE_LAUNCH_FILE_MISSING', text: '课件包没有上传成功。请修正下面的问题后重新上传：' });
    expect(zh.body.error.problems[0]).to.include({ code: 'PACKAGE_LAUNCH_FILE_MISSING', path: 'index_scorm.html', where: 'index_scorm.html', text: '课件包缺少某一节的启动文件，这一节无法打开。请确认导出时包含了全部文件。' });
    expect(zh.body.error.problems[0].message).to.match(/launch file/);
    await ctx.app.lms.repositories.users.setLocale((await ctx.app.lms.repositories.users.findByUsername('tr'))!.id, 'en');
    const en = await trainer.post('/api/courses').set('X-CSRF-Token', token).attach('package', Buffer.from('not a zip'), 'x.zip').expect(422);
    expect(en.body.error.problems[0]).to.include({ code: 'ZIP_INVALID', text: 'The file is not a zip archive, or it is damaged. Export the package again from the authoring tool, or zip the course folder with a standard zip tool.' });
    const missing = await trainer.post('/api/courses').set('X-CSRF-Token', token).field('code', 'X').expect(422);
    expect(missing.body.error.problems[0]).to.include({ code: 'PACKAGE_MISSING', text: 'Choose a SCORM zip file (.zip) to upload.', where: null });
  });

  it('has a zh-CN and an en sentence for every ingest problem code', () => {
    const builderCodes = Object.values(packageProblems).map((build) => (build as (...args: unknown[]) => { code: string })(['x'], ['x'], ['x']).code);
    const codes = new Set([
      ...Object.values(ManifestProblemCode), ...Object.values(PackageProblemCode), ...builderCodes,
      // The upload itself: no file, too large, unreadable body, a bad or taken code.
      'PACKAGE_MISSING', 'PACKAGE_TOO_LARGE', 'UPLOAD_INVALID', 'MULTIPART_INVALID', 'COURSE_CODE_INVALID', 'COURSE_CODE_TAKEN',
    ]);
    for (const name of ['zh-CN', 'en']) {
      const sentences = locale(name).courseAdmin.ingest.codes;
      const missing = [...codes].filter((code) => !sentences[code]);
      expect(missing, `${name} lacks sentences for`).to.deep.equal([]);
      for (const code of codes) expect(sentences[code], `${name} ${code}`).to.not.match(/\b[A-Z]+_[A-Z_]+\b/);
    }
    expect(codes.size).to.be.greaterThan(45);
  });
});
