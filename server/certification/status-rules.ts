/**
 * Certification status of one employee × assigned course as of an instant (DESIGN §5). Pure: the
 * caller loads the enrollment, the certificates and attempts of this user and course, and passes
 * the user's roster status as of the same date.
 *
 * Time. Instants are UTC; deadlines are local calendar dates in `policy.timeZone`.
 * - Due: a due date D (the local date of `enrollment.dueAt`, or the date itself when given as
 *   'YYYY-MM-DD') holds through the end of D: overdue from the next local midnight on
 *   (Asia/Shanghai, D = 2026-03-31: still due at 2026-03-31T15:59:59.999Z, overdue at 16:00:00Z).
 * - Expiry: a certificate expiring on local date E is valid through the end of E, expired from
 *   the next local midnight. `expiresAt: null` never expires.
 * - A certificate counts from `issuedAt` on and stops counting at `revokedAt`, so an as-of date in
 *   the past sees what was true then. Attempts count from `startedAt`; one not finished by the
 *   as-of instant is in progress.
 * - daysLeft counts local calendar days from the as-of date to the deadline date (0 on the day).
 *   `expiring` when daysLeft ≤ expiringWindowDays (window 30, expiry 03-31: expiring from local
 *   03-01 00:00); the renewal window opens the same way at daysLeft ≤ renewalWindowDays.
 *
 * Cycles. The newest unrevoked certificate (valid or lapsed) starts the current cycle; so does a
 * revocation, which voids its certificate and asks for a fresh pass. Only attempts started after
 * the cycle began decide in_progress / failed. A due date belongs to the current cycle unless a
 * certificate covered it: once a certificate has lapsed, only a due date on or after its expiry
 * date (one set for the renewal) can make the employee overdue.
 *
 * Precedence, first match wins:
 *   certified / expiring  a valid certificate (renewal attempts, failed or running, change nothing)
 *   overdue               the cycle's due date has passed
 *   expired               the newest certificate lapsed (even with a renewal attempt running)
 *   in_progress           the cycle's last attempt is unfinished, or passed with no certificate yet
 *   failed                the cycle's last attempt ended without passing (failed, or not completed)
 *   not_started           nothing of the above
 *
 * Courses with an exam (`exam` given): the exam decides pass and fail, the lessons only progress.
 * A running exam paper is in_progress; the cycle's last exam failed is `failed`, unless lessons
 * started after it are still running (in_progress); any other attempt of the cycle, lessons or a
 * passed exam still waiting for its certificate, is in_progress.
 *
 * Leavers and enrollments assigned after the as-of instant still get a status (their history is
 * real) but `isCounted` is false: reports and dashboards leave them out of every figure.
 */
import {
  dayNumberOfLocalDate,
  endOfDayNumber,
  localDateOfDayNumber,
  localDayNumber,
  parseInstant,
  startOfDayNumber,
} from './calendar.js';

export const CERTIFICATION_STATUSES = [
  'certified',
  'expiring',
  'expired',
  'overdue',
  'in_progress',
  'failed',
  'not_started',
] as const;

export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];

/**
 * A Date, an ISO-8601 instant ('…Z' or with an offset; without one it is UTC as stored, so
 * SQLite's '2026-03-31 08:00:00' works), or a bare local date 'YYYY-MM-DD': for a deadline
 * (dueAt, expiresAt) that date itself, for any other field the start of that local day.
 */
export type DateInput = Date | string;

export interface EnrollmentFacts {
  assignedAt: DateInput;
  dueAt: DateInput | null;
}

export interface CertificateFacts {
  issuedAt: DateInput;
  expiresAt: DateInput | null;
  revokedAt: DateInput | null;
}

export interface AttemptFacts {
  startedAt: DateInput;
  finishedAt: DateInput | null;
  /** SCORM 2004 words: completed, incomplete, not attempted, unknown. */
  completionStatus: string | null;
  /** passed, failed, unknown. */
  successStatus: string | null;
  score: number | null;
}

/** One server-graded exam attempt (the newest is enough, like `attempts`). */
export interface ExamAttemptFacts {
  startedAt: DateInput;
  /** Null while the paper is open. */
  submittedAt: DateInput | null;
  passed: boolean | null;
}

export interface StatusInput<C extends CertificateFacts = CertificateFacts, A extends AttemptFacts = AttemptFacts> {
  enrollment: EnrollmentFacts;
  certificates: readonly C[];
  attempts: readonly A[];
  /** Only for a course with an enabled exam: its attempts (SCORM attempts are then lessons). */
  exam?: { attempts: readonly ExamAttemptFacts[] } | null;
  /** Roster status as of the same date. */
  userStatus: 'active' | 'left';
}

export interface CertificationPolicy {
  timeZone: string;
  expiringWindowDays: number;
  renewalWindowDays: number;
}

export const DEFAULT_CERTIFICATION_POLICY: Readonly<CertificationPolicy> = Object.freeze({
  timeZone: 'Asia/Shanghai',
  expiringWindowDays: 30,
  renewalWindowDays: 60,
});

