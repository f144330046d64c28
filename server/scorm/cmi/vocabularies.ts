// Vocabularies of the SCORM 1.2 and SCORM 2004 (4th ed.) data models. Words are
// case-sensitive: a status word is part of the record, so "Passed" is refused.

export const LESSON_STATUS_12 = ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'] as const;
/** The empty string is a legal 1.2 exit value (normal exit). */
export const EXIT_12 = ['time-out', 'suspend', 'logout', ''] as const;
export const INTERACTION_TYPE_12 = [
  'true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric',
] as const;
export const RESULT_12 = ['correct', 'wrong', 'unanticipated', 'neutral'] as const;

export const COMPLETION_STATUS_2004 = ['completed', 'incomplete', 'not attempted', 'unknown'] as const;
export const SUCCESS_STATUS_2004 = ['passed', 'failed', 'unknown'] as const;
/** "" is the 2004 default exit value (undetermined). */
export const EXIT_2004 = ['time-out', 'suspend', 'logout', 'normal', ''] as const;
export const INTERACTION_TYPE_2004 = [
  'true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert',
  'numeric', 'other',
] as const;
export const RESULT_2004 = ['correct', 'incorrect', 'unanticipated', 'neutral'] as const;

/** adl.nav.request without a target (SCORM 2004 4th ed. SN book, table 4.4.2). */
export const NAV_REQUEST_2004 = [
  '_none_', 'start', 'resumeAll', 'continue', 'previous', 'exit', 'exitAll', 'abandon', 'abandonAll',
  'suspendAll', 'retry', 'retryAll',
] as const;

// Launch-time vocabularies (set by the LMS, never accepted from a commit).
export const CREDIT = ['credit', 'no-credit'] as const;
export const LESSON_MODE = ['normal', 'browse', 'review'] as const;
export const TIME_LIMIT_ACTION = ['exit,message', 'exit,no message', 'continue,message', 'continue,no message'] as const;

export function isWordOf<T extends string>(words: readonly T[], value: string): value is T {
  return (words as readonly string[]).includes(value);
}
