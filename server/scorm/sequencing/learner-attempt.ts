// When a SCORM 2004 SCO starts a new learner attempt, and what of its stored run-time data it then
// sees. RTE 4th Ed. 4.2.8 (cmi.entry) and 4.2.10 (cmi.exit): a session that ends without
// "suspend" ends the learner attempt; the next launch begins a new one, whose data model starts
// from its initial values (success and completion "unknown", no location, objectives as the
// activity's objective data says at delivery). The LMS keeps the earlier values in its record.
import type { EngineState } from './sequencing-state.js';

export interface LearnerAttemptInput {
  /** cmi.exit of the SCO's stored state, null when nothing is stored. */
  storedExit: string | null;
  /** Whether the SCO's last session ended with Terminate (null: never launched in this attempt). */
  lastSessionEnded: boolean | null;
  /** The engine state saved for the course attempt. */
  engine: EngineState | null;
  activityId: string;
}

/**
 * A new learner attempt: the last session ended normally (not "suspend") and the engine did not
 * suspend the activity (suspendAll keeps its data). A session that never terminated (a crash) is
 * not taken as ended, so its data is still offered.
 */
export function startsNewLearnerAttempt(input: LearnerAttemptInput): boolean {
  if (input.lastSessionEnded !== true || input.storedExit === 'suspend') return false;
  const sequencing = input.engine?.sequencing;
  const suspended = sequencing?.suspendedActivity === input.activityId || sequencing?.activityStates?.[input.activityId]?.isSuspended === true;
  return !suspended;
}

/** What a new learner attempt carries over: the learner's preferences only (they belong to the learner). */
export function carriedIntoNewAttempt(cmi: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [element, value] of Object.entries(cmi)) if (element.startsWith('cmi.learner_preference.')) kept[element] = value;
  return kept;
}