export type Exclusion = 'left' | 'not_assigned_yet';

export interface CertificationStatusResult<C extends CertificateFacts = CertificateFacts, A extends AttemptFacts = AttemptFacts> {
  status: CertificationStatus;
  /** False when `exclusion` is set: leave the row out of counts and compliance rates. */
  isCounted: boolean;
  exclusion: Exclusion | null;
  /** The valid certificate (certified/expiring) or the lapsed one the status is about; else null. */
  certificate: C | null;
  /** Local expiry date of `certificate`, and the last instant it is valid. */
  expiryDate: string | null;
  expiresAt: Date | null;
  /** Local due date still to be met in this cycle (null when none, or when a certificate met it). */
  dueDate: string | null;
  /** Last instant before that due date is missed. */
  dueAt: Date | null;
  /** Local days to the next deadline — expiry while certified, else the due date; negative once passed. */
  daysLeft: number | null;
  /** A renewal attempt may start: inside the renewal window of the newest certificate, or after it lapsed. */
  renewalOpen: boolean;
  /** Newest attempt started by the as-of instant, whichever cycle it belongs to. */
  lastAttempt: A | null;
}

const LOCAL_DATE_LENGTH = 'YYYY-MM-DD'.length;

export function computeCertificationStatus<C extends CertificateFacts, A extends AttemptFacts>(
  input: StatusInput<C, A>,
  asOf: Date,
  policy: CertificationPolicy = DEFAULT_CERTIFICATION_POLICY,
): CertificationStatusResult<C, A> {
  assertPolicy(policy);
  const { timeZone } = policy;
  const now = asOf.getTime();
  if (Number.isNaN(now)) throw new RangeError('asOf is an Invalid Date');
  // Dates below are local day numbers (integers), see calendar.ts.
  const today = localDayNumber(now, timeZone);

  const exclusion: Exclusion | null =
    input.userStatus === 'left' ? 'left'
      : instantMs(input.enrollment.assignedAt, timeZone) > now ? 'not_assigned_yet'
        : null;

  // Certificates as they stood at the as-of instant. An expiry day of Infinity never comes.
  let valid: C | null = null;
  let validExpiry = Number.NEGATIVE_INFINITY;
  let lapsed: C | null = null;
  let lapsedExpiry = Number.NEGATIVE_INFINITY;
  let lapsedIssuedMs = Number.NEGATIVE_INFINITY;
  let revokedMs = Number.NEGATIVE_INFINITY;
  for (const certificate of input.certificates) {
    const issuedMs = instantMs(certificate.issuedAt, timeZone);
    if (issuedMs > now) continue;
    if (certificate.revokedAt !== null) {
      const revoked = instantMs(certificate.revokedAt, timeZone);
      if (revoked <= now) {
        revokedMs = Math.max(revokedMs, revoked);
        continue;
      }
    }
    const expiry = certificate.expiresAt === null ? Number.POSITIVE_INFINITY : deadlineDay(certificate.expiresAt, timeZone);
    if (expiry >= today) {
      if (valid === null || expiry > validExpiry) {
        valid = certificate;
        validExpiry = expiry;
      }
    } else if (lapsed === null || expiry > lapsedExpiry) {
      lapsed = certificate;
      lapsedExpiry = expiry;
      lapsedIssuedMs = issuedMs;
    }
  }

  // Newest attempt overall and newest of the current cycle (started after it began).
  const cycleStart = Math.max(lapsedIssuedMs, revokedMs);
  let lastAttempt: A | null = null;
  let lastStarted = Number.NEGATIVE_INFINITY;
  let cycleAttempt: A | null = null;
  for (const attempt of input.attempts) {
    const started = instantMs(attempt.startedAt, timeZone);
    if (started > now || started < lastStarted) continue; // ties go to the later one in the list
    lastAttempt = attempt;
    lastStarted = started;
    if (started > cycleStart) cycleAttempt = attempt;
  }

  if (valid !== null) {
    const hasExpiry = validExpiry !== Number.POSITIVE_INFINITY;
    const daysLeft = hasExpiry ? validExpiry - today : null;
    return {
      status: daysLeft !== null && daysLeft <= policy.expiringWindowDays ? 'expiring' : 'certified',
      isCounted: exclusion === null,
      exclusion,
      certificate: valid,
      expiryDate: hasExpiry ? localDateOfDayNumber(validExpiry) : null,
      expiresAt: hasExpiry ? new Date(endOfDayNumber(validExpiry, timeZone)) : null,
      dueDate: null,
      dueAt: null,
      daysLeft,
      renewalOpen: daysLeft !== null && daysLeft <= policy.renewalWindowDays,
      lastAttempt,
    };
  }

  // A due date before the lapsed certificate's expiry was met by that certificate.
  const rawDue = input.enrollment.dueAt === null ? null : deadlineDay(input.enrollment.dueAt, timeZone);
  const dueDay = rawDue !== null && (lapsed === null || rawDue >= lapsedExpiry) ? rawDue : null;
  const dueAtMs = dueDay === null ? null : endOfDayNumber(dueDay, timeZone);

  let status: CertificationStatus;
  if (dueAtMs !== null && now > dueAtMs) status = 'overdue';
  else if (lapsed !== null) status = 'expired';
  else if (input.exam) status = examCycleStatus(input.exam.attempts, cycleAttempt, cycleStart, now, timeZone);
  else if (cycleAttempt !== null) status = attemptOutcome(cycleAttempt, now, timeZone) === 'failed' ? 'failed' : 'in_progress';
  else status = 'not_started';

  return {
    status,
    isCounted: exclusion === null,
    exclusion,
    certificate: lapsed,
    expiryDate: lapsed === null ? null : localDateOfDayNumber(lapsedExpiry),
    expiresAt: lapsed === null ? null : new Date(endOfDayNumber(lapsedExpiry, timeZone)),
    dueDate: dueDay === null ? null : localDateOfDayNumber(dueDay),
    dueAt: dueAtMs === null ? null : new Date(dueAtMs),
    daysLeft: dueDay === null ? null : dueDay - today,
    renewalOpen: lapsed !== null,
    lastAttempt,
  };
}

