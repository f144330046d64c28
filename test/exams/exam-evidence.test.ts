import { expect } from 'chai';
import { createUser, signIn } from '../helpers/test-app.js';
import { answerAll, examWorld, type ExamWorld } from './exam-fixture.js';

describe('exam papers in the evidence file', function () {
  this.timeout(40_000);
  let world: ExamWorld;
  afterEach(() => world?.ctx.close());

  it('lists every paper sat, as shown, with the answers given, the key, a mark per question and its audit events', async () => {
    world = await examWorld({ passMark: 80 });
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    await answerAll(world, start.body.attemptId, start.body.questions, 2);
    await world.learner.post(`/api/exam-attempts/${start.body.attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);

    await createUser(world.app, { username: 'auditor', roles: ['admin'] });
    const { agent: admin } = await signIn(world.app, 'auditor');
    const emp = (await world.app.lms.repositories.users.findByUsername('emp'))!;
    const res = await admin.get(`/hr/evidence/${emp.employeeNo}/G04.json`).expect(200);

    const [attempt, ...others] = res.body.exam.attempts;
    expect(others).to.deep.equal([]);
    expect(attempt).to.include({ attemptId: String(start.body.attemptId), score: 40, passed: false });
    expect(attempt.paper.map((q: { questionId: string }) => q.questionId)).to.deep.equal(start.body.questions.map((q: { id: number }) => String(q.id)));
    const stored = world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM exam_attempts WHERE id = ? AND correct_count = 2').get(start.body.attemptId);
    expect(stored).to.deep.equal({ n: 1 });
    expect(attempt.paper.reduce((sum: number, q: { mark: number }) => sum + q.mark, 0)).to.equal(2);
    for (const q of attempt.paper) {
      expect(q.answer).to.have.length(1);
      expect(q.correct).to.have.length(1);
      expect(q.mark).to.equal(q.answer[0] === q.correct[0] ? 1 : 0);
    }
    const actions = attempt.audit.map((e: { action: string }) => e.action);
    expect(actions).to.deep.equal(['exam.start', 'exam.submit']);
    const hashes = world.app.lms.db.prepare('SELECT hash FROM audit_events WHERE id IN (?, ?) ORDER BY id').all(attempt.audit[0].id, attempt.audit[1].id) as Array<{ hash: string }>;
    expect(hashes.map((h) => h.hash)).to.deep.equal(attempt.audit.map((e: { hash: string }) => e.hash));
  });
});
