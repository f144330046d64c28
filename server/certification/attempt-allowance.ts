/**
 * Whether a learner has used up the course's attempts — the rule LaunchService.launch applies
 * before it starts a new attempt (AttemptsExhaustedError), read here to show "locked" and to offer
 * a retake. Attempts count from the start of the current certification cycle. Pure.
 *
 * A package that grades itself may offer its own "retake" inside one LMS attempt; each of its
 * tries (scorm/tries.ts: a new decision after a pass or fail) counts as an attempt here, so a
 * learner who failed five times inside one launch has used five, not one. An attempt counts at
 * least once (a package that never reports a score or decision).
 */

export interface AllowanceInput {
  attemptsLimit: number | null;
  retakesGranted: number;
  /** The enrollment's attempts, oldest first. */
  attempts: ReadonlyArray<{ startedAt: string; finishedAt: string | null; triesCount?: number }>;
  /** CertificationService.cycleStartedAt: attempts started before it do not count (null: none). */
  cycleStartedAt: string | null;
}

export interface Allowance { used: number; allowed: number | null; isLocked: boolean }

export function attemptAllowance(input: AllowanceInput): Allowance {
  const cycleStart = input.cycleStartedAt ?? '';
  const used = input.attempts.filter((a) => a.startedAt > cycleStart).reduce((sum, a) => sum + Math.max(1, a.triesCount ?? 0), 0);
  const allowed = input.attemptsLimit === null ? null : input.attemptsLimit + input.retakesGranted;
  const latest = input.attempts.at(-1);
  // A running attempt can always be resumed; only starting a new one is refused.
  const isLocked = allowed !== null && (latest === undefined || latest.finishedAt !== null) && used >= allowed;
  return { used, allowed, isLocked };
}

/**
 * When the current certification cycle began: the newest certificate's issue, or a revocation
 * (which voids its certificate and asks for a fresh pass). Null before any certificate.
 */
export function cycleStartOf(certificates: ReadonlyArray<{ issuedAt: string; revokedAt: string | null }>): string | null {
  let start: string | null = null;
  for (const c of certificates) {
    const at = c.revokedAt ?? c.issuedAt;
    if (start === null || at > start) start = at;
  }
  return start;
}
