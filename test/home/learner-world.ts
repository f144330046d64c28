// One learner with a course in every state a card can show (issue 17), built through the real
// services and real HTTP: SCORM commits, an exam sat and failed, a certificate revoked by an admin.
import supertest from 'supertest';
import type { LmsApp } from '../../server/app.js';
import type { CourseMetadata } from '../../server/courses/courses.repository.js';
import { buildTestApp, createBranch, createUser, csrfFrom, csrfToken, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, sample } from '../helpers/launch.js';
import { answerAll, bankCsv, DEFAULT_EXAM } from '../exams/exam-fixture.js';

type Agent = ReturnType<typeof supertest.agent>;

/** Course codes by the state the learner leaves them in. */
export const COURSES = {
  inProgress: 'PROG', failedLeft: 'EXAM', failedNone: 'FAIL', passed: 'PASS', revoked: 'REVK', overdue: 'LATE', expiring: 'EXPG',
} as const;

const TITLES: Record<string, [string, string | null]> = {
  PROG: ['反洗钱基础知识', 'Anti-money-laundering basics'],
  EXAM: ['金融消费者权益保护', 'Protecting financial consumers'],
  FAIL: ['个人信息保护实务', 'Personal information in practice'],
  PASS: ['适当性管理', 'Suitability management'],
  REVK: ['投诉处理规范', 'Handling complaints'],
  LATE: ['柜面服务礼仪', null],
  EXPG: ['营销宣传合规', 'Compliant marketing'],
};

export interface LearnerWorld { ctx: TestContext; app: LmsApp; learner: Agent; learnerId: number; revokedSerial: string; passedSerial: string }

const metadata = (code: string, patch: Partial<CourseMetadata>): CourseMetadata => ({
  code, title: TITLES[code][0], titleEn: null, description: `${TITLES[code][0]}：必修课程。`, validityMonths: 12, passMark: null, attemptsLimit: 3,
  completionRule: 'rollup', countedAttempt: 'last', ...patch,
});

/** Commits one SCORM session of the golf 2004 sample straight to the commit endpoint, as the player does. */
async function commitSession(learner: Agent, code: string, cmi: Record<string, unknown>, terminate: boolean): Promise<void> {
  const launch = await openPlayer(learner, code);
  await learner.post(new URL(launch.commitUrl, 'http://x').pathname).send({ cmi: { session_time: 'PT5M', ...cmi }, seq: 1, terminate }).expect(200, { result: true, errorCode: 0 });
}

const passedCmi = { completion_status: 'completed', success_status: 'passed', score: { scaled: '0.92', raw: '92', min: '0', max: '100' }, exit: 'normal' };
const failedCmi = { completion_status: 'completed', success_status: 'failed', score: { scaled: '0.4', raw: '40', min: '0', max: '100' }, exit: 'normal' };

export async function learnerWorld(): Promise<LearnerWorld> {
  const ctx = buildTestApp();
  const { app } = ctx;
  await createBranch(app, 'HO', null, '总行');
  const admin = await createUser(app, { username: 'root', roles: ['admin'], branch: 'HO', name: '管理员' });
  await createUser(app, { username: 'tr', roles: ['trainer'], branch: 'HO', name: '讲师' });
  const emp = await createUser(app, { username: 'emp', roles: ['employee'], branch: 'HO', name: '王小明' });
  const { ingest, courses, certification, banks, exams, auth } = app.lms.services;
  const adminPrincipal = (await auth.loadPrincipal(admin.id))!;
  const zip = sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip');
  await banks.importBank({ code: 'B1', title: '消保题库', bytes: Buffer.from(bankCsv(20)), dryRun: false, actorId: admin.id });
  for (const code of Object.keys(TITLES)) {
    await ingest.ingest({ zipPath: zip, code, uploadedBy: admin.id });
    await courses.updateMetadata(code, metadata(code, code === 'FAIL' ? { attemptsLimit: 1 } : code === 'EXPG' ? { validityMonths: 1 } : {}), admin.id);
    const en = TITLES[code][1];
    if (en) await courses.setEnglishText(code, { titleEn: en, descriptionEn: `${en}: a required course.` }, admin.id);
    await courses.publish(code, admin.id);
    if (code === 'EXAM') await exams.saveSettings(adminPrincipal, code, { ...DEFAULT_EXAM, attemptsPerCycle: 2, passMark: 60, rules: [{ count: 5, tags: [], difficulties: [] }] });
    await certification.createAssignment(adminPrincipal, {
      course: code, branch: 'HO', includeSubBranches: true, positions: [], dueDate: null, dueDays: code === 'LATE' ? 3 : code === 'PROG' ? 7 : 30, dueBasis: 'assignment',
    });
  }

  const { agent: learner } = await signIn(app, 'emp');
  await commitSession(learner, 'PROG', { completion_status: 'incomplete', location: 'page-3', exit: 'suspend' }, false);
  await commitSession(learner, 'FAIL', failedCmi, true);
  await commitSession(learner, 'PASS', failedCmi, true);
  await commitSession(learner, 'PASS', passedCmi, true);
  await commitSession(learner, 'REVK', passedCmi, true);
  await commitSession(learner, 'EXPG', passedCmi, true);
  // The exam course: lessons done, the exam sat and failed (1 of 2 attempts used).
  await commitSession(learner, 'EXAM', { completion_status: 'completed', exit: 'normal' }, true);
  const csrf = await csrfToken(learner);
  const start = await learner.post('/api/courses/EXAM/exam/attempts').set('X-CSRF-Token', csrf).send({}).expect(201);
  await answerAll({ ctx, app, learner, csrf, trainer: learner, trainerCsrf: csrf }, start.body.attemptId as number, start.body.questions, 1);
  await learner.post(`/api/exam-attempts/${start.body.attemptId}/submit`).set('X-CSRF-Token', csrf).send({}).expect(200);

  const serialOf = (code: string) => (app.lms.db.prepare('SELECT serial FROM certificates c JOIN courses co ON co.id = c.course_id WHERE co.code = ?').get(code) as { serial: string }).serial;
  const revokedSerial = serialOf('REVK');
  const { agent: root } = await signIn(app, 'root');
  const token = csrfFrom((await root.get('/admin/certificates').expect(200)).text);
  await root.post(`/api/certificates/${revokedSerial}/revoke`).set('X-CSRF-Token', token).send({ reason: '考核记录有误，需重新考核' }).expect(200);
  // Five days on: LATE (3 days) is overdue, PROG (7 days) due in two, EXPG's one-month certificate expiring.
  ctx.clock.advance(5 * 86_400_000);
  // Sessions expire after idle days: sign in again on the new day.
  const { agent: today } = await signIn(app, 'emp');
  return { ctx, app, learner: today, learnerId: emp.id, revokedSerial, passedSerial: serialOf('PASS') };
}