/** The first instant of the local expiring window for a certificate expiring on `expiryDate`. */
export function expiringWindowStart(expiryDate: string, policy: CertificationPolicy = DEFAULT_CERTIFICATION_POLICY): Date {
  return new Date(startOfDayNumber(dayNumberOfLocalDate(expiryDate) - policy.expiringWindowDays, policy.timeZone));
}

/** The first instant at which a renewal attempt may start. */
export function renewalWindowStart(expiryDate: string, policy: CertificationPolicy = DEFAULT_CERTIFICATION_POLICY): Date {
  return new Date(startOfDayNumber(dayNumberOfLocalDate(expiryDate) - policy.renewalWindowDays, policy.timeZone));
}

type AttemptOutcome = 'running' | 'passed' | 'failed';

/**
 * Trusts the success status the pass rules recorded; without one, completion decides (courses
 * with no mastery score pass on completion). An attempt that ended incomplete has failed.
 */
function attemptOutcome(attempt: AttemptFacts, now: number, timeZone: string): AttemptOutcome {
  if (attempt.finishedAt === null || instantMs(attempt.finishedAt, timeZone) > now) return 'running';
  if (attempt.successStatus === 'passed') return 'passed';
  if (attempt.successStatus === 'failed') return 'failed';
  return attempt.completionStatus === 'completed' ? 'passed' : 'failed';
}

/** in_progress / failed / not_started of an exam course's cycle (see the header). */
function examCycleStatus(exams: readonly ExamAttemptFacts[], lessons: AttemptFacts | null, cycleStart: number, now: number, timeZone: string): CertificationStatus {
  let exam: ExamAttemptFacts | null = null;
  let examStarted = Number.NEGATIVE_INFINITY;
  for (const attempt of exams) {
    const started = instantMs(attempt.startedAt, timeZone);
    if (started > now || started <= cycleStart || started < examStarted) continue;
    exam = attempt;
    examStarted = started;
  }
  if (exam === null) return lessons === null ? 'not_started' : 'in_progress';
  if (exam.submittedAt === null || instantMs(exam.submittedAt, timeZone) > now) return 'in_progress';
  if (exam.passed === true) return 'in_progress';
  const lessonsAfter = lessons !== null && instantMs(lessons.startedAt, timeZone) > examStarted
    && attemptOutcome(lessons, now, timeZone) === 'running';
  return lessonsAfter ? 'in_progress' : 'failed';
}

/** Local day number of a deadline: a bare 'YYYY-MM-DD' is that date, an instant its local date. */
function deadlineDay(value: DateInput, timeZone: string): number {
  if (typeof value === 'string' && value.length === LOCAL_DATE_LENGTH) return dayNumberOfLocalDate(value);
  return localDayNumber(instantMs(value, timeZone), timeZone);
}

function instantMs(value: DateInput, timeZone: string): number {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (value.length === LOCAL_DATE_LENGTH) ms = startOfDayNumber(dayNumberOfLocalDate(value), timeZone);
  else ms = parseInstant(value);
  if (Number.isNaN(ms)) throw new RangeError(`Not a date: ${String(value)}`);
  return ms;
}

function assertPolicy(policy: CertificationPolicy): void {
  if (!Number.isInteger(policy.expiringWindowDays) || policy.expiringWindowDays < 0) {
    throw new RangeError(`expiringWindowDays must be a whole number ≥ 0, got ${policy.expiringWindowDays}`);
  }
  if (!Number.isInteger(policy.renewalWindowDays) || policy.renewalWindowDays < 0) {
    throw new RangeError(`renewalWindowDays must be a whole number ≥ 0, got ${policy.renewalWindowDays}`);
  }
}
