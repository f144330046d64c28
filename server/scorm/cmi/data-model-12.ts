// The SCORM 1.2 data model (RTE 3.4) as the commit validator sees it.

import { lmsOwned, optional, scoOwned, type ElementRule } from './element-rule.js';
import { STRING_LIMITS } from './limits.js';
import { responseCheck } from './response-patterns.js';
import {
  characterString, decimal, identifier, interactionResult, signedInteger, timeOfDay12, timespan12, vocabulary,
} from './value-checks.js';
import { EXIT_12, INTERACTION_TYPE_12, LESSON_STATUS_12, RESULT_12 } from './vocabularies.js';

// Strict: scores are part of the record. 1.2 scores are decimals in 0..100 or blank.
const score = scoOwned(decimal('scorm12', { min: 0, max: 100 }));

export const SCORM12_MODEL: ReadonlyMap<string, ElementRule> = new Map<string, ElementRule>([
  ['cmi.core.student_id', lmsOwned],
  ['cmi.core.student_name', lmsOwned],
  ['cmi.core.lesson_location', scoOwned(characterString(STRING_LIMITS.location12))],
  ['cmi.core.credit', lmsOwned],
  // "not attempted" cannot be set by a SCO but is what the runtime commits when the SCO set nothing.
  ['cmi.core.lesson_status', scoOwned(vocabulary(LESSON_STATUS_12))],
  ['cmi.core.entry', lmsOwned],
  ['cmi.core.score.raw', score],
  ['cmi.core.score.min', score],
  ['cmi.core.score.max', score],
  ['cmi.core.total_time', lmsOwned],
  ['cmi.core.lesson_mode', lmsOwned],
  ['cmi.core.exit', scoOwned(vocabulary(EXIT_12))],
  ['cmi.core.session_time', scoOwned(timespan12())],
  ['cmi.suspend_data', scoOwned(characterString(STRING_LIMITS.suspendData))],
  ['cmi.launch_data', lmsOwned],
  ['cmi.comments', scoOwned(characterString(STRING_LIMITS.comments12))],
  ['cmi.comments_from_lms', lmsOwned],
  ['cmi.objectives.n.id', scoOwned(identifier('scorm12'))],
  ['cmi.objectives.n.score.raw', score],
  ['cmi.objectives.n.score.min', score],
  ['cmi.objectives.n.score.max', score],
  // "" is scorm-again's default for an objective whose status was never set.
  ['cmi.objectives.n.status', scoOwned(vocabulary(['', ...LESSON_STATUS_12]))],
  ['cmi.student_data.mastery_score', lmsOwned],
  ['cmi.student_data.max_time_allowed', lmsOwned],
  ['cmi.student_data.time_limit_action', lmsOwned],
  ['cmi.student_preference.audio', scoOwned(optional(signedInteger({ min: -1, max: 100 })))],
  ['cmi.student_preference.language', scoOwned(characterString(STRING_LIMITS.language12))],
  ['cmi.student_preference.speed', scoOwned(optional(signedInteger({ min: -100, max: 100 })))],
  ['cmi.student_preference.text', scoOwned(optional(signedInteger({ min: -1, max: 1 })))],
  ['cmi.interactions.n.id', scoOwned(identifier('scorm12'))],
  ['cmi.interactions.n.objectives.n.id', scoOwned(identifier('scorm12'))],
  ['cmi.interactions.n.time', scoOwned(timeOfDay12())],
  ['cmi.interactions.n.type', scoOwned(vocabulary(['', ...INTERACTION_TYPE_12]))],
  ['cmi.interactions.n.correct_responses.n.pattern', scoOwned(responseCheck('1.2', 'correct-pattern'))],
  ['cmi.interactions.n.weighting', scoOwned(decimal('scorm12'))],
  ['cmi.interactions.n.student_response', scoOwned(responseCheck('1.2', 'learner-response'))],
  ['cmi.interactions.n.result', scoOwned(interactionResult(RESULT_12, 'scorm12'))],
  ['cmi.interactions.n.latency', scoOwned(timespan12())],
]);
