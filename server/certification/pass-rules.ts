// Does an attempt pass a course under its pass rules? Pure: the caller supplies the facts.
import type { Course } from '../courses/courses.repository.js';

export interface AttemptFactsForRules {
  completionStatus: string;
  successStatus: string;
  scoreScaled: number | null;
  finishedAt: string | null;
}

export interface ScoFactsForRules {
  judgesSuccess: boolean;
  completionStatus: string | null;
  successStatus: string | null;
}

export type PassRules = Pick<Course, 'completionRule' | 'passMark' | 'countedAttempt'>;

/**
 * Completion: 'rollup' takes the attempt's rolled-up status (the package's sequencing decides for
 * 2004 courses); 'all_scos' wants every SCO completed and passed where it has a mastery score.
 * Success: a course pass mark compares the exam score (0–100) with it; without one the package
 * decides (passed), and a package that never judges success passes on completion.
 */
export function attemptPasses(rules: PassRules, attempt: AttemptFactsForRules, scos: readonly ScoFactsForRules[]): boolean {
  const completed = rules.completionRule === 'all_scos'
    ? scos.length > 0 && scos.every((s) => s.completionStatus === 'completed' && (!s.judgesSuccess || s.successStatus === 'passed'))
    : attempt.completionStatus === 'completed';
  if (!completed) return false;
  if (rules.passMark !== null) return attempt.scoreScaled !== null && attempt.scoreScaled * 100 + 1e-9 >= rules.passMark;
  if (attempt.successStatus === 'failed') return false;
  const judged = attempt.successStatus === 'passed' || scos.some((s) => s.judgesSuccess);
  return judged ? attempt.successStatus === 'passed' : true;
}

/** The attempt whose score is shown: the last, or the highest-scoring one (course setting). */
export function countedAttempt<T extends { number: number; scoreScaled: number | null }>(rules: Pick<PassRules, 'countedAttempt'>, attempts: readonly T[]): T | null {
  if (attempts.length === 0) return null;
  if (rules.countedAttempt === 'last') return attempts.reduce((a, b) => (b.number > a.number ? b : a));
  return attempts.reduce((a, b) => ((b.scoreScaled ?? -1) > (a.scoreScaled ?? -1) ? b : a));
}
