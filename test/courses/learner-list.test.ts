import { expect } from 'chai';
import type supertest from 'supertest';
import { loadWorkbook } from '../reports/output-helpers.js';
import { buildTestApp, createUser, csrfFrom, decodeHtml, seedSmallBank, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';
import { startInbox, type Inbox } from '../notify/smtp-inbox.js';
import { LearnerSearchRepository, type SearchMode } from '../../server/courses/learner-search.repository.js';
import { sqlOf } from '../helpers/test-sql.js';
import { testsOnPostgres } from '../helpers/test-database.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];
const pathOf = (url: string) => new URL(url, 'http://x').pathname;
const listed = (html: string) => [...html.matchAll(/data-employee-no="([^"]*)"/g)].map((m) => m[1]);

/** Collects a binary body (XLSX) from supertest. */
function binary(res: supertest.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('trainer learner list: search, filters, export, bulk actions (issue 17)', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let inbox: Inbox;
  let trainer: Agent;
  let token: string;
  const no: Record<string, string> = {};

  const enrollmentOf = async (username: string) => (await sqlOf(ctx.app).get<{ id: number; retakes_granted: number }>(
    "SELECT e.id, e.retakes_granted FROM enrollments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id WHERE c.code = 'GOLF' AND u.username = ?",
    username))!;

  before(async () => {
    inbox = await startInbox();
    ctx = buildTestApp({ smtpUrl: inbox.url, publicUrl: 'https://lms.example' });
    await seedSmallBank(ctx.app);
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'BJ', name: '旁观者' });
    const people = [['wang1', '王一', 'SZ'], ['wang2', '王二', 'GD'], ['li1', '李一', 'BJ'], ['zhang1', '张一', 'SZ'], ['li2', '李二', 'GD']] as const;
    for (const [username, name, branch] of people) await createUser(ctx.app, { username, name, roles: ['employee'], branch });
    for (const row of await sqlOf(ctx.app).all<{ username: string; employee_no: string }>('SELECT username, employee_no FROM users')) no[row.username] = row.employee_no;
    await sqlOf(ctx.app).run("UPDATE users SET email = username || '@bank.example' WHERE username IN ('wang1', 'li1')");
    await publishCourse(ctx.app, 'tr', 'GOLF', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
    trainer = (await signIn(ctx.app, 'tr')).agent;
    token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    await trainer.patch('/api/courses/GOLF').set('X-CSRF-Token', token).send({ attemptsLimit: 1 }).expect(200);
    await trainer.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'GOLF', branch: 'HO', positions: [], dueDate: '2026-07-31' }).expect(201);
    // 王一 fails (out of attempts); 张一 is in progress; the rest have not started.
    for (const [username, finish] of [['wang1', true], ['zhang1', false]] as const) {
      const agent = (await signIn(ctx.app, username)).agent;
      const launch = await openPlayer(agent, 'GOLF');
      await agent.post(pathOf(launch.commitUrl)).send({
        cmi: { completion_status: finish ? 'completed' : 'incomplete', success_status: finish ? 'failed' : 'unknown', score: { scaled: '0.3', raw: '30', min: '0', max: '100' }, exit: finish ? 'normal' : 'suspend' },
        seq: 1, terminate: finish,
      }).expect(200, { result: true, errorCode: 0 });
    }
  });
  after(async () => { ctx.close(); await inbox.close(); });

  it('searches by employee number prefix and by name prefix', async () => {
    const byNumber = (await trainer.get(`/trainer/courses/GOLF/learners?q=${no.li1}`).expect(200)).text;
    expect(listed(byNumber)).to.deep.equal([no.li1]);
    const byName = (await trainer.get(`/trainer/courses/GOLF/learners?q=${encodeURIComponent('王')}`).expect(200)).text;
    expect(listed(byName).sort()).to.deep.equal([no.wang1, no.wang2].sort());
    const none = (await trainer.get(`/trainer/courses/GOLF/learners?q=${encodeURIComponent('赵')}`).expect(200)).text;
    expect(listed(none)).to.deep.equal([]);
    expect(none).to.contain('没有符合条件的学员');
  });

  it('filters by branch subtree and by status, and says how far a status filter looked', async () => {
    const gd = (await trainer.get('/trainer/courses/GOLF/learners?branch=GD').expect(200)).text;
    expect(listed(gd).sort()).to.deep.equal([no.hrgd, no.wang1, no.wang2, no.zhang1, no.li2].sort());
    const sz = (await trainer.get('/trainer/courses/GOLF/learners?branch=SZ').expect(200)).text;
    expect(listed(sz).sort()).to.deep.equal([no.wang1, no.zhang1].sort());
    const failed = (await trainer.get('/trainer/courses/GOLF/learners?status=failed').expect(200)).text;
    expect(listed(failed)).to.deep.equal([no.wang1]);
    expect(failed).to.match(/data-scanned>[^<]*已查看 8 名学员/);
    const inProgressGd = (await trainer.get(`/trainer/courses/GOLF/learners?branch=GD&status=in_progress&q=${encodeURIComponent('张')}`).expect(200)).text;
    expect(listed(inProgressGd)).to.deep.equal([no.zhang1]);
    // Bad filters are refused with a message, not ignored.
    await trainer.get('/trainer/courses/GOLF/learners?status=bogus').expect(422);
    await trainer.get('/trainer/courses/GOLF/learners?branch=NOPE').expect(422);
  });

  it('pages a branch-filtered list without losing or repeating anyone', async () => {
    for (let i = 0; i < 55; i++) await createUser(ctx.app, { username: `extra${i}`, roles: ['employee'], branch: i % 2 ? 'SZ' : 'GD', password: null });
    await trainer.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'GOLF', branch: 'GD', positions: [], dueDays: 30 }).expect(201);
    const expected = (await sqlOf(ctx.app).column<string>(`SELECT u.employee_no FROM users u JOIN branches b ON b.id = u.branch_id JOIN enrollments e ON e.user_id = u.id
      WHERE b.code IN ('GD', 'SZ')`)).sort();
    const seen: string[] = [];
    let pages = 0;
    for (let next: string | null = '/trainer/courses/GOLF/learners?branch=GD'; next; pages++) {
      const html = (await trainer.get(next).expect(200)).text;
      seen.push(...listed(html));
      const link = /<a rel="next" href="([^"]+)"/.exec(html);
      next = link ? pathOf(decodeHtml(link[1])) + new URL(decodeHtml(link[1]), 'http://x').search : null;
    }
    expect(pages).to.equal(2);
    expect(seen.slice().sort()).to.deep.equal(expected);
    expect(new Set(seen).size).to.equal(seen.length);
  });

  it('exports the filtered list: Chinese headers and words by default, codes on ?headers=codes, XLSX too', async () => {
    const csv = (await trainer.get('/trainer/courses/GOLF/learners/export?branch=SZ&status=failed').expect(200).expect('Content-Type', /text\/csv/)).text;
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).to.equal('工号,姓名,机构代码,机构名称,岗位,状态,截止日期,证书到期日,已用次数,允许次数,最近成绩');
    expect(lines).to.have.length(2);
    expect(lines[1]).to.contain(no.wang1).and.contain('王一').and.contain('深圳分行').and.contain('未通过');
    const codes = (await trainer.get('/trainer/courses/GOLF/learners/export?branch=SZ&headers=codes').expect(200)).text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(codes[0]).to.equal('employee_no,employee_name,branch_code,branch_name,position,status,due_date,expires_at,attempts_used,attempts_allowed,last_score');
    expect(codes.slice(1).map((l) => l.split(',')[5]).sort()).to.include.members(['failed', 'in_progress']);
    const xlsx = await trainer.get('/trainer/courses/GOLF/learners/export?format=xlsx&q=' + encodeURIComponent('王')).buffer(true).parse(binary).expect(200);
    const book = await loadWorkbook(xlsx.body as Buffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).to.equal('工号');
    expect(sheet.rowCount).to.equal(3);
    // Each export is audited with what it held.
    const exports = (await sqlOf(ctx.app).column<string>("SELECT details_json FROM audit_events WHERE action = 'report.export' ORDER BY id")).map((d) => JSON.parse(d));
    expect(exports.map((d) => [d.report, d.format, d.rows, d.complete])).to.deep.equal([['learners', 'csv', 1, true], ['learners', 'csv', codes.length - 1, true], ['learners', 'xlsx', 2, true]]);
    expect(exports[0].filter).to.deep.equal({ q: null, branchCode: 'SZ', status: 'failed' });
  });

  it('reminds the ticked learners after a confirmation: in-app rows, e-mail where there is an address, one audit event', async () => {
    const ids = [(await enrollmentOf('wang1')).id, (await enrollmentOf('wang2')).id];
    const confirm = await trainer.post('/trainer/courses/GOLF/learners/bulk').type('form')
      .send(`_csrf=${encodeURIComponent(token)}&action=remind&ids=${ids[0]}&ids=${ids[1]}`).expect(200);
    expect(confirm.text).to.contain('向 2 名学员发送学习提醒').and.contain('王一').and.contain('王二').and.contain('无邮箱');
    expect(await sqlOf(ctx.app).value('SELECT COUNT(*) FROM learner_reminders')).to.equal(0);
    const done = await trainer.post('/trainer/courses/GOLF/learners/bulk').type('form')
      .send(`_csrf=${encodeURIComponent(token)}&action=remind&confirm=yes&ids=${ids[0]}&ids=${ids[1]}`).expect(200);
    expect(decodeHtml(done.text)).to.contain('已向 2 人发送提醒（其中 1 人同时收到邮件）');
    const rows = await sqlOf(ctx.app).all('SELECT u.username, r.emailed FROM learner_reminders r JOIN users u ON u.id = r.user_id ORDER BY u.username');
    expect(rows).to.deep.equal([{ username: 'wang1', emailed: 1 }, { username: 'wang2', emailed: 0 }]);
    expect(inbox.to('wang1@bank.example')).to.have.length(1);
    expect(inbox.to('wang1@bank.example')[0].subject).to.contain('学习提醒');
    const audit = await sqlOf(ctx.app).column<string>("SELECT details_json FROM audit_events WHERE action = 'learner.remind'");
    expect(audit).to.have.length(1);
    expect(JSON.parse(audit[0]).userIds).to.have.length(2);
    // In the app: the reminded learner sees it on the home page.
    const wang2 = (await signIn(ctx.app, 'wang2')).agent;
    expect((await wang2.get('/me').expect(200)).text).to.match(/data-trainer-reminders[\s\S]*培训管理员提醒您完成课程/);
    const li1 = (await signIn(ctx.app, 'li1')).agent;
    expect((await li1.get('/me').expect(200)).text).not.to.contain('data-trainer-reminders');
  });

  it('grants retakes in bulk to those out of attempts (with a reason), lists the others as skipped', async () => {
    const ids = [(await enrollmentOf('wang1')).id, (await enrollmentOf('li1')).id];
    const body = `_csrf=${encodeURIComponent(token)}&action=retake&confirm=yes&ids=${ids[0]}&ids=${ids[1]}`;
    const noReason = await trainer.post('/trainer/courses/GOLF/learners/bulk').type('form').send(body).expect(422);
    expect(noReason.text).to.contain('aria-invalid="true"');
    expect((await enrollmentOf('wang1')).retakes_granted).to.equal(0);
    const done = await trainer.post('/trainer/courses/GOLF/learners/bulk').type('form').send(`${body}&reason=${encodeURIComponent('系统故障')}`).expect(200);
    expect(done.text).to.contain('已为 1 人增加一次考试机会').and.match(/data-skipped[^>]*>[^<]*李一/);
    expect((await enrollmentOf('wang1')).retakes_granted).to.equal(1);
    expect((await enrollmentOf('li1')).retakes_granted).to.equal(0);
  });

  it('refuses hr, employees, anonymous visitors and a missing CSRF token; ids of another course are ignored', async () => {
    const hr = (await signIn(ctx.app, 'hrgd')).agent;
    await hr.get('/trainer/courses/GOLF/learners?q=1').expect(403);
    await hr.get('/trainer/courses/GOLF/learners/export').expect(403);
    const hrToken = csrfFrom((await hr.get('/hr').expect(200)).text);
    await hr.post('/trainer/courses/GOLF/learners/bulk').type('form').send({ _csrf: hrToken, action: 'remind', ids: '1', confirm: 'yes' }).expect(403);
    const emp = (await signIn(ctx.app, 'emp')).agent;
    await emp.get('/trainer/courses/GOLF/learners/export').expect(403);
    const anonymous = await (await import('supertest')).default(ctx.app).get('/trainer/courses/GOLF/learners/export').expect(302);
    expect(anonymous.headers.location).to.match(/\/login/);
    const before = await sqlOf(ctx.app).value('SELECT COUNT(*) FROM learner_reminders');
    await trainer.post('/trainer/courses/GOLF/learners/bulk').type('form').send({ action: 'remind', ids: String((await enrollmentOf('li1')).id), confirm: 'yes' }).expect(403);
    const unknown = await trainer.post('/trainer/courses/GOLF/learners/bulk').type('form').send({ _csrf: token, action: 'remind', ids: '999999', confirm: 'yes' }).expect(422);
    expect(unknown.text).to.contain('请先勾选至少一名学员');
    expect(await sqlOf(ctx.app).value('SELECT COUNT(*) FROM learner_reminders')).to.equal(before);
  });

  // SQLite's query plans (PostgreSQL chooses its own by statistics).
  if (!testsOnPostgres()) it('walks an index for every search: EXPLAIN QUERY PLAN shows no scan and no sort', () => {
    const { db } = ctx.app.lms;
    db.exec('ANALYZE');
    const repo = new LearnerSearchRepository({ db });
    const expected: Record<SearchMode, RegExp[]> = {
      all: [/SEARCH e USING INDEX enrollments_course_learner/],
      number: [/SEARCH e USING INDEX enrollments_course_learner \(course_id=\? AND .*learner_no<\?\)/],
      name: [/SEARCH u USING INDEX users_name \(name>\? AND name<\?\)/, /SEARCH e USING INDEX sqlite_autoindex_enrollments_1 \(user_id=\? AND course_id=\?\)/],
      branch: [/SEARCH b USING INDEX \S+ \(path>\? AND path<\?\)/, /SEARCH u USING INDEX users_branch_employee_no \(branch_id=\?\)/, /SEARCH e USING INDEX sqlite_autoindex_enrollments_1/],
    };
    for (const mode of Object.keys(expected) as SearchMode[]) {
      const stmt = repo.statementOf(mode);
      const params = repo.paramsOf(1, { mode, prefix: 'E1', branchPath: '/1/' }, { key: 'E1', path: '/1/', userId: 3 }, 51, { date: '2026-06-01', endIso: '2026-06-01T15:59:59.999Z' });
      const used = Object.fromEntries(Object.entries(params).filter(([name]) => stmt.source.includes(`@${name}`)));
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${stmt.source}`).all(used) as Array<{ detail: string }>).map((r) => r.detail);
      for (const line of plan) expect(line, `${mode}: ${plan.join(' | ')}`).not.to.match(/^SCAN|TEMP B-TREE/);
      for (const pattern of expected[mode]) expect(plan.some((l) => pattern.test(l)), `${mode}: ${plan.join(' | ')}`).to.equal(true);
    }
  });
});
