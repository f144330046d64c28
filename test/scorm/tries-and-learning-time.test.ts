import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];
const pathOf = (url: string) => new URL(url, 'http://x').pathname;

describe('every try and every minute on record (SCORM)', () => {
  let ctx: TestContext;
  let learner: Agent;
  let trainer: Agent;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO', name: '王小明' });
    await createUser(ctx.app, { username: 'other', roles: ['employee'], branch: 'HO' });
    await publishCourse(ctx.app, 'tr', 'CP106', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
    trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer')).text);
    await trainer.patch('/api/courses/CP106').set('X-CSRF-Token', token).send({ passMark: 80, attemptsLimit: 3, validityMonths: 12 }).expect(200);
    learner = (await signIn(ctx.app, 'emp')).agent;
  });
  afterEach(() => ctx.close());

  const db = () => ctx.app.lms.db;
  const result = (status: string, raw: string, q: string) => ({
    cmi: { core: { lesson_status: status, score: { raw, min: '0', max: '100' } }, interactions: { 0: { id: 'q1', type: 'choice', student_response: q, result: q === 'b' ? 'correct' : 'wrong' } } },
  });

  it("keeps a package's own fail-then-pass as two tries, each with its time, score and answers", async () => {
    const url = pathOf((await openPlayer(learner, 'CP106')).commitUrl);
    await learner.post(url).send({ ...result('failed', '40', 'a'), seq: 1 }).expect(200, { result: true, errorCode: 0 });
    ctx.clock.advance(60_000);
    await learner.post(url).send({ ...result('passed', '100', 'b'), seq: 2 }).expect(200, { result: true, errorCode: 0 });
    const tries = db().prepare('SELECT try_number, success_status, score_raw, recorded_at, interactions_json FROM attempt_tries ORDER BY id').all() as Array<Record<string, unknown>>;
    expect(tries.map((t) => [t.try_number, t.success_status, t.score_raw])).to.deep.equal([[1, 'failed', 40], [2, 'passed', 100]]);
    expect(tries[1].recorded_at).to.equal('2026-06-01T02:01:00.000Z');
    expect(JSON.parse(tries[0].interactions_json as string)[0]).to.include({ id: 'q1', response: 'a', result: 'wrong' });
    expect(db().prepare('SELECT tries_count, success_status FROM attempts').get()).to.deep.equal({ tries_count: 2, success_status: 'passed' });

    const attemptId = (db().prepare('SELECT id FROM attempts').pluck().get() as number);
    const api = await trainer.get(`/api/courses/CP106/attempts/${attemptId}`).expect(200);
    expect(api.body.tries.map((t: { tryNumber: number; score: number }) => [t.tryNumber, t.score])).to.deep.equal([[1, 40], [2, 100]]);
    const page = await trainer.get(`/trainer/courses/CP106/attempts/${attemptId}`).expect(200);
    expect(page.text).to.include('王小明').and.include('data-try="2"');
    const list = await trainer.get('/trainer/courses/CP106/attempts').expect(200);
    expect(list.text).to.match(/data-tries>2</);
    // hr sees attempts of their subtree only; learners not at all.
    await createBranch(ctx.app, 'SH', 'HO');
    await createUser(ctx.app, { username: 'hrsh', roles: [{ role: 'hr', scope: 'SH' }], branch: 'SH' });
    await createUser(ctx.app, { username: 'hrho', roles: [{ role: 'hr', scope: 'HO' }], branch: 'HO' });
    await (await signIn(ctx.app, 'hrsh')).agent.get(`/api/courses/CP106/attempts/${attemptId}`).expect(404);
    await (await signIn(ctx.app, 'hrho')).agent.get(`/api/courses/CP106/attempts/${attemptId}`).expect(200);
    await learner.get(`/api/courses/CP106/attempts/${attemptId}`).expect(403);
  });

  it('counts failed tries inside one attempt against the attempt limit: the 4th is refused', async () => {
    const url = pathOf((await openPlayer(learner, 'CP106')).commitUrl);
    let seq = 1;
    for (const raw of ['40', '30', '20']) {
      await learner.post(url).send({ ...result('failed', raw, 'a'), seq: seq++ }).expect(200);
      ctx.clock.advance(30_000);
    }
    await learner.post(url).send({ cmi: { core: { exit: '', session_time: '00:01:30' } }, seq, terminate: true }).expect(200);
    expect(db().prepare('SELECT tries_count, finished_at IS NOT NULL AS finished FROM attempts').get()).to.deep.equal({ tries_count: 3, finished: 1 });
    const learners = await trainer.get('/trainer/courses/CP106/learners').expect(200);
    expect(learners.text).to.include('data-tries="3"').and.include('data-locked');
    await learner.get('/learn/CP106').expect(403);
    expect(db().prepare('SELECT COUNT(*) FROM attempts').pluck().get()).to.equal(1);
  });

  it('measures an attempt of 12 launches over about 4 minutes as about 4 minutes, while SCORM says 2 seconds; a killed browser adds nothing more', async () => {
    let url = '';
    for (let i = 0; i < 12; i++) {
      if (i > 0) ctx.clock.advance(5_000);
      url = pathOf((await openPlayer(learner, 'CP106')).commitUrl);
      ctx.clock.advance(5_000);
      await learner.post(url).send({ cmi: { core: { lesson_location: `p${i}` } }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
      ctx.clock.advance(10_000);
      await learner.post(`${url}/heartbeat`).expect(200);
    }
    // The last launch ends with the course's own (wrong) session time: 2 seconds in all.
    await learner.post(url).send({ cmi: { core: { session_time: '00:00:02', exit: 'suspend' } }, seq: 2, terminate: true }).expect(200);
    // The browser is killed: nothing more arrives; a later stray heartbeat of the dead launch counts nothing.
    ctx.clock.advance(30 * 60_000);
    await learner.post(`${url}/heartbeat`).expect(200, { result: false, counted: false });
    const attempt = db().prepare('SELECT id, total_seconds, measured_seconds, launch_count FROM attempts').get() as { id: number; total_seconds: number; measured_seconds: number; launch_count: number };
    expect(attempt.launch_count).to.equal(12);
    expect(attempt.total_seconds).to.equal(2);
    // First launch at 0 s, last signal (the terminating commit) at 12 × 20 − 5 = 235 s.
    expect(attempt.measured_seconds).to.be.within(225, 240);
    const api = await trainer.get(`/api/courses/CP106/attempts/${attempt.id}`).expect(200);
    expect(api.body.attempt.learningTime).to.deep.equal({ scormSeconds: 2, measuredSeconds: Math.round(attempt.measured_seconds) });
    expect(api.body.attempt.launches).to.equal(12);
  });

  it('cuts idle gaps longer than 5 minutes, and accepts heartbeats only from the launch owner', async () => {
    const url = pathOf((await openPlayer(learner, 'CP106')).commitUrl);
    ctx.clock.advance(60_000);
    await learner.post(`${url}/heartbeat`).expect(200, { result: true, counted: true });
    ctx.clock.advance(10 * 60_000);
    await learner.post(`${url}/heartbeat`).expect(200, { result: true, counted: true });
    ctx.clock.advance(30_000);
    await learner.post(`${url}/heartbeat`).expect(200);
    expect(db().prepare('SELECT measured_seconds FROM attempts').pluck().get()).to.equal(90);
    const other = (await signIn(ctx.app, 'other')).agent;
    ctx.clock.advance(30_000);
    await other.post(`${url}/heartbeat`).expect(404);
    expect(db().prepare('SELECT measured_seconds FROM attempts').pluck().get()).to.equal(90);
  });
});
