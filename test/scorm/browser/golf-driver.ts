// Drives Rustici's "golf" sample packages through their own buttons: a launch page with
// Previous/Next/Exit around a content frame, and a knowledge check that marks its right answers
// with the class "correctAnswer" (the sample shows them on purpose).
import type { Frame, Page } from 'playwright-core';
import { frameEndingWith } from './lms-under-test.js';

/** The golf launch page: the SCO itself (shared/launchpage.html). */
export function golfLaunchPage(page: Page): Promise<Frame> {
  return frameEndingWith(page, '/shared/launchpage.html');
}

/** The page number the launch page shows (its own variable). */
export async function golfPageNumber(launch: Frame): Promise<number> {
  return launch.evaluate(() => (window as unknown as { currentPage: number }).currentPage);
}

export async function golfNext(launch: Frame, times = 1): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const before = await golfPageNumber(launch);
    await launch.click('#butNext');
    await launch.waitForFunction((n) => (window as unknown as { currentPage: number }).currentPage === n + 1, before);
  }
}

/** Presses Next until it is disabled (the last page: the knowledge check in the golf samples). */
export async function golfNextToEnd(launch: Frame): Promise<void> {
  while (!(await launch.locator('#butNext').isDisabled())) await golfNext(launch);
}

/**
 * Answers the knowledge check shown in the launch page's content frame and submits it.
 * `isRight(index)` decides per question; returns how many were answered right.
 */
export async function answerGolfQuiz(page: Page, isRight: (index: number) => boolean): Promise<{ right: number; total: number }> {
  const quiz = await frameEndingWith(page, '/shared/assessmenttemplate.html');
  const questions = quiz.locator('div.question');
  const total = await questions.count();
  let right = 0;
  for (let index = 0; index < total; index += 1) {
    const question = questions.nth(index);
    const wantRight = isRight(index);
    if (wantRight) right += 1;
    const text = question.locator('input[type=text]');
    if (await text.count()) {
      const correct = Number(/\((\d+)\)/.exec((await question.locator('.correctAnswer').textContent()) ?? '')?.[1]);
      await text.fill(String(wantRight ? correct : correct + 1));
    } else {
      await question.locator(`${wantRight ? '.correctAnswer' : '.answer'} input[type=radio]`).first().check();
    }
  }
  await quiz.click('input[value="Submit Answers"]');
  await quiz.locator('h3', { hasText: 'Score:' }).waitFor();
  return { right, total };
}
