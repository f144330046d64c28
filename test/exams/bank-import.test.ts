import { expect } from 'chai';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { buildTestApp, createBranch, createUser, csrfFrom, csrfToken, signIn, type TestContext } from '../helpers/test-app.js';
import { bankCsv } from './exam-fixture.js';

const BAD_CSV = [
  '题型,题干,选项A,选项B,选项C,选项D,答案,解析,知识点,难度',
  '单选,好题一,甲,乙,丙,丁,A,,知识点1,1',
  '单选,没有答案,甲,乙,丙,丁,,,,',
  '单选,答案不在选项中,甲,乙,,,C,,,',
  '填空,未知题型,甲,乙,,,A,,,',
  '单选,好题一,甲,乙,丙,丁,B,,,',
  '多选,只有一个选项,甲,,,,A,,,',
  '判断,判断题好,,,,,对,,,2',
  '单选,难度不对,甲,乙,,,A,,,很难',
].join('\r\n');

async function xlsxOf(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('题库');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('question banks: import, export, edit, retire', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let trainer: Awaited<ReturnType<typeof signIn>>['agent'];
  let csrf: string;
  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' });
    trainer = (await signIn(ctx.app, 'tr')).agent;
    csrf = await csrfToken(trainer, '/trainer');
    await trainer.post('/api/question-banks').set('X-CSRF-Token', csrf).send({ code: 'B1', title: '消保题库' }).expect(201);
  });
  afterEach(() => ctx.close());

  const importFile = (bytes: Buffer, query = '', name = 'bank.csv') =>
    trainer.post(`/api/question-banks/B1/import${query}`).set('X-CSRF-Token', csrf).attach('file', bytes, name);
  const questionCount = () => (ctx.app.lms.db.prepare("SELECT COUNT(*) AS n FROM questions WHERE status = 'active'").get() as { n: number }).n;

  it('dry run lists every bad row with its row number and column; apply then writes nothing (all or nothing)', async () => {
    const dry = await importFile(Buffer.from(BAD_CSV), '?dryRun=1').expect(422);
    const problems = dry.body.problems.map((p: { row: number; column: string; code: string }) => `${p.row}:${p.column}:${p.code}`);
    expect(problems).to.deep.equal([
      '3:答案:ANSWER_MISSING', '4:答案:ANSWER_NOT_IN_OPTIONS', '5:题型:TYPE_UNKNOWN', '6:题干:DUPLICATE_STEM', '7:选项A:OPTIONS_COUNT', '9:难度:DIFFICULTY_INVALID',
    ]);
    expect(dry.body).to.include({ rows: 8, valid: 2, applied: false });
    expect(dry.body.problems.find((p: { row: number }) => p.row === 6).message).to.contain('row 2');
    const apply = await importFile(Buffer.from(BAD_CSV)).expect(422);
    expect(apply.body.applied).to.equal(false);
    expect(questionCount()).to.equal(0);
  });

  it('imports UTF-8, UTF-8 with BOM, GBK CSV and XLSX; a stem already in the bank is a duplicate', async () => {
    const dry = await importFile(Buffer.from(bankCsv(3)), '?dryRun=1').expect(200);
    expect(dry.body).to.include({ valid: 3, applied: false, format: 'csv', encoding: 'utf8' });
    expect(questionCount()).to.equal(0);
    await importFile(Buffer.from(bankCsv(3))).expect(201);
    expect(questionCount()).to.equal(3);
    const again = await importFile(Buffer.from(bankCsv(3, { bom: true })), '?dryRun=1').expect(422);
    expect(again.body.problems.map((p: { code: string }) => p.code)).to.deep.equal(['DUPLICATE_STEM', 'DUPLICATE_STEM', 'DUPLICATE_STEM']);
    const gbk = iconv.encode(bankCsv(5).replace(/第(\d)题/g, 'GBK第$1题'), 'gbk');
    const gbkRes = await importFile(gbk).expect(201);
    expect(gbkRes.body).to.include({ encoding: 'gb18030', imported: 5 });
    const stem = ctx.app.lms.db.prepare("SELECT stem FROM question_versions WHERE stem LIKE 'GBK%' ORDER BY id LIMIT 1").get() as { stem: string };
    expect(stem.stem).to.equal('GBK第1题：哪一项正确？');
    const bom = await importFile(Buffer.from(bankCsv(2, { bom: true }).replace(/第(\d)题/g, 'BOM第$1题'))).expect(201);
    expect(bom.body.imported).to.equal(2);
    const xlsx = await xlsxOf([
      ['type', 'stem', 'optionA', 'optionB', 'optionC', 'answer', 'explanation', 'tags', 'difficulty'],
      ['multiple', 'Which are personal data?', 'Name', 'Weather', 'ID number', 'A,C', '', 'privacy; data', 'hard'],
      ['true/false', 'Banks may sell customer data.', '', '', '', 'false', '', '', ''],
    ]);
    const x = await importFile(xlsx, '', 'bank.xlsx').expect(201);
    expect(x.body).to.include({ format: 'xlsx', imported: 2 });
    const bank = await trainer.get('/api/question-banks/B1').expect(200);
    const multi = bank.body.questions.find((q: { stem: string }) => q.stem === 'Which are personal data?');
    expect(multi).to.deep.include({ type: 'multiple', answer: ['A', 'C'], tags: ['privacy', 'data'], difficulty: 5 });
    const tf = bank.body.questions.find((q: { stem: string }) => q.stem.startsWith('Banks may'));
    expect(tf).to.deep.include({ type: 'true_false', options: ['对', '错'], answer: ['B'] });
    expect(bank.body.questions).to.have.length(12);
  });

  it('an XLSX with one bad row writes nothing and names the row', async () => {
    const xlsx = await xlsxOf([['题型', '题干', '选项A', '选项B', '答案'], ['单选', '甲题', '是', '否', 'A'], ['单选', '乙题', '是', '否', 'E']]);
    const res = await importFile(xlsx, '', 'bank.xlsx').expect(422);
    expect(res.body.problems).to.deep.equal([{ row: 3, column: '答案', code: 'ANSWER_NOT_IN_OPTIONS', message: 'Answer E is not among the options (AB)' }]);
    expect(questionCount()).to.equal(0);
  });

  it('exports CSV and XLSX that import again, and serves the template with the Chinese headers', async () => {
    await importFile(Buffer.from(bankCsv(4))).expect(201);
    const csv = await trainer.get('/trainer/question-banks/B1/export.csv').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,选项G,选项H,答案,解析,知识点,难度')).to.equal(true);
    await trainer.post('/api/question-banks').set('X-CSRF-Token', csrf).send({ code: 'B2', title: '副本' }).expect(201);
    const copy = await trainer.post('/api/question-banks/B2/import').set('X-CSRF-Token', csrf).attach('file', csv.body as Buffer, 'b1.csv').expect(201);
    expect(copy.body.imported).to.equal(4);
    const xlsx = await trainer.get('/api/question-banks/B1/export.xlsx').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    await trainer.post('/api/question-banks').set('X-CSRF-Token', csrf).send({ code: 'B3', title: '副本' }).expect(201);
    const copy3 = await trainer.post('/api/question-banks/B3/import').set('X-CSRF-Token', csrf).attach('file', xlsx.body as Buffer, 'b1.xlsx').expect(201);
    expect(copy3.body.imported).to.equal(4);
    const b1 = await trainer.get('/api/question-banks/B1').expect(200);
    const b3 = await trainer.get('/api/question-banks/B3').expect(200);
    const strip = (qs: Array<Record<string, unknown>>) => qs.map(({ type, stem, options, answer, explanation, tags, difficulty }) => ({ type, stem, options, answer, explanation, tags, difficulty }));
    expect(strip(b3.body.questions)).to.deep.equal(strip(b1.body.questions));
    const template = await trainer.get('/trainer/question-banks/template.csv').expect(200);
    expect(template.text).to.contain('题型,题干,选项A');
    const dry = await trainer.post('/api/question-banks/B2/import?dryRun=1').set('X-CSRF-Token', csrf).attach('file', Buffer.from(template.text), 't.csv').expect(200);
    expect(dry.body.valid).to.equal(3);
  });

  it('edits make a new version (past papers keep theirs), retire hides a question, and only trainers see answers', async () => {
    await importFile(Buffer.from(bankCsv(1))).expect(201);
    const [q] = (await trainer.get('/api/question-banks/B1').expect(200)).body.questions;
    const edited = await trainer.put(`/api/question-banks/B1/questions/${q.id}`).set('X-CSRF-Token', csrf)
      .send({ type: 'single', stem: '改过的题干', options: ['一', '二'], answer: ['B'], tags: ['新'], difficulty: 3 }).expect(200);
    expect(edited.body).to.include({ version: 2, stem: '改过的题干' });
    expect(ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM question_versions WHERE question_id = ?').get(q.id)).to.deep.equal({ n: 2 });
    await trainer.put(`/api/question-banks/B1/questions/${q.id}`).set('X-CSRF-Token', csrf).send({ type: 'single', stem: 'x', options: ['一', '二'], answer: ['C'] }).expect(422);
    await trainer.post('/api/question-banks/B1/questions').set('X-CSRF-Token', csrf).send({ type: 'single', stem: '改过的题干', options: ['一', '二'], answer: ['A'] }).expect(409);
    await trainer.post(`/api/question-banks/B1/questions/${q.id}/retire`).set('X-CSRF-Token', csrf).send({}).expect(204);
    expect((await trainer.get('/api/question-banks/B1').expect(200)).body.questions).to.have.length(0);
    expect((await trainer.get('/api/question-banks/B1?status=all').expect(200)).body.questions).to.have.length(1);
    const actions = (ctx.app.lms.db.prepare("SELECT action FROM audit_events WHERE action LIKE 'question%' ORDER BY id").all() as Array<{ action: string }>).map((r) => r.action);
    expect(actions).to.deep.equal(['question_bank.create', 'question_bank.import', 'question.edit', 'question.retire']);
    const { agent: emp } = await signIn(ctx.app, 'emp');
    await emp.get('/api/question-banks/B1').expect(403);
    await emp.get('/api/question-banks').expect(403);
    await emp.get('/trainer/question-banks/B1/export.csv').expect(403);
  });

  it('pages: create a bank, add and edit a question with field errors, dry run then apply an upload', async () => {
    const list = await trainer.get('/trainer/question-banks').expect(200);
    await trainer.post('/trainer/question-banks').type('form').send({ _csrf: csrfFrom(list.text), code: 'PG', title: '页面题库' }).expect(302);
    const form = await trainer.get('/trainer/question-banks/PG/questions/new').expect(200);
    const bad = await trainer.post('/trainer/question-banks/PG/questions').type('form')
      .send({ _csrf: csrfFrom(form.text), type: 'single', stem: '页面题', optionA: '甲', optionB: '乙', answer: 'C' }).expect(422);
    expect(bad.text).to.contain('id="answer-error"');
    await trainer.post('/trainer/question-banks/PG/questions').type('form')
      .send({ _csrf: csrfFrom(form.text), type: 'single', stem: '页面题', optionA: '甲', optionB: '乙', answer: 'B', tags: '消保', difficulty: '2' }).expect(302);
    const importPage = await trainer.get('/trainer/question-banks/PG/import').expect(200);
    const token = csrfFrom(importPage.text);
    const preview = await trainer.post(`/trainer/question-banks/PG/import/preview?_csrf=${encodeURIComponent(token)}`).attach('file', Buffer.from(bankCsv(3)), 'b.csv').expect(200);
    const uploadId = /name="uploadId" value="([0-9a-f]+)"/.exec(preview.text)![1];
    expect(questionCount()).to.equal(1);
    await trainer.post('/trainer/question-banks/PG/import/apply').type('form').send({ _csrf: token, uploadId }).expect(302);
    expect(questionCount()).to.equal(4);
    const badPreview = await trainer.post(`/trainer/question-banks/PG/import/preview?_csrf=${encodeURIComponent(token)}`).attach('file', Buffer.from(BAD_CSV), 'b.csv').expect(422);
    expect(badPreview.text).to.contain('data-row="3" data-code="ANSWER_MISSING"');
    expect(badPreview.text).not.to.contain('name="uploadId"');
  });
});
