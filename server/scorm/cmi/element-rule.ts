// How the commit validator treats one data model element.

import { accept, type ValueCheck } from './value-checks.js';

/**
 * "lms": read-only, set by the LMS at launch (learner id, credit, mode, total_time, launch data,
 * mastery score...). scorm-again's full commits echo all of them on every commit, so they are
 * ignored rather than refused: refusing would flag every ordinary commit, and the server never
 * takes them from the browser (total_time is accumulated from session_time on the server).
 * "sco": written by the content; its value is checked.
 */
export type ElementRule = { owner: 'lms' } | { owner: 'sco'; check: ValueCheck };

export const lmsOwned: ElementRule = { owner: 'lms' };

export function scoOwned(check: ValueCheck): ElementRule {
  return { owner: 'sco', check };
}

/** scorm-again sends "" for elements the SCO never set; "" then means "not set". */
export function optional(check: ValueCheck): ValueCheck {
  return (value, context) => (value === '' ? accept('') : check(value, context));
}
