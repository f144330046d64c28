import { expect } from 'chai';
import supertest from 'supertest';
import { answerAll, anotherLearner, examWorld, pick, type ExamWorld } from './exam-fixture.js';

describe('exam API: start, answer, submit, deadline', function () {
  this.timeout(30_000);
  let world: ExamWorld;
  afterEach(() => world?.ctx.close());

  it('starts a paper (201) without any key, and a second tab or device gets the same running paper (200)', async () => {
    world = await examWorld();
    const res = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    expect(res.body).to.include.keys('attemptId', 'deadline', 'questions');
    expect(res.body.questions).to.have.length(5);
    const q = res.body.questions[0];
    expect(Object.keys(q).sort()).to.deep.equal(['answer', 'id', 'options', 'stem', 'type']);
    expect(Object.keys(q.options[0]).sort()).to.deep.equal(['id', 'text']);
    expect(JSON.stringify(res.body)).not.to.match(/correct|EXPLAIN-MARKER|explanation/i);
    expect(new Date(res.body.deadline).getTime() - world.ctx.clock.now().getTime()).to.equal(10 * 60_000);
    // Another session of the same learner (second device): same attempt, same paper.
    const { agent: second } = await (await import('../helpers/test-app.js')).signIn(world.app, 'emp');
    const again = await second.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', await (await import('../helpers/test-app.js')).csrfToken(second)).send({}).expect(200);
    expect(again.body.attemptId).to.equal(res.body.attemptId);
    expect(again.body.questions.map((x: { id: number }) => x.id)).to.deep.equal(res.body.questions.map((x: { id: number }) => x.id));
    const rows = world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM exam_attempts').get() as { n: number };
    expect(rows.n).to.equal(1);
  });

  it('saves each answer as given, resumes it, grades on submit, and answers the same result to a second submit', async () => {
    world = await examWorld();
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    const { attemptId, questions } = start.body;
    await answerAll(world, attemptId, questions, 4);
    // Change of mind: the last answer counts.
    await world.learner.put(`/api/exam-attempts/${attemptId}/answers/${questions[4].id}`).set('X-CSRF-Token', world.csrf).send({ answer: [pick(questions[4], true)] }).expect(200);
    const saved = world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM exam_attempt_questions WHERE attempt_id = ? AND answer_json IS NOT NULL').get(attemptId) as { n: number };
    expect(saved.n).to.equal(5);
    const resumed = await world.learner.get(`/api/exam-attempts/${attemptId}`).expect(200);
    expect(resumed.body.status).to.equal('running');
    expect(resumed.body.questions[0].answer).to.deep.equal([pick(questions[0], true)]);
    const submit = await world.learner.post(`/api/exam-attempts/${attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
    expect(submit.body).to.include({ score: 100, passed: true, correctCount: 5 });
    const again = await world.learner.post(`/api/exam-attempts/${attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
    expect(again.body.score).to.equal(100);
    expect(again.body.submittedAt).to.equal(submit.body.submittedAt);
    const late = await world.learner.put(`/api/exam-attempts/${attemptId}/answers/${questions[0].id}`).set('X-CSRF-Token', world.csrf).send({ answer: [] }).expect(409);
    expect(late.body.error.code).to.equal('EXAM_SUBMITTED');
    const audit = world.app.lms.db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'exam.submit'").get() as { n: number };
    expect(audit.n).to.equal(1);
    const stats = world.app.lms.db.prepare('SELECT SUM(shown) AS shown, SUM(correct) AS correct FROM exam_item_stats').get() as { shown: number; correct: number };
    expect(stats).to.deep.equal({ shown: 5, correct: 5 });
  });

  it('refuses bad input: another learner\'s attempt or a foreign question 404, malformed answers 422, missing CSRF 403', async () => {
    world = await examWorld();
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    const { attemptId, questions } = start.body;
    const other = await anotherLearner(world, 'emp2');
    await other.agent.put(`/api/exam-attempts/${attemptId}/answers/${questions[0].id}`).set('X-CSRF-Token', other.csrf).send({ answer: [pick(questions[0], true)] }).expect(404);
    await other.agent.get(`/api/exam-attempts/${attemptId}`).expect(404);
    await other.agent.post(`/api/exam-attempts/${attemptId}/submit`).set('X-CSRF-Token', other.csrf).send({}).expect(404);
    const inPaper = new Set(questions.map((q: { id: number }) => q.id));
    const foreign = [...Array(20).keys()].map((i) => i + 1).find((id) => !inPaper.has(id))!;
    await world.learner.put(`/api/exam-attempts/${attemptId}/answers/${foreign}`).set('X-CSRF-Token', world.csrf).send({ answer: [] }).expect(404);
    await world.learner.put(`/api/exam-attempts/999999/answers/${questions[0].id}`).set('X-CSRF-Token', world.csrf).send({ answer: [] }).expect(404);
    await world.learner.put(`/api/exam-attempts/abc/answers/${questions[0].id}`).set('X-CSRF-Token', world.csrf).send({ answer: [] }).expect(404);
    const url = `/api/exam-attempts/${attemptId}/answers/${questions[0].id}`;
    for (const body of [{ answer: 'A' }, { answer: [1] }, {}, { answer: ['x'.repeat(30)] }, { answer: ['unknown-id'] }, { answer: questions[0].options.map((o: { id: string }) => o.id).slice(0, 2) }, { answer: [], extra: 1 }]) {
      const res = await world.learner.put(url).set('X-CSRF-Token', world.csrf).send(body).expect(422);
      expect(res.body.error.code).to.match(/VALIDATION_FAILED|ANSWER_INVALID/);
    }
    await world.learner.put(url).send({ answer: [] }).expect(403);
    const stored = world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM exam_attempt_questions WHERE attempt_id = ? AND answer_json IS NOT NULL').get(attemptId) as { n: number };
    expect(stored.n).to.equal(0);
  });

  it('takes the exam with the learner\'s API token (no session, no CSRF)', async () => {
    world = await examWorld();
    const emp = (await world.app.lms.repositories.users.findByUsername('emp'))!;
    const { token } = await world.app.lms.repositories.apiTokens.create(emp.id, 'integration', { actorId: null });
    const api = supertest(world.app);
    const start = await api.post('/api/courses/G04/exam/attempts').set('Authorization', `Bearer ${token}`).send({}).expect(201);
    for (const q of start.body.questions) {
      await api.put(`/api/exam-attempts/${start.body.attemptId}/answers/${q.id}`).set('Authorization', `Bearer ${token}`).send({ answer: [pick(q, false)] }).expect(200);
    }
    const res = await api.post(`/api/exam-attempts/${start.body.attemptId}/submit`).set('Authorization', `Bearer ${token}`).send({}).expect(200);
    expect(res.body).to.include({ score: 0, passed: false });
    expect(res.body.review).to.have.length(5);
  });

  it('keeps the server\'s time: answers within the grace count, later ones get 409 EXAM_TIME_UP and the paper is submitted as it stood', async () => {
    world = await examWorld();
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    const { attemptId, questions } = start.body;
    world.ctx.clock.advance(10 * 60_000 + 3_000);
    await world.learner.put(`/api/exam-attempts/${attemptId}/answers/${questions[0].id}`).set('X-CSRF-Token', world.csrf).send({ answer: [pick(questions[0], true)] }).expect(200);
    world.ctx.clock.advance(3_000);
    const late = await world.learner.put(`/api/exam-attempts/${attemptId}/answers/${questions[1].id}`).set('X-CSRF-Token', world.csrf).send({ answer: [pick(questions[1], true)] }).expect(409);
    expect(late.body.error.code).to.equal('EXAM_TIME_UP');
    const row = world.app.lms.db.prepare('SELECT submitted_by, correct_count, score FROM exam_attempts WHERE id = ?').get(attemptId);
    expect(row).to.deep.equal({ submitted_by: 'deadline', correct_count: 1, score: 20 });
    const view = await world.learner.get(`/api/exam-attempts/${attemptId}`).expect(200);
    expect(view.body.result).to.include({ submittedBy: 'deadline', score: 20 });
  });

  it('closes papers whose time ran out in the daily job, without anyone looking', async () => {
    world = await examWorld();
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    world.ctx.clock.advance(11 * 60_000);
    await world.app.lms.jobs.daily({});
    const row = world.app.lms.db.prepare('SELECT submitted_by, score FROM exam_attempts WHERE id = ?').get(start.body.attemptId);
    expect(row).to.deep.equal({ submitted_by: 'deadline', score: 0 });
  });

  it('shows the key per review policy: after passing only', async () => {
    world = await examWorld({ reviewPolicy: 'after_pass' });
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    await answerAll(world, start.body.attemptId, start.body.questions, 1);
    const failed = await world.learner.post(`/api/exam-attempts/${start.body.attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
    expect(failed.body).to.include({ passed: false, review: null });
    expect(JSON.stringify(failed.body)).not.to.match(/EXPLAIN-MARKER/);
    const second = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    await answerAll(world, second.body.attemptId, second.body.questions, 5);
    const passed = await world.learner.post(`/api/exam-attempts/${second.body.attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
    expect(passed.body.passed).to.equal(true);
    expect(passed.body.review[0].explanation).to.match(/EXPLAIN-MARKER/);
  });

  it('score only: no key even after passing', async () => {
    world = await examWorld({ reviewPolicy: 'score_only' });
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    await answerAll(world, start.body.attemptId, start.body.questions, 5);
    const res = await world.learner.post(`/api/exam-attempts/${start.body.attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
    expect(res.body).to.include({ passed: true, review: null });
  });

  it('draws from the bank as it is now: questions retired after a paper was drawn are not drawn again (cached draw pools follow the bank)', async () => {
    world = await examWorld({ rules: [{ count: 17, tags: [], difficulties: [] }], attemptsPerCycle: null });
    const first = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    await world.learner.post(`/api/exam-attempts/${first.body.attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
    for (const id of [1, 2, 3]) await world.trainer.post(`/api/question-banks/B1/questions/${id}/retire`).set('X-CSRF-Token', world.trainerCsrf).send({}).expect(204);
    const second = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    const drawn = (second.body.questions as Array<{ id: number }>).map((q) => q.id).sort((a, b) => a - b);
    expect(drawn).to.deep.equal(Array.from({ length: 17 }, (_, i) => i + 4));
  });

  it('speaks English to an English-speaking learner, and refuses a paper the bank can no longer fill (retired questions are not drawn)', async () => {
    world = await examWorld({ rules: [{ count: 18, tags: [], difficulties: [] }] });
    const emp = (await world.app.lms.repositories.users.findByUsername('emp'))!;
    await world.app.lms.repositories.users.setLocale(emp.id, 'en');
    const page = await world.learner.get('/learn/G04/exam').expect(200);
    expect(page.text).to.contain('Start the exam');
    expect(page.text).to.contain('18');
    for (const id of [1, 2, 3]) await world.trainer.post(`/api/question-banks/B1/questions/${id}/retire`).set('X-CSRF-Token', world.trainerCsrf).send({}).expect(204);
    const res = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(409);
    expect(res.body.error.code).to.equal('EXAM_BANK_TOO_SMALL');
    expect(world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM exam_attempts').get()).to.deep.equal({ n: 0 });
  });
});
