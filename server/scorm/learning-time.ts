/**
 * Learning time as the LMS measures it (beside SCORM's self-reported total_time): every launch,
 * commit and player heartbeat is an activity; the time between two activities of an attempt
 * counts when the gap is at most IDLE_CUT_SECONDS, and is cut (counts nothing) when longer — a
 * learner who walked away, or a browser that was killed, adds nothing after its last signal. Pure.
 */

/** A gap longer than this between two signals is idle time and is not counted (5 minutes). */
export const IDLE_CUT_SECONDS = 300;
/** Signals closer together than this are not written: the next write counts the whole gap anyway. */
export const ACTIVITY_WRITE_MIN_SECONDS = 10;
/** How often the player's heartbeat is sent while the course is visible (seconds). */
export const HEARTBEAT_SECONDS = 30;

export interface ActivityCredit { addSeconds: number; lastActivityAt: string }

/** Seconds between the attempt's last counted activity and `at`, counted only when not idle. */
export function creditActivity(lastActivityAt: string | null, at: Date, idleCutSeconds = IDLE_CUT_SECONDS): ActivityCredit {
  const iso = at.toISOString();
  if (lastActivityAt === null) return { addSeconds: 0, lastActivityAt: iso };
  const gap = (at.getTime() - Date.parse(lastActivityAt)) / 1000;
  // A clock step backwards counts nothing and keeps the later mark.
  if (!(gap >= 0)) return { addSeconds: 0, lastActivityAt };
  return { addSeconds: gap <= idleCutSeconds ? Math.round(gap * 1000) / 1000 : 0, lastActivityAt: iso };
}

/** Whether an activity at `at` is worth a write (the first one always is). */
export function isActivityDue(lastActivityAt: string | null, at: Date, minSeconds = ACTIVITY_WRITE_MIN_SECONDS): boolean {
  return lastActivityAt === null || at.getTime() - Date.parse(lastActivityAt) >= minSeconds * 1000;
}
