// Reads and drives the player's sequencing controls: the table of contents (a choice the engine
// refuses is aria-disabled), Previous/Continue, and what the LMS stored for the attempt.
import type { Page } from 'playwright-core';
import type { LmsUnderTest } from './lms-under-test.js';

/** The TOC entries the engine refuses to choose now, by SCO identifier. */
export async function refusedChoices(page: Page): Promise<string[]> {
  return page.locator('.toc [data-sco][aria-disabled="true"]').evaluateAll((links) => links.map((a) => (a as HTMLElement).dataset.sco!));
}

/** The SCO the player page shows (its ?sco=, or the launch config's when the URL has none). */
export async function deliveredSco(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { lmsPlayer: { config: { sequencing: { scoId: string } } } }).lmsPlayer.config.sequencing.scoId);
}

/** Waits until the player shows `sco` (after the engine delivered it). */
export async function waitForSco(page: Page, sco: string): Promise<void> {
  await page.waitForFunction((id) => {
    const player = (window as unknown as { lmsPlayer?: { config: { sequencing: { scoId: string } } } }).lmsPlayer;
    return player?.config.sequencing.scoId === id && document.getElementById('sco-frame')?.getAttribute('src');
  }, sco, { timeout: 15_000 });
}

/** The stored sequencing envelope of the employee's latest attempt in a course. */
export function storedSequencing(lms: LmsUnderTest, code: string): { rev: number; state: { sequencing: { currentActivity: string | null; suspendedActivity: string | null } } } | null {
  const row = lms.ctx.app.lms.db.prepare(`SELECT a.sequencing_json FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
    JOIN courses c ON c.id = e.course_id JOIN users u ON u.id = e.user_id WHERE c.code = ? AND u.username = 'emp' ORDER BY a.id DESC LIMIT 1`)
    .get(code) as { sequencing_json: string | null } | undefined;
  return row?.sequencing_json ? JSON.parse(row.sequencing_json) : null;
}
