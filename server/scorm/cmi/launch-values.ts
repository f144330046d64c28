// Builds the object the player passes to scorm-again's loadFromJSON() before Initialize.
//
// loadFromJSON walks {cmi: {...}, adl: {...}}: arrays become indexed elements, and it skips
// falsy values ("" and 0). Every value here is therefore a non-empty string: a score of 0 is
// sent as "0" (truthy), and unset elements are left out. loadFromJSON also throws on the first
// value scorm-again refuses, which would break the launch, so stored values are only preloaded
// when they pass the same checks as a commit (validate-element.ts, kept within scorm-again's own
// limits); anything else is left out and stays on the server.

import { ELEMENTS } from './element-names.js';
import type { CmiVersion } from './error-codes.js';
import { formatDuration2004, formatTimespan12, formatTotalTime, parseDuration2004, parseTimespan12 } from './time.js';
import { compact, setPath, type JsonTree } from './json-tree.js';
import { identifier } from './value-checks.js';
import { validateElement } from './validate-element.js';
import { isWordOf, TIME_LIMIT_ACTION } from './vocabularies.js';

export interface LaunchInput {
  version: CmiVersion;
  learner: {
    id: string;
    name: string;
    /** The learner's LMS language (users.locale: "zh-CN", "en"); null when never chosen. */
    language?: string | null;
  };
  sco: {
    masteryScore: number | null;
    scaledPassingScore: number | null;
    launchData: string | null;
    /** As written in the manifest; converted when it is in the other version's format. */
    maxTimeAllowed: string | null;
    timeLimitAction: string | null;
    completionThreshold: number | null;
    /** Primary and secondary objective ids from the manifest (imsss:objectives). */
    objectiveIds: string[];
    /** adlcp:data map target ids, in manifest order: adl.data.n follows this order. */
    dataIds: string[];
  };
  /** Stored flat state of the attempt being resumed, null for a new attempt. */
  stored: Readonly<Record<string, string>> | null;
  storedTotalSeconds: number;
  mode: 'normal' | 'browse' | 'review';
}

export type { JsonTree } from './json-tree.js';

export interface LaunchState {
  cmi: JsonTree;
  adl?: { data: JsonTree[] };
}

export function buildLaunchState(input: LaunchInput): LaunchState {
  const preload = storedValues(input.version, input.stored ?? {});
  return input.version === '1.2' ? launchState12(input, preload) : launchState2004(input, preload);
}

/** Returns a stored value if it is set and would be accepted again unchanged. */
type Preload = (element: string) => string | undefined;

function launchState12(input: LaunchInput, preload: Preload): LaunchState {
  const { learner, sco, mode } = input;
  // "not attempted" is scorm-again's own initial value; preloading it would read as set by the SCO.
  const status = preload('cmi.core.lesson_status');
  const cmi = compact({
    core: {
      student_id: learner.id,
      student_name: clipCodePoints(learner.name, 255),
      credit: creditFor(mode),
      lesson_mode: mode,
      entry: entryFor(input),
      lesson_location: preload('cmi.core.lesson_location'),
      lesson_status: status === 'not attempted' ? undefined : status,
      score: {
        raw: preload('cmi.core.score.raw'),
        min: preload('cmi.core.score.min'),
        max: preload('cmi.core.score.max'),
      },
      total_time: formatTotalTime('1.2', input.storedTotalSeconds),
    },
    suspend_data: preload('cmi.suspend_data'),
    launch_data: sco.launchData ?? undefined,
    comments: preload('cmi.comments'),
    student_preference: { language: languagePreference(input, preload, 'cmi.student_preference.language') },
    student_data: {
      mastery_score: decimalWithin(sco.masteryScore, 0, 100),
      max_time_allowed: timeLimitIn('1.2', sco.maxTimeAllowed),
      time_limit_action: timeLimitAction(sco.timeLimitAction),
    },
    objectives: objectives(input, preload, ['status', 'score.raw', 'score.min', 'score.max']),
    interactions: interactionsForCount(preload),
  });
  return { cmi };
}

function launchState2004(input: LaunchInput, preload: Preload): LaunchState {
  const { learner, sco, mode } = input;
  const cmi = compact({
    learner_id: learner.id,
    learner_name: clipCodePoints(learner.name, 250),
    credit: creditFor(mode),
    mode,
    entry: entryFor(input),
    launch_data: sco.launchData ?? undefined,
    scaled_passing_score: decimalWithin(sco.scaledPassingScore, -1, 1),
    completion_threshold: decimalWithin(sco.completionThreshold, 0, 1),
    max_time_allowed: timeLimitIn('2004', sco.maxTimeAllowed),
    time_limit_action: timeLimitAction(sco.timeLimitAction),
    location: preload('cmi.location'),
    suspend_data: preload('cmi.suspend_data'),
    learner_preference: { language: languagePreference(input, preload, 'cmi.learner_preference.language') },
    completion_status: preload('cmi.completion_status'),
    success_status: preload('cmi.success_status'),
    progress_measure: preload('cmi.progress_measure'),
    score: {
      scaled: preload('cmi.score.scaled'),
      raw: preload('cmi.score.raw'),
      min: preload('cmi.score.min'),
      max: preload('cmi.score.max'),
    },
    total_time: formatTotalTime('2004', input.storedTotalSeconds),
    objectives: objectives(input, preload, [
      'success_status', 'completion_status', 'progress_measure', 'description',
      'score.scaled', 'score.raw', 'score.min', 'score.max',
    ]),
    interactions: interactionsForCount(preload),
  });
  const data = sharedData(input, preload);
  return data.length > 0 ? { cmi, adl: { data } } : { cmi };
}

