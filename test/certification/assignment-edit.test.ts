import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, decodeHtml, seedSmallBank, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';
import { sqlOf } from '../helpers/test-sql.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];
const pathOf = (url: string) => new URL(url, 'http://x').pathname;
const text = (html: string) => decodeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

describe('assignments: edit and remove, saying what happens to enrolments (issue 17)', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let trainer: Agent;
  let token: string;

  const enrollments = () => sqlOf(ctx.app).all<{ username: string; source: string; due_at: string | null; assignment_id: number | null }>(`SELECT u.username, e.source, e.due_at, e.assignment_id FROM enrollments e JOIN users u ON u.id = e.user_id
    JOIN courses c ON c.id = e.course_id WHERE c.code = 'GOLF' ORDER BY u.username`);
  const assignmentId = () => sqlOf(ctx.app).value<number>('SELECT id FROM assignments ORDER BY id DESC LIMIT 1');

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null, '总行');
    await createBranch(ctx.app, 'GD', 'HO', '广东省分行');
    await createBranch(ctx.app, 'BJ', 'HO', '北京分行');
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    // hr people sit at head office, outside the course's branch.
    await createUser(ctx.app, { username: 'hrgd', roles: [{ role: 'hr', scope: 'GD' }], branch: 'HO' });
    await createUser(ctx.app, { username: 'hrbj', roles: [{ role: 'hr', scope: 'BJ' }], branch: 'HO' });
    await createUser(ctx.app, { username: 'g1', roles: ['employee'], branch: 'GD', position: '柜员' });
    await createUser(ctx.app, { username: 'g2', roles: ['employee'], branch: 'GD', position: '客户经理' });
    await createUser(ctx.app, { username: 'g3', roles: ['employee'], branch: 'GD', position: '柜员' });
    await publishCourse(ctx.app, 'tr', 'GOLF', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
    trainer = (await signIn(ctx.app, 'tr')).agent;
    token = csrfFrom((await trainer.get('/assignments').expect(200)).text);
    await trainer.post('/assignments').type('form').send({ _csrf: token, course: 'GOLF', branch: 'GD', includeSubBranches: 'true', dueDate: '2026-07-31' }).expect(302);
    // g1 starts the course.
    const g1 = (await signIn(ctx.app, 'g1')).agent;
    const launch = await openPlayer(g1, 'GOLF');
    await g1.post(pathOf(launch.commitUrl)).send({ cmi: { completion_status: 'incomplete', exit: 'suspend' }, seq: 1, terminate: false }).expect(200);
  });
  afterEach(() => ctx.close());

  it('offers the roster positions as choices and edit/remove links on each assignment', async () => {
    const page = (await trainer.get('/assignments').expect(200)).text;
    expect(page).to.match(/name="positions" value="客户经理"/).and.match(/name="positions" value="柜员"/);
    const id = await assignmentId();
    expect(page).to.contain(`/assignments/${id}/edit`).and.contain(`/assignments/${id}/remove`);
    expect(page).to.contain('data-branch-picker');
  });

  it('edits: says plainly what happens first, changes nothing until confirmed, then keeps progress and moves due dates', async () => {
    const id = await assignmentId();
    const form = { _csrf: token, branch: 'GD', includeSubBranches: 'true', positions: '柜员', dueDate: '2026-09-30' };
    const preview = await trainer.post(`/assignments/${id}`).type('form').send(form).expect(200);
    const said = text(preview.text);
    expect(said).to.contain('2 人保留学习进度；其中 2 人的截止日期改为 2026-09-30');
    expect(said).to.contain('1 人尚未开始，将不再需要学习此课程');
    expect((await enrollments()).map((e) => e.due_at)).to.deep.equal(['2026-07-31', '2026-07-31', '2026-07-31']);
    await trainer.post(`/assignments/${id}`).type('form').send({ ...form, confirm: 'yes' }).expect(302);
    expect((await enrollments())).to.deep.equal([
      { username: 'g1', source: 'assignment', due_at: '2026-09-30', assignment_id: id },
      { username: 'g3', source: 'assignment', due_at: '2026-09-30', assignment_id: id },
    ]);
    const audit = await sqlOf(ctx.app).value<string>("SELECT details_json FROM audit_events WHERE action = 'assignment.update'");
    expect(JSON.parse(audit)).to.include({ kept: 2, removed: 1 });
  });

  it('removes: started learners keep their progress as optional learning, the others are taken off; audited', async () => {
    const id = await assignmentId();
    const preview = (await trainer.get(`/assignments/${id}/remove`).expect(200)).text;
    expect(text(preview)).to.contain('1 人已开始学习但不再被要求').and.contain('2 人尚未开始');
    await trainer.post(`/assignments/${id}/remove`).type('form').send({ _csrf: token }).expect(302);
    expect((await enrollments())).to.deep.equal([{ username: 'g1', source: 'self', due_at: null, assignment_id: null }]);
    expect(await sqlOf(ctx.app).value('SELECT COUNT(*) FROM assignments')).to.equal(0);
    expect(await sqlOf(ctx.app).value("SELECT COUNT(*) FROM audit_events WHERE action = 'assignment.delete'")).to.equal(1);
  });

  it('refuses hr outside the assignment scope (404), moving one out of scope (422), and posts without a CSRF token (403)', async () => {
    const id = await assignmentId();
    const hrbj = (await signIn(ctx.app, 'hrbj')).agent;
    const bjToken = csrfFrom((await hrbj.get('/assignments').expect(200)).text);
    await hrbj.get(`/assignments/${id}/edit`).expect(404);
    await hrbj.get(`/assignments/${id}/remove`).expect(404);
    await hrbj.post(`/assignments/${id}/remove`).type('form').send({ _csrf: bjToken }).expect(404);
    const hrgd = (await signIn(ctx.app, 'hrgd')).agent;
    const gdToken = csrfFrom((await hrgd.get(`/assignments/${id}/edit`).expect(200)).text);
    const moved = await hrgd.post(`/assignments/${id}`).type('form').send({ _csrf: gdToken, branch: 'BJ', includeSubBranches: 'true', dueDate: '2026-09-30', confirm: 'yes' }).expect(422);
    expect(moved.text).to.contain('aria-invalid="true"');
    await trainer.post(`/assignments/${id}/remove`).type('form').send({}).expect(403);
    const emp = (await signIn(ctx.app, 'g2')).agent;
    await emp.get(`/assignments/${id}/edit`).expect(403);
    expect(await sqlOf(ctx.app).value('SELECT COUNT(*) FROM assignments')).to.equal(1);
    expect((await enrollments())).to.have.length(3);
  });
});

