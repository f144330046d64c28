// Completion and success of one SCO: what the SCO reported, what the LMS derives from thresholds,
// and the guard that a recorded pass or completion is never taken back within an attempt.

export type CompletionStatus = 'completed' | 'incomplete' | 'not attempted' | 'unknown';
export type SuccessStatus = 'passed' | 'failed' | 'unknown';

export interface Outcome {
  completion: CompletionStatus;
  success: SuccessStatus;
}

export interface ScoRules {
  /** SCORM 1.2 adlcp:masteryscore (0..100), applied to score.raw. */
  masteryScore: number | null;
  /** SCORM 2004 scaled passing score (-1..1), applied to score.scaled. */
  scaledPassingScore: number | null;
  /** SCORM 2004 completion threshold (0..1), applied to progress_measure. */
  completionThreshold: number | null;
  credit: 'credit' | 'no-credit';
}

/**
 * SCORM 1.2 has one status word for both questions. "failed" means the learner finished and did
 * not pass, so it counts as completed; "browsed" (seen in browse mode) counts as incomplete.
 */
export function outcomeOfLessonStatus(status: string): Outcome {
  switch (status) {
    case 'passed':
      return { completion: 'completed', success: 'passed' };
    case 'failed':
      return { completion: 'completed', success: 'failed' };
    case 'completed':
      return { completion: 'completed', success: 'unknown' };
    case 'incomplete':
    case 'browsed':
      return { completion: 'incomplete', success: 'unknown' };
    default:
      return { completion: 'not attempted', success: 'unknown' };
  }
}

/**
 * SCORM 1.2 lesson_status after the LMS rules:
 * - RTE 3.4.4: a SCO that set no status and called LMSFinish is "completed" (scorm-again commits
 *   "not attempted" in that case, see RUNTIME-NOTES.md);
 * - with a mastery score and credit, LMSFinish turns a raw score into passed / failed
 *   (scorm-again does the same; the server repeats it so the record does not depend on the browser).
 */
export function deriveLessonStatus(
  reported: string,
  rawScore: number | null,
  rules: ScoRules,
  isTerminating: boolean,
): string {
  if (!isTerminating) return reported;
  let status = reported === '' || reported === 'not attempted' ? 'completed' : reported;
  if (rules.credit === 'credit' && rules.masteryScore !== null && rawScore !== null) {
    status = rawScore >= rules.masteryScore ? 'passed' : 'failed';
  }
  return status;
}

/** SCORM 1.2: the new word, unless it would take back a recorded pass or completion. */
export function keepRecordedLessonStatus(previous: string, next: string): string {
  const before = outcomeOfLessonStatus(previous);
  const after = outcomeOfLessonStatus(next);
  if (before.success === 'passed' && after.success !== 'passed') return previous;
  if (before.completion === 'completed' && after.completion !== 'completed') return previous;
  return next;
}

/**
 * SCORM 2004 RTE 4.2.4.1 and 4.2.22: a completion threshold decides completion from
 * progress_measure when there is one; a scaled passing score decides success from score.scaled,
 * and without a scaled score success is unknown whatever the SCO said.
 */
export function deriveOutcome2004(
  reported: Outcome,
  progressMeasure: number | null,
  scaledScore: number | null,
  rules: ScoRules,
): Outcome {
  let { completion, success } = reported;
  if (rules.completionThreshold !== null && progressMeasure !== null) {
    completion = progressMeasure >= rules.completionThreshold ? 'completed' : 'incomplete';
  }
  if (rules.scaledPassingScore !== null) {
    success = scaledScore === null ? 'unknown' : scaledScore >= rules.scaledPassingScore ? 'passed' : 'failed';
  }
  return { completion, success };
}

/** SCORM 2004: passed stays passed and completed stays completed within the attempt. */
export function keepRecordedOutcome(previous: Outcome, next: Outcome): Outcome {
  return {
    completion: previous.completion === 'completed' ? 'completed' : next.completion,
    success: previous.success === 'passed' ? 'passed' : next.success,
  };
}

export function asCompletionStatus(value: string | undefined): CompletionStatus {
  return value === 'completed' || value === 'incomplete' || value === 'not attempted' ? value : 'unknown';
}

export function asSuccessStatus(value: string | undefined): SuccessStatus {
  return value === 'passed' || value === 'failed' ? value : 'unknown';
}
