import { expect } from 'chai';
import Database from 'better-sqlite3';
import type supertest from 'supertest';
import { examWorld, pick, type ExamWorld } from './exam-fixture.js';

const sessionCookieOf = (res: supertest.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lms.sid='));

// Start, answers and submit sign in straight from the session cookie with the CSRF header checked
// (server/auth/session-reader.ts, exams.routes.ts examsFastLane). The full express-session chain
// rolls the cookie on every response; the fast lane re-issues it at most once a minute, so a
// response without Set-Cookie is one the fast lane answered.
describe('exam fast lane: session cookie + CSRF header', function () {
  this.timeout(30_000);
  let world: ExamWorld;
  afterEach(() => world?.ctx.close());

  it('answers start, answer and submit on the fast lane, each durable in the database file (read from another connection) when acknowledged', async () => {
    world = await examWorld();
    const other = new Database(world.app.lms.config.databaseFile, { readonly: true });
    try {
      const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
      expect(sessionCookieOf(start), 'the full chain answered the start').to.equal(undefined);
      const { attemptId, questions } = start.body as { attemptId: number; questions: Array<{ id: number; type: string; stem: string; options: Array<{ id: string; text: string }> }> };
      expect(other.prepare('SELECT COUNT(*) FROM exam_attempt_questions WHERE attempt_id = ?').pluck().get(attemptId)).to.equal(5);

      const stored = other.prepare('SELECT answer_json FROM exam_attempt_questions WHERE attempt_id = ? AND question_id = ?').pluck();
      // Saves sent together share one group commit; each is answered only once it is on disk.
      const saves = await Promise.all(questions.map((q) => world.learner.put(`/api/exam-attempts/${attemptId}/answers/${q.id}`)
        .set('X-CSRF-Token', world.csrf).send({ answer: [pick(q, true)] }).then((res) => ({ res, atAnswer: stored.get(attemptId, q.id) }))));
      for (const [i, { res, atAnswer }] of saves.entries()) {
        expect(res.status).to.equal(200);
        expect(sessionCookieOf(res), 'the full chain answered an answer save').to.equal(undefined);
        expect(atAnswer, 'acknowledged before it was committed').to.equal(JSON.stringify([pick(questions[i], true)]));
      }

      const submit = await world.learner.post(`/api/exam-attempts/${attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
      expect(sessionCookieOf(submit), 'the full chain answered the submit').to.equal(undefined);
      expect(submit.body).to.include({ score: 100, passed: true });
      expect(other.prepare('SELECT score FROM exam_attempts WHERE id = ?').pluck().get(attemptId)).to.equal(100);
    } finally {
      other.close();
    }
  });

  it('leaves a wrong or missing CSRF header to the full chain, which refuses it and stores nothing', async () => {
    world = await examWorld();
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    const q = start.body.questions[0];
    const url = `/api/exam-attempts/${start.body.attemptId}/answers/${q.id}`;
    const wrong = `${world.csrf.slice(0, -2)}${world.csrf.endsWith('AA') ? 'BB' : 'AA'}`;
    await world.learner.put(url).set('X-CSRF-Token', wrong).send({ answer: [pick(q, true)] }).expect(403);
    await world.learner.put(url).send({ answer: [pick(q, true)] }).expect(403);
    expect(world.app.lms.db.prepare('SELECT COUNT(*) FROM exam_attempt_questions WHERE answer_json IS NOT NULL').pluck().get()).to.equal(0);
  });
});
