// Merges a validated commit into the stored state of one SCO attempt and derives its summary.
//
// Merge rules (deliberate, because scorm-again sends full commits: every element, "" when unset):
// - A non-empty accepted value replaces the stored one.
// - "" replaces (clears) only where the SCO can meaningfully clear a value it owns: exit (each
//   session starts without one), location, suspend data, 1.2 comments and language preference.
//   Everywhere else "" means "not set in this browser session" (e.g. the runtime refused a
//   preload) and never erases what is stored.
// - Session-only elements (session_time, adl.nav.request) are not stored: session time is
//   reported in the summary for the caller to add to the total once per session.
// - Within an attempt, a recorded pass and a recorded completion are never taken back. When a
//   pass is kept, the scores that earned it are kept with it, so the record stays consistent.
// Derived statuses are written back into the state, so the next launch preloads what is recorded.

import { ELEMENTS, scoreElements } from './element-names.js';
import { FORBIDDEN_SEGMENTS } from './forbidden-names.js';
import type { CmiVersion } from './error-codes.js';
import {
  asCompletionStatus, asSuccessStatus, deriveLessonStatus, deriveOutcome2004, keepRecordedLessonStatus,
  keepRecordedOutcome, outcomeOfLessonStatus, type CompletionStatus, type ScoRules, type SuccessStatus,
} from './status-rules.js';
import { parseSessionTime } from './time.js';

export type { ScoRules } from './status-rules.js';

export interface ScoSummary {
  completionStatus: CompletionStatus;
  successStatus: SuccessStatus;
  scoreRaw: number | null;
  /** 2004 score.scaled, else derived from raw within min..max (1.2 defaults: 0..100), clamped to 0..1. */
  scoreScaled: number | null;
  location: string | null;
  exit: string | null;
  /** This commit's session_time in seconds (cumulative within the session, 0 when absent). */
  sessionSeconds: number;
}

export interface MergeScoStateInput {
  version: CmiVersion;
  /** Stored flat state of this attempt, null for a new attempt. */
  previous: Readonly<Record<string, string>> | null;
  accepted: ReadonlyMap<string, string>;
  /** The commit sent by LMSFinish / Terminate. */
  isTerminating: boolean;
  rules: ScoRules;
}

export interface MergedScoState {
  /** Null-prototype object: keys come from commits, so they must never reach Object.prototype. */
  state: Record<string, string>;
  summary: ScoSummary;
}

const CLEARED_BY_EMPTY: Readonly<Record<CmiVersion, ReadonlySet<string>>> = {
  '1.2': new Set(['cmi.core.exit', 'cmi.core.lesson_location', 'cmi.suspend_data', 'cmi.comments', 'cmi.student_preference.language']),
  '2004': new Set(['cmi.exit', 'cmi.location', 'cmi.suspend_data', 'cmi.learner_preference.language']),
};
const SESSION_ONLY: ReadonlySet<string> = new Set(['cmi.core.session_time', 'cmi.session_time', 'adl.nav.request']);

export function mergeScoState(input: MergeScoStateInput): MergedScoState {
  const { version, previous, accepted } = input;
  const state = copyState(previous);
  for (const [element, value] of accepted) {
    if (SESSION_ONLY.has(element) || hasForbiddenSegment(element)) continue;
    if (value !== '') state[element] = value;
    else if (CLEARED_BY_EMPTY[version].has(element)) delete state[element];
  }
  const outcome = version === '1.2' ? settle12(state, input) : settle2004(state, input);
  return { state, summary: summarise(version, state, accepted, outcome) };
}

function settle12(state: Record<string, string>, { previous, rules, isTerminating }: MergeScoStateInput): { completion: CompletionStatus; success: SuccessStatus } {
  const previousStatus = previous?.['cmi.core.lesson_status'] ?? '';
  const derived = deriveLessonStatus(state['cmi.core.lesson_status'] ?? '', toNumber(state['cmi.core.score.raw']), rules, isTerminating);
  const status = keepRecordedLessonStatus(previousStatus, derived);
  if (outcomeOfLessonStatus(previousStatus).success === 'passed' && outcomeOfLessonStatus(derived).success !== 'passed') {
    restoreScores('1.2', state, previous);
  }
  if (status !== '') state['cmi.core.lesson_status'] = status;
  return outcomeOfLessonStatus(status);
}

