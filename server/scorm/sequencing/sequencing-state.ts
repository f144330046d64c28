// Reads what the LMS needs from scorm-again's serialized sequencing state (its
// serializeSequencingState() JSON), and keeps the envelope the LMS stores in
// attempts.sequencing_json: { rev, state }. Pure: no database, no HTTP.
import type { CompletionStatus, SuccessStatus } from '../cmi/status-rules.js';

/** The largest sequencing state accepted from the player (a 100-SCO course stays well below). */
export const MAX_SEQUENCING_STATE_CHARS = 1_500_000;

/**
 * What attempts.sequencing_json holds: a revision counter (stale saves lose), the engine's state,
 * and the engine's choice validity per activity ("true"/"false"), which its state leaves out.
 */
export interface StoredSequencing { rev: number; state: EngineState; choice: Record<string, string> }

/** The parts of scorm-again's state the LMS reads; everything else is kept as it came. */
export interface EngineState {
  sequencing?: {
    currentActivity?: string | null;
    suspendedActivity?: string | null;
    activityStates?: Record<string, ActivityStateJson>;
  } | null;
  globalObjectiveMap?: Record<string, GlobalObjectiveEntry>;
  [key: string]: unknown;
}

interface ActivityStateJson {
  isSuspended?: boolean;
  completionStatus?: string;
  successStatus?: string;
  attemptCount?: number;
  objectiveMeasureStatus?: boolean;
  objectiveNormalizedMeasure?: number;
}

/** One entry of scorm-again's global objective map (GlobalObjectiveMapEntry). */
export type GlobalObjectiveEntry = Record<string, unknown>;

export interface RootOutcome { completionStatus: CompletionStatus; successStatus: SuccessStatus; scoreScaled: number | null }

/** Parses the stored column; anything unreadable counts as no state (the course then starts afresh). */
export function readStoredSequencing(json: string | null): StoredSequencing | null {
  if (!json) return null;
  try {
    const parsed = JSON.parse(json) as Partial<StoredSequencing>;
    if (typeof parsed.rev !== 'number' || !parsed.state || typeof parsed.state !== 'object') return null;
    return { rev: parsed.rev, state: parsed.state, choice: choiceMapOf(parsed.choice) };
  } catch {
    return null;
  }
}

function choiceMapOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v === 'true' || v === 'false')) as Record<string, string>;
}

/**
 * Checks a save from the player: { rev: positive integer, state: serialized engine state (string),
 * choice: the engine's choice validity map }.
 */
export function parseSequencingSave(body: unknown): StoredSequencing | null {
  if (!body || typeof body !== 'object') return null;
  const { rev, state, choice } = body as { rev?: unknown; state?: unknown; choice?: unknown };
  if (typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev < 1) return null;
  if (typeof state !== 'string' || state.length > MAX_SEQUENCING_STATE_CHARS) return null;
  try {
    const parsed = JSON.parse(state) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const sequencing = (parsed as EngineState).sequencing;
    if (sequencing !== undefined && sequencing !== null && typeof sequencing !== 'object') return null;
    return { rev, state: parsed as EngineState, choice: choiceMapOf(choice) };
  } catch {
    return null;
  }
}

const COMPLETION: readonly string[] = ['completed', 'incomplete', 'not attempted'];
const SUCCESS: readonly string[] = ['passed', 'failed'];

/**
 * The course result: the root activity's rolled-up status. Unknown completion reads as
 * "incomplete" once any activity was attempted, else "not attempted".
 */
export function rootOutcomeOf(state: EngineState, rootId: string): RootOutcome {
  const activities = state.sequencing?.activityStates ?? {};
  const root = activities[rootId] ?? {};
  const anyAttempted = Object.entries(activities).some(([id, a]) => id !== rootId && (a.attemptCount ?? 0) > 0);
  const completionStatus = (COMPLETION.includes(root.completionStatus ?? '') ? root.completionStatus : anyAttempted ? 'incomplete' : 'not attempted') as CompletionStatus;
  const successStatus = (SUCCESS.includes(root.successStatus ?? '') ? root.successStatus : 'unknown') as SuccessStatus;
  const measure = root.objectiveMeasureStatus && typeof root.objectiveNormalizedMeasure === 'number' && Number.isFinite(root.objectiveNormalizedMeasure)
    ? Math.round(Math.max(-1, Math.min(1, root.objectiveNormalizedMeasure)) * 10_000) / 10_000 : null;
  return { completionStatus, successStatus, scoreScaled: measure };
}

/** Where a relaunch without an explicit SCO goes: the suspended activity, else the current one. */
export function entryActivityOf(state: EngineState | null): string | null {
  return state?.sequencing?.suspendedActivity ?? state?.sequencing?.currentActivity ?? null;
}

/**
 * Whether the stored sequencing forbids a choice of `activityId` (the engine's own validity map).
 * The activity the learner is in, or suspended in, is never refused.
 */
export function isChoiceRefused(stored: StoredSequencing | null, activityId: string): boolean {
  if (!stored) return false;
  if (entryActivityOf(stored.state) === activityId) return false;
  return stored.choice[activityId] === 'false';
}

/** The global objectives of the state whose ids are in `ids` (the ones this course may write). */
export function pickGlobalObjectives(state: EngineState, ids: ReadonlySet<string>): Record<string, GlobalObjectiveEntry> {
  const out: Record<string, GlobalObjectiveEntry> = {};
  for (const [id, entry] of Object.entries(state.globalObjectiveMap ?? {})) {
    if (ids.has(id) && entry && typeof entry === 'object') out[id] = entry;
  }
  return out;
}

/** Value/known pairs of a global objective entry: a later write replaces only what it knows. */
const GLOBAL_FIELDS: ReadonlyArray<[value: string, known: string]> = [
  ['satisfiedStatus', 'satisfiedStatusKnown'], ['normalizedMeasure', 'normalizedMeasureKnown'], ['completionStatus', 'completionStatusKnown'],
  ['progressMeasure', 'progressMeasureKnown'], ['rawScore', 'rawScoreKnown'], ['minScore', 'minScoreKnown'], ['maxScore', 'maxScoreKnown'],
];

/**
 * A learner's stored global objective after a course wrote `next`: known values win, values the
 * course left unknown keep what another course (or an earlier attempt) recorded.
 */
export function mergeGlobalObjective(previous: GlobalObjectiveEntry | null, next: GlobalObjectiveEntry): GlobalObjectiveEntry {
  if (!previous) return next;
  const merged: GlobalObjectiveEntry = { ...previous };
  for (const [value, known] of GLOBAL_FIELDS) {
    if (next[known] === true) {
      merged[value] = next[value];
      merged[known] = true;
    }
  }
  return merged;
}
