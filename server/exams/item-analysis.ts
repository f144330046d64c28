/**
 * Item analysis from maintained tallies. Pure.
 *
 * Why point-biserial from sums: the upper–lower 27 % method needs every attempt's total sorted,
 * a scan of all attempts on each page view — at bank scale (4 M attempts) that holds the event
 * loop for seconds. The point-biserial correlation needs only sums that each submission can add to
 * in its own transaction: per question n (attempts that showed it), c (correct), Σs, Σs², Σ(s·correct)
 * where s is the attempt's score (0–100). Then
 *   M1 = Σ(s·correct)/c, M0 = (Σs − Σ(s·correct))/(n − c), σ = √(Σs²/n − (Σs/n)²), p = c/n,
 *   r_pb = (M1 − M0)/σ · √(p(1 − p)).
 * The total includes the item itself (uncorrected r_pb): with 20+ questions the difference is small,
 * and correcting it would need per-attempt data again. Reading the page is one indexed range read of
 * one row per question.
 */

export interface ItemTally { shown: number; answered: number; correct: number; sumScore: number; sumScoreSq: number; sumScoreCorrect: number }

/** Share correct of the attempts that showed the question, 0–1; null when none did. */
export function facility(t: ItemTally): number | null {
  return t.shown === 0 ? null : t.correct / t.shown;
}

/** Point-biserial discrimination, −1…1; null when it is undefined (fewer than 2 attempts, all right or all wrong, no spread). */
export function pointBiserial(t: ItemTally): number | null {
  const n = t.shown;
  const c = t.correct;
  if (n < 2 || c === 0 || c === n) return null;
  const mean = t.sumScore / n;
  const variance = t.sumScoreSq / n - mean * mean;
  if (!(variance > 1e-9)) return null;
  const m1 = t.sumScoreCorrect / c;
  const m0 = (t.sumScore - t.sumScoreCorrect) / (n - c);
  const p = c / n;
  const r = ((m1 - m0) / Math.sqrt(variance)) * Math.sqrt(p * (1 - p));
  return Math.max(-1, Math.min(1, r));
}
