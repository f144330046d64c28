import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];
const pathOf = (url: string) => new URL(url, 'http://x').pathname;

/**
 * One employee from assignment to a renewed certificate, through the HTTP surface, with the clock
 * moved between steps and the status read from the employee's own page at each one.
 */
describe('certification: assignment → fail → retake → pass → certificate → expiring → renewal', () => {
  let ctx: TestContext;
  let learner: Agent;
  let learnerId: number;

  beforeEach(async () => {
    ctx = buildTestApp(); // clock: 2026-06-01T02:00:00Z = 10:00 in Shanghai
    await createBranch(ctx.app, 'HO', null);
    await createBranch(ctx.app, 'GZ', 'HO');
    await createBranch(ctx.app, 'SZ', 'HO');
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'hrgz', roles: [{ role: 'hr', scope: 'GZ' }], branch: 'GZ' });
    learnerId = (await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'GZ', position: '柜员' })).id;
    await createUser(ctx.app, { username: 'manager', roles: ['employee'], branch: 'GZ', position: '行长' });
    await createUser(ctx.app, { username: 'elsewhere', roles: ['employee'], branch: 'SZ', position: '柜员' });
    await publishCourse(ctx.app, 'tr', 'CP12', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
    const trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    await trainer.patch('/api/courses/CP12').set('X-CSRF-Token', token).send({ passMark: 80, attemptsLimit: 2, validityMonths: 12 }).expect(200);
    learner = (await signIn(ctx.app, 'emp')).agent;
  });
  afterEach(() => ctx.close());

  const db = () => ctx.app.lms.db;
  const statusOnHome = async (code: string) => {
    const html = (await learner.get('/me').expect(200)).text;
    const card = new RegExp(`data-course="${code}"[\\s\\S]*?data-status="([a-z_]+)"`).exec(html);
    return card ? card[1] : null;
  };
  const certificates = () => db().prepare('SELECT serial, attempt_id, score, issued_at, expires_at FROM certificates WHERE user_id = ? ORDER BY id').all(learnerId) as Array<{ serial: string; attempt_id: number; score: number; issued_at: string; expires_at: string }>;

  /** Moves the clock (far enough that sessions lapse) and signs the learner in again. */
  const jump = async (iso: string) => {
    ctx.clock.set(iso);
    learner = (await signIn(ctx.app, 'emp')).agent;
  };

  /** One sitting: launch, report a score, leave normally (which ends the attempt). */
  const sit = async (score: number) => {
    const launch = await openPlayer(learner, 'CP12');
    const status = score >= 80 ? 'passed' : 'failed';
    await learner.post(pathOf(launch.commitUrl)).send({ cmi: { core: { lesson_status: status, score: { raw: String(score), min: '0', max: '100' }, exit: '', session_time: '00:10:00' } }, seq: 1, terminate: true })
      .expect(200, { result: true, errorCode: 0 });
  };

  it('walks every status, enforces the attempts limit per cycle and issues each certificate once', async () => {
    const hr = (await signIn(ctx.app, 'hrgz')).agent;
    const hrToken = csrfFrom((await hr.get('/assignments').expect(200)).text);
    const created = await hr.post('/api/assignments').set('X-CSRF-Token', hrToken)
      .send({ course: 'CP12', branch: 'GZ', includeSubBranches: true, positions: ['柜员'], dueDays: 30 }).expect(201);
    // Only the teller in GZ is covered: not the manager (position), not SZ (branch).
    expect(created.body.enrolled).to.equal(1);
    const enrollment = db().prepare('SELECT id, due_at, source FROM enrollments WHERE user_id = ?').get(learnerId) as { id: number; due_at: string; source: string };
    expect(enrollment).to.include({ due_at: '2026-07-01', source: 'assignment' });
    expect(await statusOnHome('CP12')).to.equal('not_started');

    await sit(50);
    expect(await statusOnHome('CP12')).to.equal('failed');
    await sit(60);
    expect(await statusOnHome('CP12')).to.equal('failed');
    // Two attempts used of two: the third launch is refused until a trainer grants a retake.
    await learner.get('/learn/CP12').expect(403);
    expect(await statusOnHome('CP12')).to.equal('failed');
    expect((await learner.get('/me')).text).to.match(/data-blocked="lessons">本课程的学习次数已用完。如需重新学习，请联系培训管理员。/);

    // Past the due date without a pass: overdue.
    await jump('2026-07-01T16:00:00Z'); // 2026-07-02 00:00 in Shanghai
    expect(await statusOnHome('CP12')).to.equal('overdue');

    await ctx.app.lms.services.certification.grantRetake((await ctx.app.lms.repositories.users.findByUsername('tr'))! as never, enrollment.id, '系统故障导致第二次考试中断');
    expect(db().prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'enrollment.retake'").get()).to.deep.equal({ n: 1 });
    await sit(90);
    const [first] = certificates();
    expect(first.score).to.equal(90);
    // Completed 2026-07-02 (Shanghai) + 12 months.
    expect(first.expires_at).to.equal('2027-07-02');
    expect(await statusOnHome('CP12')).to.equal('certified');
    expect(db().prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'certificate.issue'").get()).to.deep.equal({ n: 1 });

    // Passing again while certified, before the renewal window: no second certificate.
    await sit(100);
    expect(certificates()).to.have.length(1);

    // 20 days before expiry: expiring, and the renewal window (60 days) is open.
    await jump('2027-06-12T02:00:00Z');
    expect(await statusOnHome('CP12')).to.equal('expiring');
    expect((await learner.get('/me')).text).to.include('复训换证');
    await sit(40);
    expect(await statusOnHome('CP12'), 'a failed renewal attempt leaves the valid certificate alone').to.equal('expiring');
    await sit(85);
    const renewed = certificates();
    expect(renewed).to.have.length(2);
    expect(renewed[1].expires_at).to.equal('2028-06-12');
    expect(renewed[1].serial).to.not.equal(renewed[0].serial);
    expect(await statusOnHome('CP12')).to.equal('certified');

    // Once the second certificate lapses without renewal: expired.
    await jump('2028-06-12T16:00:00Z');
    expect(await statusOnHome('CP12')).to.equal('expired');
  });

  it('enrolls new hires and transfers into a covered branch, with due dates counted from hire', async () => {
    const trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/assignments').expect(200)).text);
    await trainer.post('/api/assignments').set('X-CSRF-Token', token)
      .send({ course: 'CP12', branch: 'HO', includeSubBranches: true, positions: [], dueDays: 14, dueBasis: 'hire' }).expect(201);
    const due = (username: string) => (db().prepare('SELECT e.due_at FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.username = ?').get(username) as { due_at: string } | undefined)?.due_at;
    // Hired 2024-01-01 (long ago): 14 days from the assignment instead of overdue on day one.
    expect(due('emp')).to.equal('2026-06-15');

    ctx.clock.set('2026-06-10T02:00:00Z');
    const hire = await ctx.app.lms.services.org.createUser({
      username: 'newhire', employeeNo: 'N0001', name: '新员工', email: null, branchCode: 'SZ', position: '柜员', hiredAt: '2026-06-08', status: 'active', password: null,
    }, null);
    expect(due('newhire')).to.equal('2026-06-22');

    // A branch outside the assignment: nothing; moving into it enrolls.
    await createBranch(ctx.app, 'OTHER', null);
    const mover = await ctx.app.lms.services.org.createUser({
      username: 'mover', employeeNo: 'M0001', name: '调动员工', email: null, branchCode: 'OTHER', position: '柜员', hiredAt: '2020-01-01', status: 'active', password: null,
    }, null);
    expect(due('mover')).to.equal(undefined);
    await ctx.app.lms.services.org.updateUser(mover.id, {
      username: 'mover', employeeNo: 'M0001', name: '调动员工', email: null, branchCode: 'GZ', position: '柜员', hiredAt: '2020-01-01', status: 'active', password: null,
    }, null);
    expect(due('mover')).to.equal('2026-06-24');
    void hire;
  });

  it('validates assignments and keeps hr inside their subtree', async () => {
    const hr = (await signIn(ctx.app, 'hrgz')).agent;
    const token = csrfFrom((await hr.get('/assignments').expect(200)).text);
    const bad = await hr.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'CP12', branch: 'GZ', dueDays: 0, dueDate: '2026-02-30' }).expect(422);
    expect(bad.body.error.problems.map((p: { path: string }) => p.path)).to.include.members(['dueDays', 'dueDate']);
    const outside = await hr.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'CP12', branch: 'SZ', dueDate: '2026-09-01' }).expect(422);
    expect(outside.body.error.problems[0]).to.include({ path: 'branch', code: 'BRANCH_UNKNOWN' });
    await hr.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'NOPE', branch: 'GZ', dueDate: '2026-09-01' }).expect(422);
    await hr.post('/api/assignments').send({ course: 'CP12', branch: 'GZ', dueDate: '2026-09-01' }).expect(403);
    await learner.post('/api/assignments').set('X-CSRF-Token', csrfFrom((await learner.get('/me')).text)).send({ course: 'CP12', branch: 'GZ', dueDate: '2026-09-01' }).expect(403);
    expect(db().prepare('SELECT COUNT(*) AS n FROM assignments').get()).to.deep.equal({ n: 0 });

    // The form re-renders with the error next to the field and saves nothing.
    const form = await hr.post('/assignments').type('form').send({ _csrf: token, course: 'CP12', branch: 'GZ', includeSubBranches: 'true', dueDate: '', dueDays: '' }).expect(422);
    expect(form.text).to.include('id="dueDate-error"');
    // Field errors read in the user's language (zh-CN by default), not the API's English.
    expect(form.text).to.include('请填写固定截止日期或天数，二者选一。');
    await hr.post('/assignments').type('form').send({ _csrf: token, course: 'CP12', branch: 'GZ', includeSubBranches: 'false', positions: '柜员', dueDate: '2026-09-01', dueDays: '' }).expect(302);
    expect(db().prepare('SELECT include_sub_branches, positions_json, due_date FROM assignments').get()).to.deep.equal({ include_sub_branches: 0, positions_json: '["柜员"]', due_date: '2026-09-01' });
    expect(db().prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'assignment.create'").get()).to.deep.equal({ n: 1 });
  });
});
