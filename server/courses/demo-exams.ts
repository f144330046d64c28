import type { Container } from '../container.js';
import type { Principal } from '../auth/principal.js';
import { readShippedBank, SHIPPED_EXAM } from '../../courses/banks.js';

/**
 * A shipped course's exam in the demo: its bank (courses/<code>/bank.csv) through the real import,
 * then an exam on the course that needs the lessons complete and the exam passed. A bad bank
 * file fails the demo loudly, naming the rows.
 */
export async function seedDemoExam(container: Container, admin: Principal, course: { code: string; title: string }): Promise<void> {
  const { banks, exams } = container.services;
  const report = await banks.importBank({
    code: course.code, title: `${course.title} 题库`, bytes: await readShippedBank(course.code), format: 'csv', dryRun: false, actorId: admin.id,
  });
  if (!report.applied) {
    const rows = report.problems.map((p) => `row ${p.row} ${p.column}: ${p.message}`).join('; ');
    throw new Error(`${course.code}: bank.csv did not import: ${rows}`);
  }
  await exams.saveSettings(admin, course.code, {
    bankCode: course.code, rules: [{ count: SHIPPED_EXAM.questionsPerAttempt, tags: [], difficulties: [] }],
    shuffleQuestions: true, shuffleOptions: true, passMark: SHIPPED_EXAM.passMark, timeLimitMinutes: SHIPPED_EXAM.timeLimitMinutes,
    attemptsPerCycle: SHIPPED_EXAM.attemptsPerCycle, reviewPolicy: 'after_submit', requiresLessons: true, isEnabled: true,
  });
}
