// Drives a shipped course in the LMS player the way a learner does: the lesson pages' own buttons
// and choices (found by the accessible names the course runtime gives them), the exam answered
// from the course's question bank, and the player's Exit button.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import type { Frame, Page } from 'playwright-core';
import type { CourseSource, Lesson, Question } from '../../../courses/packaging/course-source.js';
import { answerFor } from '../shipped/browser-support.js';

export type UiLanguage = 'zh' | 'en';

/** The runtime's own button labels, read from courses/runtime/i18n.js so the test and the pages cannot drift. */
export type RuntimeUi = Record<'next' | 'checkAnswer' | 'continueInLms' | 'nextLesson' | 'goToExam' | 'startExam' | 'nextQuestion'
  | 'review' | 'submit' | 'retry' | 'finish' | 'passed' | 'failed' | 'htmlLang', string>;

const RUNTIME_I18N = new URL('../../../courses/runtime/i18n.js', import.meta.url);

export function runtimeUi(language: UiLanguage): RuntimeUi {
  const sandbox = { window: {} as { Ruihe?: { createI18n(language: string): { ui: RuntimeUi } } } };
  vm.runInNewContext(readFileSync(RUNTIME_I18N, 'utf8'), sandbox);
  return sandbox.window.Ruihe!.createI18n(language).ui;
}

/** The page each SCO launches: 2004 has one per lesson plus the exam, 1.2 one for everything. */
export function scoHrefs(course: CourseSource): { lessons: string[]; exam: string } {
  if (course.scormVersion === '1.2') return { lessons: course.lessons.map(() => 'index.html'), exam: 'index.html' };
  return { lessons: course.lessons.map((_, index) => `lesson-${index + 1}.html`), exam: 'exam.html' };
}

/** Manifest item identifiers (see courses/packaging/manifest-*.ts). */
export function scoIds(course: CourseSource): { lessons: string[]; exam: string } {
  if (course.scormVersion === '1.2') return { lessons: course.lessons.map(() => 'ITEM-COURSE'), exam: 'ITEM-COURSE' };
  return { lessons: course.lessons.map((_, index) => `ITEM-L${index + 1}`), exam: 'ITEM-EXAM' };
}

/**
 * The frame running the course page `href` once the runtime has drawn a screen. On the content
 * origin it sits inside the launcher frame; Playwright lists nested frames too.
 */
export async function courseFrame(page: Page, href: string, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => {
      try { return !f.isDetached() && new URL(f.url()).pathname.endsWith(`/${href}`); } catch { return false; }
    });
    if (frame) {
      try {
        await frame.locator('#screen-heading').waitFor({ timeout: Math.max(1, Math.min(5_000, deadline - Date.now())) });
        return frame;
      } catch { /* replaced while loading: look again */ }
    }
    if (Date.now() > deadline) throw new Error(`no course frame for ${href}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await page.waitForTimeout(100);
  }
}

export async function screenHeading(frame: Frame): Promise<string> {
  return (await frame.locator('#screen-heading').textContent()) ?? '';
}

/**
 * Goes through lesson screens `from`..`to` (inclusive), checking each heading, choosing the best
 * option at a decision, and pressing Next between screens (not after `to`).
 */
export async function walkScreens(frame: Frame, lesson: Lesson, language: UiLanguage, from: number, to: number): Promise<void> {
  const ui = runtimeUi(language);
  for (let index = from; index <= to; index += 1) {
    const screen = lesson.screens[index];
    await frame.locator('#screen-heading', { hasText: screen.heading[language] }).waitFor();
    if (screen.kind === 'decision') {
      const best = screen.options.find((option) => option.isBest);
      if (!best) throw new Error(`${lesson.id}: decision without a best option`);
      await frame.getByLabel(best.text[language], { exact: true }).check();
      await frame.getByRole('button', { name: ui.checkAnswer }).click();
      await frame.locator('.feedback--good').waitFor();
    }
    if (index < to) await frame.getByRole('button', { name: ui.next, exact: true }).click();
  }
}

/** The first decision screen of a lesson, or -1. */
export function firstDecision(lesson: Lesson): number {
  return lesson.screens.findIndex((screen) => screen.kind === 'decision');
}

/** The bank question on screen, found by its prompt. */
async function questionOnScreen(frame: Frame, questions: Question[], language: UiLanguage): Promise<Question> {
  const prompt = (await frame.locator('form.question .question-prompt').textContent()) ?? '';
  const question = questions.find((candidate) => candidate.prompt[language] === prompt);
  if (!question) throw new Error(`question not in the bank: ${prompt}`);
  return question;
}

export interface ExamSitting { shown: Question[]; status: string }

/**
 * Answers every drawn question right or wrong (an onQuestion hook may audit the first one),
 * submits from the review screen and returns the questions shown and the result line.
 */
export async function sitExam(frame: Frame, course: CourseSource, language: UiLanguage, isRight: boolean,
  onFirstQuestion?: () => Promise<void>): Promise<ExamSitting> {
  const ui = runtimeUi(language);
  const shown: Question[] = [];
  for (;;) {
    await frame.locator('form.question').waitFor();
    const question = await questionOnScreen(frame, course.questions, language);
    if (shown.includes(question)) throw new Error(`question ${question.id} shown twice`);
    shown.push(question);
    if (shown.length === 1 && onFirstQuestion) await onFirstQuestion();
    for (const id of answerFor(question, isRight)) await frame.locator(`form.question input[value="${id}"]`).check();
    const next = frame.getByRole('button', { name: ui.nextQuestion, exact: true });
    if (await next.count()) {
      await next.click();
      await frame.locator('form.question .question-prompt').filter({ hasNotText: question.prompt[language] }).waitFor();
      continue;
    }
    await frame.getByRole('button', { name: ui.review, exact: true }).click();
    break;
  }
  await frame.getByRole('button', { name: ui.submit, exact: true }).click();
  const status = (await frame.locator('.result-status').textContent()) ?? '';
  return { shown, status };
}

/** The player's Exit button, which ends on the employee home. */
export async function exitCourse(page: Page): Promise<void> {
  await Promise.all([page.waitForURL((url) => url.pathname === '/me', { timeout: 15_000 }), page.click('[data-exit]')]);
}

/** The status word on the employee home's card for a course (data-status of its badge). */
export async function homeStatus(page: Page, code: string): Promise<string | null> {
  return page.locator(`[data-course="${code}"] [data-status]`).getAttribute('data-status');
}
