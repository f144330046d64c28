import supertest from 'supertest';
import type { LmsApp } from '../../server/app.js';
import type { ExamSettingsInput } from '../../server/exams/exam.service.js';
import { appWithG04 } from '../helpers/launch.js';
import { createUser, csrfToken, signIn, type TestContext } from '../helpers/test-app.js';

type Agent = ReturnType<typeof supertest.agent>;

/** A CSV bank of `count` single-choice questions: the answer is always the option text "正确<n>". */
export function bankCsv(count: number, options: { tags?: (n: number) => string; bom?: boolean } = {}): string {
  const lines = ['题型,题干,选项A,选项B,选项C,选项D,答案,解析,知识点,难度'];
  for (let n = 1; n <= count; n += 1) {
    const letters = ['A', 'B', 'C', 'D'];
    const key = letters[n % 4];
    const texts = letters.map((l) => (l === key ? `正确${n}` : `错误${n}${l}`));
    lines.push(`单选,第${n}题：哪一项正确？,${texts.join(',')},${key},EXPLAIN-MARKER-${n},${options.tags ? options.tags(n) : '消费者权益'},${(n % 5) + 1}`);
  }
  return `${options.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}

export interface ExamWorld { ctx: TestContext; app: LmsApp; learner: Agent; csrf: string; trainer: Agent; trainerCsrf: string }

export const DEFAULT_EXAM: ExamSettingsInput = {
  bankCode: 'B1', rules: [{ count: 5, tags: [], difficulties: [] }], shuffleQuestions: true, shuffleOptions: true, passMark: 60,
  timeLimitMinutes: 10, attemptsPerCycle: 3, reviewPolicy: 'after_submit', requiresLessons: false, isEnabled: true,
};

/** G04 published, bank B1 with 20 questions imported through the real import, an exam on G04; `emp` signed in. */
export async function examWorld(settings: Partial<ExamSettingsInput> = {}): Promise<ExamWorld> {
  const ctx = await appWithG04();
  const { app } = ctx;
  const trainerUser = (await app.lms.repositories.users.findByUsername('tr'))!;
  const principal = { ...trainerUser, roles: [{ id: 0, role: 'trainer' as const, scopeBranchId: null, scopePath: null }] };
  await app.lms.services.banks.importBank({ code: 'B1', title: '消保题库', bytes: Buffer.from(bankCsv(20)), dryRun: false, actorId: trainerUser.id });
  await app.lms.services.exams.saveSettings(principal as never, 'G04', { ...DEFAULT_EXAM, ...settings });
  const { agent: learner } = await signIn(app, 'emp');
  const { agent: trainer } = await signIn(app, 'tr');
  return { ctx, app, learner, csrf: await csrfToken(learner), trainer, trainerCsrf: await csrfToken(trainer, '/trainer') };
}

export async function anotherLearner(world: ExamWorld, username: string): Promise<{ agent: Agent; csrf: string }> {
  await createUser(world.app, { username, roles: ['employee'], branch: 'HO' });
  const { agent } = await signIn(world.app, username);
  return { agent, csrf: await csrfToken(agent) };
}

interface PaperQuestion { id: number; type: string; stem: string; options: Array<{ id: string; text: string }> }

/** The option a learner would pick to answer right (the fixture's key is the text 正确<n>) or wrong. */
export function pick(q: PaperQuestion, right: boolean): string {
  const option = q.options.find((o) => o.text.startsWith('正确') === right)!;
  return option.id;
}

export async function answerAll(world: ExamWorld, attemptId: number, questions: PaperQuestion[], rightCount: number): Promise<void> {
  for (const [i, q] of questions.entries()) {
    await world.learner.put(`/api/exam-attempts/${attemptId}/answers/${q.id}`).set('X-CSRF-Token', world.csrf).send({ answer: [pick(q, i < rightCount)] }).expect(200);
  }
}
