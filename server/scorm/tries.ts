/**
 * Tries inside one attempt. Each change of a SCO's score or success status is kept (attempt_tries);
 * this decides which try a change belongs to. A try ends when the package decides (passed or
 * failed); the next change after a decision opens the next try, so a package's own "retake" that
 * fails and then passes shows as two tries. Completing a decision (the score arriving in the commit
 * after the status, with the status unchanged) stays in the same try. Pure.
 */
import type { SuccessStatus } from './cmi/status-rules.js';

export interface ResultSnapshot { successStatus: SuccessStatus; scoreRaw: number | null; scoreScaled: number | null }
export interface TryRecord extends ResultSnapshot { tryNumber: number }

const isDecided = (s: SuccessStatus) => s === 'passed' || s === 'failed';

/** Whether the stored result and the committed one differ in score or success status. */
export function isResultChange(before: ResultSnapshot | null, after: ResultSnapshot): boolean {
  if (!before) return isDecided(after.successStatus) || after.scoreRaw !== null || after.scoreScaled !== null;
  return before.successStatus !== after.successStatus || before.scoreRaw !== after.scoreRaw || before.scoreScaled !== after.scoreScaled;
}

/** The try number of a change, given the SCO's previous recorded change in this attempt (null: none). */
export function tryNumberOf(previous: TryRecord | null, change: ResultSnapshot): number {
  if (!previous) return 1;
  if (!isDecided(previous.successStatus)) return previous.tryNumber;
  const completesDecision = change.successStatus === previous.successStatus && previous.scoreRaw === null && previous.scoreScaled === null;
  return completesDecision ? previous.tryNumber : previous.tryNumber + 1;
}
