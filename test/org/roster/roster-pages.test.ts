import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import iconv from 'iconv-lite';
import type supertest from 'supertest';
import { buildTestApp, createBranch, createUser, csrfFrom, decodeHtml, signIn, type TestContext } from '../../helpers/test-app.js';
import { BRANCH_HEADER, EMPLOYEE_HEADER, csv, dbFingerprint, mountRoster } from './roster-support.js';

type Agent = ReturnType<typeof supertest.agent>;

describe('roster pages', () => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = buildTestApp();
    mountRoster(ctx.app);
    await createBranch(ctx.app, 'HO', null, '总行');
    await createBranch(ctx.app, 'GD', 'HO', '广东省分行');
    await createBranch(ctx.app, 'GD-GZ', 'GD', '广州分行');
    await createBranch(ctx.app, 'ZJ', 'HO', '浙江省分行');
    await createUser(ctx.app, { username: 'root', roles: ['admin'], branch: 'HO' });
    await createUser(ctx.app, { username: 'hrgd', roles: [{ role: 'hr', scope: 'GD' }], branch: 'GD' });
    await createUser(ctx.app, { username: 'hrgd2', roles: [{ role: 'hr', scope: 'GD' }], branch: 'GD' });
    await createUser(ctx.app, { username: 'staff', roles: ['employee'], branch: 'GD' });
  });
  afterEach(() => ctx.close());

  const db = () => ctx.app.lms.db;
  const uploadDir = () => path.join(ctx.dataDir, 'roster-uploads');
  const pendingFiles = () => (fs.existsSync(uploadDir()) ? fs.readdirSync(uploadDir()) : []);

  /** Uploads through the page's own form action (which carries ?_csrf=) and expects a status. */
  async function preview(agent: Agent, status: number, content: string | Buffer, fields: Record<string, string> = {}, fileName = '花名册.csv') {
    const form = await agent.get('/hr/roster').expect(200);
    const action = decodeHtml(/action="([^"]*\/hr\/roster\/preview[^"]*)"/.exec(form.text)![1]);
    let request = agent.post(action).attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), fileName);
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
    return request.expect(status);
  }

  function applyForm(html: string): Record<string, string> {
    const form = /<form method="post" action="[^"]*\/hr\/roster\/apply"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (!form) throw new Error('no apply form on the page');
    const fields: Record<string, string> = {};
    for (const m of form[1].matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields[m[1]] = decodeHtml(m[2]);
    return fields;
  }

  const errorRows = (html: string) => [...(/<table id="roster-errors">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '').matchAll(/<tr><td>(\d+)<\/td><td data-column="(\w*)">[^<]*<\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((m) => [Number(m[1]), m[2], decodeHtml(m[3])]);

  it('previews an upload without writing, then applies exactly that file and removes it', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const before = dbFingerprint(ctx.app);
    const rows = [['700001', '陈一', 'chen@bank.example', 'GD-GZ', '柜员', '2024-04-01', '在职'], ['700002', '林二', '', 'ZJ', '', '2023-01-09', '']];
    const res = await preview(agent, 200, csv([EMPLOYEE_HEADER, ...rows]));
    expect(res.text).to.contain('花名册.csv');
    expect(res.text).to.contain('陈一');
    expect(res.text).to.match(/data-action="create">[^<]*: <strong>2<\/strong>/);
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);
    expect(pendingFiles()).to.have.length(2);

    const done = await agent.post('/hr/roster/apply').type('form').send(applyForm(res.text)).expect(200);
    expect(done.text).to.contain('id="roster-applied"');
    const created = db().prepare('SELECT username, name, status FROM users WHERE employee_no IN (?, ?) ORDER BY employee_no').all('700001', '700002');
    expect(created).to.deep.equal([{ username: '700001', name: '陈一', status: 'active' }, { username: '700002', name: '林二', status: 'active' }]);
    const summary = db().prepare("SELECT actor_id, details_json FROM audit_events WHERE action = 'roster.import'").get() as { actor_id: number; details_json: string };
    const root = db().prepare("SELECT id FROM users WHERE username = 'root'").get() as { id: number };
    expect(summary.actor_id).to.equal(root.id);
    expect(JSON.parse(summary.details_json)).to.include({ fileName: '花名册.csv', via: 'web' });
    expect(pendingFiles()).to.deep.equal([]);
    await agent.post('/hr/roster/apply').type('form').send(applyForm(res.text)).expect(404);
  });

  it('lists every error by row and column; apply writes nothing unless "only the valid rows" is chosen', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const content = iconv.encode(csv([
      ['工号', '姓名', '邮箱', '机构代码', '岗位', '入职日期', '状态'],
      ['710001', '好人', '', 'GD', '', '2024-01-01', ''],
      ['710002', '坏日期', '', 'GD', '', '2024-02-31', ''],
      ['710003', '无机构', '', 'XX', '', '2024-01-01', ''],
      ['710001', '重复', '', 'GD', '', '2024-01-01', ''],
      ['710004', '另一个好人', '', 'ZJ', '', '2024-01-01', ''],
    ]), 'gbk');
    const before = dbFingerprint(ctx.app);
    const res = await preview(agent, 200, content);
    expect(res.text).to.contain('GBK');
    expect(errorRows(res.text)).to.deep.equal([
      [2, 'employee_no', '710001 在第 5 行重复出现。'],
      [3, 'hired_at', '2024-02-31 不是有效的日期。'],
      [4, 'branch_code', '不存在代码为 XX 的机构。'],
      [5, 'employee_no', '710001 在第 2 行重复出现。'],
    ]);
    const fields = applyForm(res.text);
    const refused = await agent.post('/hr/roster/apply').type('form').send(fields).expect(422);
    expect(refused.text).to.contain('id="roster-refused"');
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);

    const again = applyForm(refused.text);
    await agent.post('/hr/roster/apply').type('form').send({ ...again, validOnly: 'on' }).expect(200);
    const imported = (db().prepare("SELECT employee_no FROM users WHERE employee_no LIKE '71%' ORDER BY employee_no").all() as Array<{ employee_no: string }>).map((r) => r.employee_no);
    expect(imported).to.deep.equal(['710004']);
  });

  it('keeps hr inside their subtree: other branches, their people and the top level are errors', async () => {
    await createUser(ctx.app, { username: 'zj-person', roles: ['employee'], branch: 'ZJ' });
    const zjPerson = db().prepare("SELECT employee_no FROM users WHERE username = 'zj-person'").get() as { employee_no: string };
    const { agent } = await signIn(ctx.app, 'hrgd');
    const employees = await preview(agent, 200, csv([
      EMPLOYEE_HEADER,
      ['720001', '广州人', '', 'GD-GZ', '', '2024-01-01', ''],
      ['720002', '浙江人', '', 'ZJ', '', '2024-01-01', ''],
      [zjPerson.employee_no, '调入者', '', 'GD', '', '2024-01-01', ''],
    ]), { validOnly: 'on' });
    expect(errorRows(employees.text).map(([row, column]) => [row, column])).to.deep.equal([[3, 'branch_code'], [4, 'employee_no']]);
    expect(employees.text).to.contain('ZJ 不在您的管辖范围内');
    await agent.post('/hr/roster/apply').type('form').send({ ...applyForm(employees.text), validOnly: 'on' }).expect(200);
    expect(db().prepare("SELECT b.code FROM users u JOIN branches b ON b.id = u.branch_id WHERE u.username = 'zj-person'").get()).to.deep.equal({ code: 'ZJ' });
    expect((db().prepare("SELECT employee_no FROM users WHERE employee_no LIKE '72%'").all() as Array<{ employee_no: string }>).map((r) => r.employee_no)).to.deep.equal(['720001']);

    const before = dbFingerprint(ctx.app);
    const branches = await preview(agent, 200, csv([
      BRANCH_HEADER,
      ['GD-FS', '佛山分行', 'GD'],
      ['ZJ-HZ', '杭州分行', 'ZJ'],
      ['TOP', '新总行', ''],
      ['ZJ', '浙江省分行', 'GD'],
      ['GD-GZ', '广州分行', 'ZJ'],
    ]));
    expect(errorRows(branches.text).map(([row, column]) => [row, column])).to.deep.equal([[3, 'parent_code'], [4, 'parent_code'], [5, 'branch_code'], [6, 'parent_code']]);
    await agent.post('/hr/roster/apply').type('form').send(applyForm(branches.text)).expect(422);
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);
  });

  it('lets only the uploader apply an upload', async () => {
    const { agent } = await signIn(ctx.app, 'hrgd');
    const res = await preview(agent, 200, csv([EMPLOYEE_HEADER, ['730001', '某人', '', 'GD', '', '2024-01-01', '']]));
    const other = await signIn(ctx.app, 'hrgd2');
    const form = await other.agent.get('/hr/roster');
    await other.agent.post('/hr/roster/apply').type('form').send({ ...applyForm(res.text), _csrf: csrfFrom(form.text) }).expect(404);
    expect(db().prepare("SELECT COUNT(*) AS n FROM users WHERE employee_no = '730001'").get()).to.deep.equal({ n: 0 });
  });

  it('refuses employees, a multipart post without its CSRF token, and a form without a file', async () => {
    const employee = await signIn(ctx.app, 'staff');
    await employee.agent.get('/hr/roster').expect(403);
    const { agent } = await signIn(ctx.app, 'root');
    await agent.post('/hr/roster/preview').attach('file', Buffer.from(csv([EMPLOYEE_HEADER])), 'x.csv').expect(403);
    expect(pendingFiles()).to.deep.equal([]);
    const form = await agent.get('/hr/roster');
    const action = decodeHtml(/action="([^"]*\/hr\/roster\/preview[^"]*)"/.exec(form.text)![1]);
    const res = await agent.post(action).field('effectiveDate', '2026-02-30').expect(422);
    expect(res.text).to.contain('id="file-error"');
  });

  it('rejects a file that is not a roster and keeps nothing', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const res = await preview(agent, 422, 'hello,world\n1,2\n');
    expect(errorRows(res.text)[0].slice(0, 2)).to.deep.equal([1, '']);
    expect(res.text).to.not.contain('id="roster-apply"');
    expect(pendingFiles()).to.deep.equal([]);
  });
  it('keeps a stored e-mail on a blank cell, clears on "-" or "(清空)", and shows the preview in words', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const first = await preview(agent, 200, csv([EMPLOYEE_HEADER, ['800001', '周一', 'zhou@bank.example', 'GD', '柜员', '2024-01-02', ''], ['800002', '吴二', 'wu@bank.example', 'GD', '柜员', '2024-01-02', '']]));
    await agent.post('/hr/roster/apply').type('form').send(applyForm(first.text)).expect(200);
    const rows = [['800001', '周一', '', 'GD', '-', '2024-01-02', '离职'], ['800002', '吴二', '(清空)', 'GD', '', '2024-01-02', '']];
    const res = await preview(agent, 200, csv([EMPLOYEE_HEADER, ...rows]));
    const changes = decodeHtml(/<table id="roster-changes">([\s\S]*?)<\/table>/.exec(res.text)![1]);
    expect(changes).to.contain('岗位: 柜员 → —');
    expect(changes).to.contain('状态: 在职 → 离职');
    expect(changes).to.contain('电子邮箱: wu@bank.example → —');
    expect(changes).to.not.contain('zhou@bank.example');
    expect(changes).to.not.match(/\b(branch_code|hired_at|active|left)\b/);
    await agent.post('/hr/roster/apply').type('form').send(applyForm(res.text)).expect(200);
    const stored = db().prepare('SELECT employee_no, email, position, status FROM users WHERE employee_no IN (?, ?) ORDER BY employee_no').all('800001', '800002');
    expect(stored).to.deep.equal([
      { employee_no: '800001', email: 'zhou@bank.example', position: null, status: 'left' },
      { employee_no: '800002', email: null, position: '柜员', status: 'active' },
    ]);
  });

  it('refuses to clear a required field, naming the column in words', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    db().prepare("UPDATE users SET locale = 'en' WHERE username = 'root'").run();
    const res = await preview(agent, 200, csv([EMPLOYEE_HEADER, ['800003', '-', '', 'GD', '', '2024-01-02', '']]));
    expect(errorRows(res.text)).to.deep.equal([[2, 'name', 'This field cannot be cleared (only e-mail and position can).']]);
    expect(res.text).to.match(/<td data-column="name">Name<\/td>/);
    expect(db().prepare('SELECT COUNT(*) AS n FROM users WHERE employee_no = ?').get('800003')).to.deep.equal({ n: 0 });
  });

  it('offers templates (UTF-8 with BOM, Chinese or English headings) that import as they are', async () => {
    const { agent } = await signIn(ctx.app, 'hrgd');
    const form = await agent.get('/hr/roster').expect(200);
    expect(decodeHtml(form.text)).to.contain('/hr/roster/template.csv?headings=en&kind=employees');
    const zh = await agent.get('/hr/roster/template.csv?kind=employees').buffer(true).parse((r, cb) => { const parts: Buffer[] = []; r.on('data', (c: Buffer) => parts.push(c)); r.on('end', () => cb(null, Buffer.concat(parts))); }).expect(200);
    expect(zh.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
    expect(zh.headers['content-disposition']).to.match(/^attachment;/);
    const text = (zh.body as Buffer).toString('utf8');
    expect(text).to.equal('\uFEFF工号,姓名,邮箱,机构代码,岗位,入职日期,状态\r\n');
    const en = await agent.get('/hr/roster/template.csv?kind=branches&headings=en').expect(200);
    expect(en.text.replace(/^\uFEFF/, '')).to.equal('branch_code,branch_name,parent_code\r\n');
    const filled = `${text}810001,郑三,,GD-GZ,柜员,2025-03-01,\r\n`;
    const res = await preview(agent, 200, filled);
    await agent.post('/hr/roster/apply').type('form').send(applyForm(res.text)).expect(200);
    expect(db().prepare('SELECT name, status FROM users WHERE employee_no = ?').get('810001')).to.deep.equal({ name: '郑三', status: 'active' });
    await (await signIn(ctx.app, 'staff')).agent.get('/hr/roster/template.csv').expect(403);
  });
});
