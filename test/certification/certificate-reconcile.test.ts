import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';

const pathOf = (url: string) => new URL(url, 'http://x').pathname;

// A passing commit is stored even when its certificate cannot be issued at that moment; the daily
// reconcile issues it later, dated from the attempt's completion.
describe('certificates missed at completion: the commit still lands, the daily reconcile issues them', () => {
  let ctx: TestContext;
  let learnerId: number;

  beforeEach(async () => {
    ctx = buildTestApp(); // 2026-06-01T02:00:00Z
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    learnerId = (await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' })).id;
    await publishCourse(ctx.app, 'tr', 'CP12', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
    const trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    await trainer.patch('/api/courses/CP12').set('X-CSRF-Token', token).send({ passMark: 80, attemptsLimit: 3, validityMonths: 12 }).expect(200);
  });
  afterEach(() => ctx.close());

  const db = () => ctx.app.lms.db;
  const certificates = () => db().prepare('SELECT attempt_id, score, issued_at, expires_at FROM certificates WHERE user_id = ?').all(learnerId) as
    Array<{ attempt_id: number; score: number; issued_at: string; expires_at: string }>;
  const attempts = () => db().prepare(`SELECT a.id, a.completed_at, a.success_status FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
    WHERE e.user_id = ? ORDER BY a.number`).all(learnerId) as Array<{ id: number; completed_at: string | null; success_status: string }>;

  /** Launch, report a score, leave normally: the answer must be SCORM success whatever certification does. */
  const sit = async (score: number) => {
    const { agent } = await signIn(ctx.app, 'emp');
    const launch = await openPlayer(agent, 'CP12');
    const status = score >= 80 ? 'passed' : 'failed';
    await agent.post(pathOf(launch.commitUrl))
      .send({ cmi: { core: { lesson_status: status, score: { raw: String(score), min: '0', max: '100' }, exit: '', session_time: '00:10:00' } }, seq: 1, terminate: true })
      .expect(200, { result: true, errorCode: 0 });
  };

  it('answers the passing commit with success, then issues the certificate once, dated from the completion', async () => {
    await sit(50);
    db().exec("CREATE TEMP TRIGGER certificates_unavailable BEFORE INSERT ON certificates BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
    await sit(90);
    expect(certificates(), 'nothing could be issued').to.deep.equal([]);
    const [failed, passed] = attempts();
    expect(passed).to.deep.include({ completed_at: '2026-06-01T02:00:00.000Z', success_status: 'passed' });

    db().exec('DROP TRIGGER certificates_unavailable');
    ctx.clock.advance(2 * 86_400_000);
    expect(await ctx.app.lms.services.certification.reconcileCertificates()).to.equal(1);
    expect(certificates()).to.deep.equal([{ attempt_id: passed.id, score: 90, issued_at: '2026-06-01T02:00:00.000Z', expires_at: '2027-06-01' }]);
    expect(certificates().some((c) => c.attempt_id === failed.id)).to.equal(false);
    const audited = db().prepare("SELECT COUNT(*) FROM audit_events WHERE action = 'certificate.issue'").pluck().get();
    expect(audited).to.equal(1);

    expect(await ctx.app.lms.services.certification.reconcileCertificates(), 'a second run finds nothing').to.equal(0);
    expect(certificates()).to.have.length(1);
  });

  it('leaves attempts completed before its window, and attempts a later certificate already covers', async () => {
    db().exec("CREATE TEMP TRIGGER certificates_unavailable BEFORE INSERT ON certificates BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
    await sit(85);
    db().exec('DROP TRIGGER certificates_unavailable');
    ctx.clock.advance(86_400_000);
    await sit(95); // issued normally, after the missed one
    expect(certificates()).to.have.length(1);
    expect(await ctx.app.lms.services.certification.reconcileCertificates()).to.equal(0);

    ctx.clock.advance(8 * 86_400_000);
    db().prepare('DELETE FROM certificates').run();
    expect(await ctx.app.lms.services.certification.reconcileCertificates(), 'outside the 7-day window').to.equal(0);
  });
});
