import { expect } from 'chai';
import { signIn, type TestContext } from '../helpers/test-app.js';
import { appWithCourses, GOLF_12, GOLF_2004, openPlayer } from '../helpers/launch.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];

describe('SCORM commit endpoint', () => {
  let ctx: TestContext;
  let learner: Agent;

  beforeEach(async () => {
    ctx = await appWithCourses({ G12: GOLF_12, G04: GOLF_2004 }, ['emp', 'other']);
    learner = (await signIn(ctx.app, 'emp')).agent;
  });
  afterEach(() => ctx.close());

  const state = (scoId?: number) => ctx.app.lms.db.prepare(`SELECT * FROM sco_states ${scoId ? 'WHERE sco_id = ?' : ''}`).get(...(scoId ? [scoId] : [])) as Record<string, unknown> | undefined;
  const pathOf = (url: string) => new URL(url, 'http://x').pathname;

  it('stores a JSON commit and a text/plain beacon, answering {"result":true,"errorCode":0}', async () => {
    const launch = await openPlayer(learner, 'G12');
    const first = await learner.post(pathOf(launch.commitUrl)).send({ cmi: { core: { lesson_location: 'page-3', lesson_status: 'incomplete' }, suspend_data: '书签=3' }, seq: 1 }).expect(200);
    expect(first.body).to.deep.equal({ result: true, errorCode: 0 });
    const beacon = JSON.stringify({ cmi: { core: { lesson_status: 'passed', score: { raw: '85', min: '0', max: '100' }, exit: 'suspend', session_time: '00:02:30' } }, seq: 2, terminate: true });
    await learner.post(pathOf(launch.commitUrl)).set('Content-Type', 'text/plain;charset=UTF-8').send(beacon).expect(200, { result: true, errorCode: 0 });
    const row = state()!;
    expect(row).to.include({ location: 'page-3', completion_status: 'completed', success_status: 'passed', score_raw: 85, exit: 'suspend', total_seconds: 150 });
    expect(JSON.parse(row.cmi_json as string)['cmi.suspend_data']).to.equal('书签=3');
  });

  it('refuses invalid values with the SCORM error code and keeps the stored state', async () => {
    const launch = await openPlayer(learner, 'G04');
    const url = pathOf(launch.commitUrl);
    await learner.post(url).send({ cmi: { location: 'L1', completion_status: 'incomplete', score: { scaled: '0.5' } }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
    const before = state()!;
    const cases: Array<[string, object, number]> = [
      ['out-of-range score', { cmi: { score: { scaled: '1.5' } } }, 407],
      ['bad status word', { cmi: { completion_status: 'done' } }, 406],
      ['malformed time', { cmi: { session_time: '00:05:00' } }, 406],
      ['64,001 characters of suspend data', { cmi: { suspend_data: '中'.repeat(64_001) } }, 406],
      ['interaction index 999999999', { cmi: { interactions: { 999999999: { id: 'q1', type: 'choice' } } } }, 351],
    ];
    let seq = 2;
    for (const [name, body, code] of cases) {
      const res = await learner.post(url).send({ ...body, seq: seq++ }).expect(200);
      expect(res.body.result, name).to.equal(false);
      expect(res.body.errorCode, name).to.equal(code);
      const after = state()!;
      expect(after.cmi_json, name).to.equal(before.cmi_json);
      expect(after.score_scaled, name).to.equal(before.score_scaled);
    }
    const proto = await learner.post(url).set('Content-Type', 'application/json').send(`{"cmi":{"__proto__":{"polluted":"yes"},"location":"L2"},"seq":${seq}}`).expect(200);
    expect(proto.body.result).to.equal(false);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    // The good element in the same commit is kept: one refused element never loses the rest.
    expect(state()!.location).to.equal('L2');
  });

  it('accepts 64,000 Chinese characters of suspend data', async () => {
    const launch = await openPlayer(learner, 'G04');
    const text = '进度'.repeat(32_000);
    await learner.post(pathOf(launch.commitUrl)).send({ cmi: { suspend_data: text }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
    expect(JSON.parse(state()!.cmi_json as string)['cmi.suspend_data']).to.equal(text);
  });

  it('ignores replayed and out-of-order commits and never downgrades a recorded pass', async () => {
    const launch = await openPlayer(learner, 'G12');
    const url = pathOf(launch.commitUrl);
    const passed = { cmi: { core: { lesson_status: 'passed', score: { raw: '90' }, lesson_location: 'end' } }, seq: 5 };
    await learner.post(url).send(passed).expect(200);
    const afterPass = state()!;
    await learner.post(url).send(passed).expect(200, { result: true, errorCode: 0 });
    await learner.post(url).send({ cmi: { core: { lesson_status: 'incomplete', lesson_location: 'start' } }, seq: 3 }).expect(200, { result: true, errorCode: 0 });
    expect(state()).to.deep.equal(afterPass);
    await learner.post(url).send({ cmi: { core: { lesson_status: 'failed', score: { raw: '10' } } }, seq: 6 }).expect(200);
    expect(state()!.success_status).to.equal('passed');
    expect(state()!.score_raw).to.equal(90);
  });

  it('refuses commits after terminate', async () => {
    const launch = await openPlayer(learner, 'G04');
    const url = pathOf(launch.commitUrl);
    await learner.post(url).send({ cmi: { exit: 'suspend' }, seq: 1, terminate: true }).expect(200, { result: true, errorCode: 0 });
    const late = await learner.post(url).send({ cmi: { location: 'late' }, seq: 2 }).expect(200);
    expect(late.body).to.deep.equal({ result: false, errorCode: 143 });
    expect(state()!.location).to.equal(null);
  });

  it('answers 404 for another user\'s launch and 401 without a session; the learner never comes from the body', async () => {
    const launch = await openPlayer(learner, 'G12');
    const { agent: other } = await signIn(ctx.app, 'other');
    await other.post(pathOf(launch.commitUrl)).send({ cmi: { core: { lesson_status: 'passed' } }, seq: 1 }).expect(404);
    await other.post('/scorm/commit/not-a-token').send({ cmi: {}, seq: 1 }).expect(404);
    const { default: supertest } = await import('supertest');
    await supertest(ctx.app).post(pathOf(launch.commitUrl)).send({ cmi: {} }).expect(401);
    await learner.post(pathOf(launch.commitUrl)).send({ cmi: { core: { student_id: 'someone-else', lesson_location: 'x' } }, seq: 1, userId: 999 }).expect(200);
    const owner = ctx.app.lms.db.prepare('SELECT e.user_id FROM enrollments e JOIN attempts a ON a.enrollment_id = e.id JOIN sco_states s ON s.attempt_id = a.id').get() as { user_id: number };
    expect(owner.user_id).to.equal((await ctx.app.lms.repositories.users.findByUsername('emp'))!.id);
    expect(state()!.location).to.equal('x');
  });

  it('resumes: entry is resume only after a suspend exit, with location and suspend data preloaded', async () => {
    let launch = await openPlayer(learner, 'G12');
    expect((launch.state.cmi.core as Record<string, string>).entry).to.equal('ab-initio');
    await learner.post(pathOf(launch.commitUrl)).send({ cmi: { core: { lesson_location: 'p7', exit: 'suspend', session_time: '00:01:00' }, suspend_data: 'abc' }, seq: 1, terminate: true }).expect(200);
    launch = await openPlayer(learner, 'G12');
    const core = launch.state.cmi.core as Record<string, string>;
    expect(core.entry).to.equal('resume');
    expect(core.lesson_location).to.equal('p7');
    expect(launch.state.cmi.suspend_data).to.equal('abc');
    expect(core.total_time).to.equal('0000:01:00.00');
  });

  it('starts a new attempt after completion, records interactions, and enforces the attempts limit', async () => {
    ctx.app.lms.db.prepare("UPDATE courses SET attempts_limit = 2 WHERE code = 'G04'").run();
    for (let n = 1; n <= 2; n++) {
      const launch = await openPlayer(learner, 'G04');
      await learner.post(pathOf(launch.commitUrl)).send({
        // Both fail: a pass would earn a certificate and start a new cycle with a fresh allowance.
        cmi: { completion_status: 'completed', success_status: 'failed', score: { scaled: n === 1 ? '0.4' : '0.6' }, exit: 'normal',
          interactions: [{ id: 'q1', type: 'choice', learner_response: n === 1 ? 'b' : 'a', correct_responses: [{ pattern: 'a' }], result: n === 1 ? 'incorrect' : 'correct', latency: 'PT5S' }] },
        seq: 1, terminate: true,
      }).expect(200, { result: true, errorCode: 0 });
    }
    const attempts = ctx.app.lms.db.prepare('SELECT number, completion_status, success_status, score_scaled, finished_at FROM attempts ORDER BY number').all() as Array<Record<string, unknown>>;
    expect(attempts.map((a) => [a.number, a.success_status, a.score_scaled])).to.deep.equal([[1, 'failed', 0.4], [2, 'failed', 0.6]]);
    expect(attempts.every((a) => a.finished_at)).to.equal(true);
    const interactions = ctx.app.lms.db.prepare('SELECT attempt_id, interaction_id, response, correct_response, result FROM interactions ORDER BY attempt_id').all();
    expect(interactions).to.have.length(2);
    expect(interactions[1]).to.include({ interaction_id: 'q1', response: 'a', correct_response: 'a', result: 'correct' });
    const locked = await learner.get('/learn/G04').expect(403);
    expect(locked.text).to.contain('2');
    const { agent: trainer } = await signIn(ctx.app, 'tr');
    const report = await trainer.get('/api/courses/G04/attempts').expect(200);
    expect(report.body.map((r: { attempt: number; successStatus: string; score: number }) => [r.attempt, r.successStatus, r.score])).to.deep.equal([[1, 'failed', 40], [2, 'failed', 60]]);
    expect(Object.keys(report.body[0])).to.have.members(['employeeNo', 'attempt', 'attemptId', 'completionStatus', 'successStatus', 'score', 'totalSeconds', 'measuredSeconds', 'tries', 'launches', 'startedAt', 'finishedAt']);
    await learner.get('/api/courses/G04/attempts').expect(403);
  });
});