function settle2004(state: Record<string, string>, { previous, rules }: MergeScoStateInput): { completion: CompletionStatus; success: SuccessStatus } {
  const before = {
    completion: asCompletionStatus(previous?.['cmi.completion_status']),
    success: asSuccessStatus(previous?.['cmi.success_status']),
  };
  const reported = { completion: asCompletionStatus(state['cmi.completion_status']), success: asSuccessStatus(state['cmi.success_status']) };
  const derived = deriveOutcome2004(reported, toNumber(state['cmi.progress_measure']), toNumber(state['cmi.score.scaled']), rules);
  const kept = keepRecordedOutcome(before, derived);
  if (before.success === 'passed' && derived.success !== 'passed') restoreScores('2004', state, previous);
  writeStatus(state, 'cmi.completion_status', kept.completion);
  writeStatus(state, 'cmi.success_status', kept.success);
  return kept;
}

function summarise(
  version: CmiVersion,
  state: Record<string, string>,
  accepted: ReadonlyMap<string, string>,
  outcome: { completion: CompletionStatus; success: SuccessStatus },
): ScoSummary {
  const names = ELEMENTS[version];
  const scoreRaw = toNumber(state[names.scoreRaw]);
  return {
    completionStatus: outcome.completion,
    successStatus: outcome.success,
    scoreRaw,
    scoreScaled: scaledScore(version, state, scoreRaw),
    location: nonEmpty(state[names.location]),
    exit: nonEmpty(state[names.exit]),
    sessionSeconds: parseSessionTime(version, accepted.get(names.sessionTime) ?? '') ?? 0,
  };
}

/**
 * A score exists only when raw (or 2004 scaled) was reported: scorm-again's default
 * cmi.core.score.max = "100" alone is not a score.
 */
function scaledScore(version: CmiVersion, state: Record<string, string>, raw: number | null): number | null {
  const names = ELEMENTS[version];
  const reported = names.scoreScaled === null ? null : toNumber(state[names.scoreScaled]);
  if (reported !== null || raw === null) return reported;
  const min = toNumber(state[names.scoreMin]);
  const max = toNumber(state[names.scoreMax]);
  // 1.2 scores are percentages by convention; 2004 raw scores mean nothing without both bounds.
  const low = min ?? (version === '1.2' ? 0 : null);
  const high = max ?? (version === '1.2' ? 100 : null);
  if (low === null || high === null || high <= low) return null;
  const scaled = Math.min(1, Math.max(0, (raw - low) / (high - low)));
  return Math.round(scaled * 1e7) / 1e7;
}

function restoreScores(version: CmiVersion, state: Record<string, string>, previous: Readonly<Record<string, string>> | null): void {
  for (const element of scoreElements(version)) {
    const kept = previous?.[element];
    if (kept === undefined) delete state[element];
    else state[element] = kept;
  }
}

function writeStatus(state: Record<string, string>, element: string, value: string): void {
  if (value !== 'unknown' || element in state) state[element] = value;
}

function copyState(previous: Readonly<Record<string, string>> | null): Record<string, string> {
  const state: Record<string, string> = Object.create(null);
  for (const [element, value] of Object.entries(previous ?? {})) {
    if (typeof value === 'string' && !hasForbiddenSegment(element)) state[element] = value;
  }
  return state;
}

// FORBIDDEN_SEGMENTS as one whole-segment pattern: this runs for every stored and committed element.
const FORBIDDEN_SEGMENT = new RegExp(`(?:^|\\.)(?:${[...FORBIDDEN_SEGMENTS].join('|')})(?:\\.|$)`);

function hasForbiddenSegment(element: string): boolean {
  return FORBIDDEN_SEGMENT.test(element);
}

function toNumber(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
