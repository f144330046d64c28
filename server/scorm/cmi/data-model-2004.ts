// The SCORM 2004 4th edition data model (RTE 4.2) and adl.* elements as the commit validator sees them.

import { lmsOwned, optional, scoOwned, type ElementRule } from './element-rule.js';
import { STRING_LIMITS } from './limits.js';
import { responseCheck } from './response-patterns.js';
import {
  accept, characterString, decimal, duration2004, identifier, interactionResult, langString, languageCode, refuse,
  signedInteger, timestamp2004, vocabulary, type ValueCheck,
} from './value-checks.js';
import {
  COMPLETION_STATUS_2004, EXIT_2004, INTERACTION_TYPE_2004, NAV_REQUEST_2004, RESULT_2004, SUCCESS_STATUS_2004, isWordOf,
} from './vocabularies.js';

const TARGETED_NAV_REQUEST = /^\{target=[^\s{}]{1,4000}\}(?:choice|jump)$/;

const navRequest: ValueCheck = (value) =>
  isWordOf(NAV_REQUEST_2004, value) || TARGETED_NAV_REQUEST.test(value)
    ? accept(value)
    : refuse('type-mismatch', 'not a navigation request');

// Strict where records matter: scaled scores in -1..1, progress in 0..1; raw/min/max are any real.
const real = scoOwned(decimal('scorm2004'));
const scaled = scoOwned(decimal('scorm2004', { min: -1, max: 1 }));
const progress = scoOwned(decimal('scorm2004', { min: 0, max: 1 }));
const preferenceLevel = scoOwned(decimal('scorm2004', { min: 0, max: 999.9999999 }));

export const SCORM2004_MODEL: ReadonlyMap<string, ElementRule> = new Map<string, ElementRule>([
  ['cmi.comments_from_learner.n.comment', scoOwned(langString(STRING_LIMITS.commentFromLearner2004))],
  ['cmi.comments_from_learner.n.location', scoOwned(characterString(STRING_LIMITS.commentLocation2004))],
  ['cmi.comments_from_learner.n.timestamp', scoOwned(timestamp2004())],
  ['cmi.comments_from_lms.n.comment', lmsOwned],
  ['cmi.comments_from_lms.n.location', lmsOwned],
  ['cmi.comments_from_lms.n.timestamp', lmsOwned],
  ['cmi.completion_status', scoOwned(vocabulary(COMPLETION_STATUS_2004))],
  ['cmi.completion_threshold', lmsOwned],
  ['cmi.credit', lmsOwned],
  ['cmi.entry', lmsOwned],
  ['cmi.exit', scoOwned(vocabulary(EXIT_2004))],
  ['cmi.interactions.n.id', scoOwned(identifier('scorm2004'))],
  ['cmi.interactions.n.type', scoOwned(vocabulary(['', ...INTERACTION_TYPE_2004]))],
  ['cmi.interactions.n.objectives.n.id', scoOwned(identifier('scorm2004'))],
  ['cmi.interactions.n.timestamp', scoOwned(timestamp2004())],
  ['cmi.interactions.n.correct_responses.n.pattern', scoOwned(responseCheck('2004', 'correct-pattern'))],
  ['cmi.interactions.n.weighting', real],
  ['cmi.interactions.n.learner_response', scoOwned(responseCheck('2004', 'learner-response'))],
  ['cmi.interactions.n.result', scoOwned(interactionResult(RESULT_2004, 'scorm2004'))],
  ['cmi.interactions.n.latency', scoOwned(duration2004())],
  ['cmi.interactions.n.description', scoOwned(langString(STRING_LIMITS.description2004))],
  ['cmi.launch_data', lmsOwned],
  ['cmi.learner_id', lmsOwned],
  ['cmi.learner_name', lmsOwned],
  ['cmi.learner_preference.audio_level', preferenceLevel],
  ['cmi.learner_preference.language', scoOwned(languageCode())],
  ['cmi.learner_preference.delivery_speed', preferenceLevel],
  ['cmi.learner_preference.audio_captioning', scoOwned(optional(signedInteger({ min: -1, max: 1 })))],
  ['cmi.location', scoOwned(characterString(STRING_LIMITS.location2004))],
  ['cmi.max_time_allowed', lmsOwned],
  ['cmi.mode', lmsOwned],
  ['cmi.objectives.n.id', scoOwned(identifier('scorm2004'))],
  ['cmi.objectives.n.score.scaled', scaled],
  ['cmi.objectives.n.score.raw', real],
  ['cmi.objectives.n.score.min', real],
  ['cmi.objectives.n.score.max', real],
  ['cmi.objectives.n.success_status', scoOwned(vocabulary(SUCCESS_STATUS_2004))],
  ['cmi.objectives.n.completion_status', scoOwned(vocabulary(COMPLETION_STATUS_2004))],
  ['cmi.objectives.n.progress_measure', progress],
  ['cmi.objectives.n.description', scoOwned(langString(STRING_LIMITS.description2004))],
  ['cmi.progress_measure', progress],
  ['cmi.scaled_passing_score', lmsOwned],
  ['cmi.score.scaled', scaled],
  ['cmi.score.raw', real],
  ['cmi.score.min', real],
  ['cmi.score.max', real],
  ['cmi.session_time', scoOwned(duration2004())],
  ['cmi.success_status', scoOwned(vocabulary(SUCCESS_STATUS_2004))],
  ['cmi.suspend_data', scoOwned(characterString(STRING_LIMITS.suspendData))],
  ['cmi.time_limit_action', lmsOwned],
  ['cmi.total_time', lmsOwned],
  ['adl.nav.request', scoOwned(navRequest)],
  ['adl.data.n.id', lmsOwned],
  ['adl.data.n.store', scoOwned(characterString(STRING_LIMITS.suspendData))],
]);

/** adl.nav.request_valid.* are answers computed by the LMS; their names embed targets with dots. */
export const LMS_OWNED_PREFIXES_2004: readonly string[] = ['adl.nav.request_valid.'];