describe('branch tree for the picker: one level at a time, searchable, scoped', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  before(async () => {
    ctx = buildTestApp();
    await seedSmallBank(ctx.app);
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'GD' });
  });
  after(() => ctx.close());

  it('gives a trainer the bank top-down and hr only their subtree; other branches do not exist for hr', async () => {
    const tr = (await signIn(ctx.app, 'tr')).agent;
    const roots = (await tr.get('/api/branch-tree').expect(200)).body.branches;
    expect(roots.map((b: { code: string }) => b.code)).to.deep.equal(['HO']);
    expect(roots[0].hasChildren).to.equal(true);
    const children = (await tr.get(`/api/branch-tree?parent=${roots[0].id}`).expect(200)).body.branches;
    expect(children.map((b: { code: string }) => b.code)).to.deep.equal(['BJ', 'GD']);
    const hits = (await tr.get(`/api/branch-tree?q=${encodeURIComponent('深圳')}`).expect(200)).body.branches;
    expect(hits).to.have.length(1);
    expect(hits[0]).to.include({ code: 'SZ', name: '深圳分行' });
    expect(hits[0].trail).to.deep.equal(['总行', '广东省分行']);

    const hr = (await signIn(ctx.app, 'hrgd')).agent;
    const hrRoots = (await hr.get('/api/branch-tree').expect(200)).body.branches;
    expect(hrRoots.map((b: { code: string }) => b.code)).to.deep.equal(['GD']);
    await hr.get(`/api/branch-tree?parent=${roots[0].id}`).expect(404);
    expect((await hr.get(`/api/branch-tree?q=${encodeURIComponent('北京')}`).expect(200)).body.branches).to.deep.equal([]);
    const own = (await hr.get('/api/branch-tree?q=SZ').expect(200)).body.branches;
    expect(own.map((b: { code: string; trail: string[] }) => [b.code, b.trail])).to.deep.equal([['SZ', ['广东省分行']]]);
  });

  it('refuses employees and anonymous callers, and over-long searches', async () => {
    const emp = (await signIn(ctx.app, 'emp')).agent;
    await emp.get('/api/branch-tree').expect(403);
    const tr = (await signIn(ctx.app, 'tr')).agent;
    await tr.get(`/api/branch-tree?q=${'x'.repeat(65)}`).expect(422);
    const supertest = (await import('supertest')).default;
    await supertest(ctx.app).get('/api/branch-tree').set('Accept', 'application/json').expect(401);
  });
});
