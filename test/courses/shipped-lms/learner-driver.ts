// Drives a shipped course the way a learner does: the lesson pages' own buttons and choices in the
// LMS player (found by the accessible names the course runtime gives them), the player's Exit
// button, and the LMS exam pages, answered from the course's bank.csv.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import type { Frame, Page } from 'playwright-core';
import type { CourseSource, Lesson } from '../../../courses/packaging/course-source.js';
import type { QuestionContent } from '../../../server/exams/question.types.js';
import { correctTexts, readShippedBankQuestions } from '../shipped/shipped-banks.js';

export type UiLanguage = 'zh' | 'en';

/** The runtime's own button labels, read from courses/runtime/i18n.js so the test and the pages cannot drift. */
export type RuntimeUi = Record<'next' | 'checkAnswer' | 'continueInLms' | 'nextLesson' | 'finish' | 'htmlLang', string>;

const RUNTIME_I18N = new URL('../../../courses/runtime/i18n.js', import.meta.url);

export function runtimeUi(language: UiLanguage): RuntimeUi {
  const sandbox = { window: {} as { Ruihe?: { createI18n(language: string): { ui: RuntimeUi } } } };
  vm.runInNewContext(readFileSync(RUNTIME_I18N, 'utf8'), sandbox);
  return sandbox.window.Ruihe!.createI18n(language).ui;
}

/** The page each SCO launches: 2004 has one per lesson, 1.2 one for every lesson. */
export function scoHrefs(course: CourseSource): { lessons: string[] } {
  if (course.scormVersion === '1.2') return { lessons: course.lessons.map(() => 'index.html') };
  return { lessons: course.lessons.map((_, index) => `lesson-${index + 1}.html`) };
}

/** Manifest item identifiers (see courses/packaging/manifest-*.ts). */
export function scoIds(course: CourseSource): { lessons: string[] } {
  if (course.scormVersion === '1.2') return { lessons: course.lessons.map(() => 'ITEM-COURSE') };
  return { lessons: course.lessons.map((_, index) => `ITEM-L${index + 1}`) };
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

export interface LmsExamSitting { attemptId: number; shown: QuestionContent[]; passed: boolean }

/**
 * Sits the course's LMS exam (/learn/<code>/exam): starts a paper, answers every question right or
 * wrong by matching the stems and option texts against the course's bank.csv, submits, and reads
 * the verdict from the result page.
 */
export async function sitLmsExam(page: Page, lmsUrl: string, code: string, isRight: boolean,
  hooks: { onStart?: () => Promise<void>; onFirstQuestion?: () => Promise<void> } = {}): Promise<LmsExamSitting> {
  const { questions } = await readShippedBankQuestions(code);
  await page.goto(`${lmsUrl}/learn/${code}/exam`);
  await page.waitForSelector('#start-exam');
  if (hooks.onStart) await hooks.onStart();
  await Promise.all([page.waitForSelector('.exam-question'), page.click('#start-exam')]);
  if (hooks.onFirstQuestion) await hooks.onFirstQuestion();
  const shown: QuestionContent[] = [];
  const items = page.locator('.exam-question');
  for (let i = 0; i < await items.count(); i += 1) {
    const item = items.nth(i);
    const legend = (await item.locator('legend').textContent()) ?? '';
    const question = questions.find((q) => legend.includes(q.stem));
    if (!question) throw new Error(`${code}: question not in bank.csv: ${legend}`);
    shown.push(question);
    const right = correctTexts(question);
    const labels = (await item.locator('label.exam-option').allTextContents()).map((text) => text.trim());
    const picks = isRight ? labels.flatMap((text, n) => (right.includes(text) ? [n] : [])) : [labels.findIndex((text) => !right.includes(text))];
    if (picks.length !== (isRight ? right.length : 1) || picks.includes(-1)) throw new Error(`${code}: cannot answer "${question.stem}" from ${labels.join(' | ')}`);
    for (const n of picks) await item.locator('label.exam-option input').nth(n).check();
  }
  // Submitting lands on the course's result page, which links the paper for review.
  await Promise.all([page.waitForURL((url) => url.pathname.endsWith(`/learn/${code}/result`)), page.click('#submit-exam')]);
  const review = page.locator('#course-result [data-review]');
  const attemptId = Number(/\/attempts\/(\d+)$/.exec((await review.getAttribute('href')) ?? '')![1]);
  return { attemptId, shown, passed: (await review.getAttribute('data-exam-passed')) === 'true' };
}

/** The player's Exit button, which ends on the employee home. */
export async function exitCourse(page: Page): Promise<void> {
  await Promise.all([page.waitForURL((url) => url.pathname === '/me', { timeout: 15_000 }), page.click('[data-exit]')]);
}

/** The status word on the employee home's card for a course (data-status of its badge). */
export async function homeStatus(page: Page, code: string): Promise<string | null> {
  return page.locator(`[data-course="${code}"] [data-status]`).getAttribute('data-status');
}
