import { expect } from 'chai';
import { createUser, csrfFrom, signIn } from '../helpers/test-app.js';
import { answerAll, examWorld, type ExamWorld } from './exam-fixture.js';

interface ReportRow { employee_no: string | null; course_code: string; status: string; [key: string]: unknown }

/** Certification status from exam attempts: reports (CSV and JSON), the employee home, the trainer's learners page. */
describe('exam attempts in the certification status', function () {
  this.timeout(40_000);
  let world: ExamWorld;
  afterEach(() => world?.ctx.close());

  async function assignG04(w: ExamWorld) {
    await createUser(w.app, { username: 'hrho', roles: [{ role: 'hr', scope: 'HO' }], branch: 'HO' });
    const hr = (await signIn(w.app, 'hrho')).agent;
    const token = csrfFrom((await hr.get('/assignments').expect(200)).text);
    await hr.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'G04', branch: 'HO', includeSubBranches: true, dueDays: 30 }).expect(201);
    const emp = w.app.lms.db.prepare("SELECT employee_no FROM users WHERE username = 'emp'").get() as { employee_no: string };
    return { hr, employeeNo: emp.employee_no };
  }

  async function startExam(w: ExamWorld) {
    const start = await w.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', w.csrf).send({}).expect(201);
    return start.body as { attemptId: number; questions: Parameters<typeof answerAll>[2] };
  }

  async function takeExam(w: ExamWorld, right: number): Promise<boolean> {
    const { attemptId, questions } = await startExam(w);
    await answerAll(w, attemptId, questions, right);
    return (await w.learner.post(`/api/exam-attempts/${attemptId}/submit`).set('X-CSRF-Token', w.csrf).send({}).expect(200)).body.passed as boolean;
  }

  const homeCard = (html: string) => html.slice(html.indexOf('data-course="G04"'));

  it('a failed exam is `failed` in the hr export (JSON and CSV) and on the home with attempts left; the trainer sees used 1 / 3', async () => {
    world = await examWorld({ attemptsPerCycle: 3, passMark: 80 });
    const { hr, employeeNo } = await assignG04(world);
    const statusInJson = async () => {
      const rows = ((await hr.get('/api/reports/certifications?branch=HO&course=G04&format=json').expect(200)).body as ReportRow[])
        .filter((r) => r.employee_no === employeeNo);
      expect(rows).to.have.length(1);
      return rows[0].status;
    };
    expect(await statusInJson()).to.equal('not_started');

    // A running paper is in progress.
    const running = await startExam(world);
    expect(await statusInJson()).to.equal('in_progress');
    expect(homeCard((await world.learner.get('/me').expect(200)).text)).to.match(/data-status="in_progress"/);

    await answerAll(world, running.attemptId, running.questions, 2);
    const submitted = await world.learner.post(`/api/exam-attempts/${running.attemptId}/submit`).set('X-CSRF-Token', world.csrf).send({}).expect(200);
    expect(submitted.body.passed).to.equal(false);
    expect(await statusInJson()).to.equal('failed');
    const csv = (await hr.get('/api/reports/certifications?branch=HO&course=G04&format=csv&headers=codes').expect(200)).text;
    const line = csv.split(/\r?\n/).find((l) => l.includes(employeeNo))!;
    expect(line).to.match(/,failed,/);

    const home = homeCard((await world.learner.get('/me').expect(200)).text);
    expect(home).to.match(/data-status="failed"/);
    expect(home).to.contain('data-exam-used="1" data-exam-left="2"');
    expect(home).to.contain('已用 1 / 3 次，剩余 2 次');

    const learners = (await world.trainer.get('/trainer/courses/G04/learners').expect(200)).text;
    expect(learners).to.contain('已用 1 / 3 次');
    // The database agrees: one exam attempt, failed.
    expect(world.app.lms.db.prepare('SELECT COUNT(*) AS n, SUM(passed) AS passed FROM exam_attempts').get()).to.deep.equal({ n: 1, passed: 0 });
  });

  it('a pass after a fail is `certified` in the export and on the home; the certificate starts a new cycle (used 0 / 3)', async () => {
    world = await examWorld({ attemptsPerCycle: 3, passMark: 80 });
    const { hr, employeeNo } = await assignG04(world);
    expect(await takeExam(world, 1)).to.equal(false);
    expect(await takeExam(world, 2)).to.equal(false);
    expect((await world.trainer.get('/trainer/courses/G04/learners').expect(200)).text).to.contain('已用 2 / 3 次');
    expect(homeCard((await world.learner.get('/me').expect(200)).text)).to.contain('已用 2 / 3 次，剩余 1 次');
    expect(await takeExam(world, 5)).to.equal(true);
    const rows = ((await hr.get('/api/reports/certifications?branch=HO&course=G04&format=json').expect(200)).body as ReportRow[])
      .filter((r) => r.employee_no === employeeNo);
    expect(rows.map((r) => r.status)).to.deep.equal(['certified']);
    const home = homeCard((await world.learner.get('/me').expect(200)).text);
    expect(home).to.match(/data-status="certified"/);
    expect((await world.trainer.get('/trainer/courses/G04/learners').expect(200)).text).to.contain('已用 0 / 3 次');
    expect(world.app.lms.db.prepare('SELECT COUNT(*) AS n FROM certificates WHERE exam_attempt_id IS NOT NULL').get()).to.deep.equal({ n: 1 });
  });
});
