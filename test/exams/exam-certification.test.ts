import { expect } from 'chai';
import { openPlayer } from '../helpers/launch.js';
import { csrfToken, signIn } from '../helpers/test-app.js';
import { answerAll, examWorld, type ExamWorld } from './exam-fixture.js';

const pathOf = (url: string) => new URL(url, 'http://x').pathname;

async function takeExam(world: ExamWorld, right: number) {
  const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({});
  if (start.status !== 201) return { status: start.status, body: start.body };
  await answerAll(world, start.body.attemptId, start.body.questions, right);
  const res = await world.learner.post(`/api/exam-attempts/${start.body.attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
  return { status: 201, body: res.body };
}

describe('exams and certification', function () {
  this.timeout(40_000);
  let world: ExamWorld;
  afterEach(() => world?.ctx.close());

  it('CP-106: 3 attempts per cycle — the 4th is refused 409, and all 3 failed papers are listed with answers for the trainer', async () => {
    world = await examWorld({ attemptsPerCycle: 3, passMark: 80 });
    for (let i = 0; i < 3; i += 1) expect((await takeExam(world, 2)).body.passed).to.equal(false);
    const fourth = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(409);
    expect(fourth.body.error.code).to.equal('EXAM_NO_ATTEMPTS_LEFT');
    expect(world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM exam_attempts').get()).to.deep.equal({ n: 3 });
    const page = await world.learner.get('/learn/G04/exam').expect(200);
    expect(page.text).to.contain('data-closed="EXAM_NO_ATTEMPTS_LEFT"');
    expect(page.text).to.contain('已用 3 / 3 次');
    const papers = await world.trainer.get('/api/courses/G04/exam/papers?learner=emp').expect(200);
    expect(papers.body.attempts).to.have.length(3);
    for (const a of papers.body.attempts) {
      expect(a).to.include({ passed: false, score: 40 });
      expect(a.paper).to.have.length(5);
      expect(a.paper.filter((q: { isCorrect: boolean }) => q.isCorrect)).to.have.length(2);
      for (const q of a.paper) {
        expect(q.options.filter((o: { isChosen: boolean }) => o.isChosen)).to.have.length(1);
        expect(q.options.filter((o: { isCorrect: boolean }) => o.isCorrect)).to.have.length(1);
      }
    }
    const html = await world.trainer.get('/trainer/courses/G04/exam/papers?learner=emp').expect(200);
    expect(html.text.match(/class="card exam-paper-record"/g)).to.have.length(3);
    // The learner cannot read the trainer's view.
    await world.learner.get('/api/courses/G04/exam/papers?learner=emp').expect(403);
    // A trainer's retake grant adds one attempt.
    const enrollment = world.app.lms.db.prepare("SELECT e.id FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.username = 'emp'").get() as { id: number };
    await world.app.lms.services.certification.grantRetake({ id: 1 } as never, enrollment.id, 'retake after coaching');
    expect((await takeExam(world, 5)).body.passed).to.equal(true);
  });

  it('a passing exam earns the certificate (exam only), dated now, naming the exam attempt; then the exam is closed until renewal', async () => {
    world = await examWorld({ requiresLessons: false });
    expect((await takeExam(world, 2)).body.passed).to.equal(false);
    expect(world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM certificates').get()).to.deep.equal({ n: 0 });
    const pass = await takeExam(world, 5);
    const cert = world.app.lms.db.prepare('SELECT exam_attempt_id, attempt_id, score, issued_at FROM certificates').get() as Record<string, unknown>;
    expect(cert).to.deep.include({ exam_attempt_id: pass.body.attemptId, attempt_id: null, score: 100 });
    const again = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(409);
    expect(again.body.error.code).to.equal('EXAM_ALREADY_CERTIFIED');
    const home = await world.learner.get('/me').expect(200);
    expect(home.text).to.match(/data-status="certified"/);
    // In the renewal window the exam opens again with a full allowance for the new cycle.
    world.ctx.clock.advance(320 * 86_400_000);
    world.learner = (await signIn(world.app, 'emp')).agent; // the old session timed out long ago
    world.csrf = await csrfToken(world.learner);
    const renewal = await takeExam(world, 5);
    expect(renewal.body.passed).to.equal(true);
    expect(world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM certificates').get()).to.deep.equal({ n: 2 });
  });

  it('"lessons complete and exam passed": the exam waits for the lessons, and the certificate needs both', async () => {
    world = await examWorld({ requiresLessons: true });
    const refused = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(409);
    expect(refused.body.error.code).to.equal('EXAM_LESSONS_INCOMPLETE');
    let home = await world.learner.get('/me').expect(200);
    expect(home.text).not.to.contain('data-exam-link');
    // The lessons: the SCORM course completed (and "passed" by the package, which no longer decides alone).
    const launch = await openPlayer(world.learner, 'G04');
    await world.learner.post(pathOf(launch.commitUrl)).send({ cmi: { completion_status: 'completed', success_status: 'passed', score: { scaled: '1' }, exit: 'normal' }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
    expect(world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM certificates').get()).to.deep.equal({ n: 0 });
    home = await world.learner.get('/me').expect(200);
    expect(home.text).to.contain('data-exam-link="start"');
    const player = await world.learner.get('/learn/G04').expect(200);
    expect(player.text).to.contain('data-exam-link');
    const pass = await takeExam(world, 4);
    expect(pass.body).to.include({ passed: true, score: 80 });
    const cert = world.app.lms.db.prepare('SELECT exam_attempt_id, attempt_id, score FROM certificates').get() as Record<string, unknown>;
    expect(cert.exam_attempt_id).to.equal(pass.body.attemptId);
    expect(cert.attempt_id).to.be.a('number');
    expect(cert.score).to.equal(80);
  });

  it('issues a certificate missed at submission in the daily reconcile', async () => {
    world = await examWorld({ requiresLessons: false });
    const certification = world.app.lms.services.certification;
    const original = certification.onExamPassed.bind(certification);
    certification.onExamPassed = async () => { throw new Error('disk full'); };
    const pass = await takeExam(world, 5);
    expect(pass.body.passed).to.equal(true);
    expect(world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM certificates').get()).to.deep.equal({ n: 0 });
    certification.onExamPassed = original;
    await world.app.lms.jobs.daily({});
    expect(world.app.lms.db.prepare('SELECT exam_attempt_id FROM certificates').get()).to.deep.equal({ exam_attempt_id: pass.body.attemptId });
  });
});