/**
 * The language the SCO should use: the learner's LMS language when they chose one (it also
 * comes back in every commit, so the stored copy cannot tell a SCO's choice from an old profile
 * value), else whatever the SCO stored; checked like a SetValue, so a bad locale is left out.
 */
function languagePreference(input: LaunchInput, preload: Preload, element: string): string | undefined {
  const profile = input.learner.language?.trim();
  if (profile) {
    const verdict = validateElement(input.version, element, profile, () => undefined);
    if (verdict.outcome === 'accepted' && verdict.value === profile) return profile;
  }
  return preload(element);
}

/** DESIGN 4: entry is "resume" only when the last session exited with "suspend". */
function entryFor({ version, stored }: LaunchInput): 'resume' | 'ab-initio' {
  return stored?.[ELEMENTS[version].exit] === 'suspend' ? 'resume' : 'ab-initio';
}

/** Only a normal launch counts; previews (browse) and reviews are no-credit. */
function creditFor(mode: LaunchInput['mode']): 'credit' | 'no-credit' {
  return mode === 'normal' ? 'credit' : 'no-credit';
}

/**
 * Objectives: the stored ones keep their indexes, then manifest objective ids not yet present
 * are appended. Content such as the ADL "advanced calls" sample addresses cmi.objectives by the
 * manifest ids and fails with 401s when they are missing.
 */
function objectives(input: LaunchInput, preload: Preload, fields: string[]): JsonTree[] {
  const list: JsonTree[] = [];
  const ids = new Set<string>();
  for (let index = 0; ; index += 1) {
    const id = preload(`cmi.objectives.${index}.id`);
    if (id === undefined) break; // stop at the first gap: indexes must stay aligned with the state
    ids.add(id);
    const objective: JsonTree = { id };
    for (const field of fields) setPath(objective, field, preload(`cmi.objectives.${index}.${field}`));
    list.push(compact(objective));
  }
  const isValidId = identifier(input.version === '1.2' ? 'scorm12' : 'scorm2004');
  for (const id of input.sco.objectiveIds) {
    if (ids.has(id) || list.length >= 250) continue;
    const checked = isValidId(id, { element: 'cmi.objectives.n.id', indexes: [], lookup: () => undefined });
    if (checked.ok && checked.value === id && id !== '') {
      ids.add(id);
      list.push({ id });
    }
  }
  return list;
}

/**
 * Interactions are preloaded with id and type only: enough for cmi.interactions._count to
 * continue, so content that appends at _count does not overwrite earlier answers. Their other
 * fields stay on the server (an echoed "" never erases them, see sco-state.ts).
 */
function interactionsForCount(preload: Preload): JsonTree[] {
  const list: JsonTree[] = [];
  for (let index = 0; ; index += 1) {
    const id = preload(`cmi.interactions.${index}.id`);
    if (id === undefined) break;
    list.push(compact({ id, type: preload(`cmi.interactions.${index}.type`) }));
  }
  return list;
}

/** adl.data.n.id from the manifest data maps, with the store this SCO last wrote at that index. */
function sharedData(input: LaunchInput, preload: Preload): JsonTree[] {
  const isValidId = identifier('scorm2004');
  return input.sco.dataIds
    .filter((id) => {
      const checked = isValidId(id, { element: 'adl.data.n.id', indexes: [], lookup: () => undefined });
      return checked.ok && checked.value === id && id !== '';
    })
    .map((id, index) => compact({ id, store: preload(`adl.data.${index}.store`) }));
}

function storedValues(version: CmiVersion, stored: Readonly<Record<string, string>>): Preload {
  const lookup = (element: string): string | undefined => (Object.hasOwn(stored, element) ? stored[element] : undefined);
  return (element) => {
    const value = lookup(element);
    if (value === undefined || value === '') return undefined;
    const verdict = validateElement(version, element, value, lookup);
    return verdict.outcome === 'accepted' && verdict.value === value ? value : undefined;
  };
}

function timeLimitIn(version: CmiVersion, value: string | null): string | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  const seconds = parseTimespan12(text) ?? parseDuration2004(text);
  if (seconds === null) return undefined;
  return version === '1.2' ? formatTimespan12(seconds) : formatDuration2004(seconds);
}

function timeLimitAction(value: string | null): string | undefined {
  const text = value?.trim() ?? '';
  return isWordOf(TIME_LIMIT_ACTION, text) ? text : undefined;
}

/** A number as a decimal string ("0" for zero), or undefined when missing or out of range. */
function decimalWithin(value: number | null, min: number, max: number): string | undefined {
  if (value === null || !Number.isFinite(value) || value < min || value > max) return undefined;
  const text = String(value);
  return text.includes('e') ? value.toFixed(7).replace(/\.?0+$/, '') : text;
}

function clipCodePoints(value: string, maxLength: number): string {
  const codePoints = Array.from(value);
  return codePoints.length <= maxLength ? value : codePoints.slice(0, maxLength).join('');
}
