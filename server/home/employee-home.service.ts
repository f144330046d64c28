import type { CertificationStore, CertificateRecord, AttemptRecordRow, EnrollmentOfUserRow } from '../certification/certification.repository.js';
import type { CoursesStore } from '../courses/courses.repository.js';
import type { RuntimeStore } from '../scorm/runtime.repository.js';
import type { ExamsStore } from '../exams/exams.repository.js';
import type { ExamAttempt } from '../exams/exam.types.js';
import { computeCertificationStatus, type CertificationPolicy, type CertificationStatus } from '../certification/status-rules.js';
import { localDateOf } from '../certification/calendar.js';
import { countedAttempt } from '../certification/pass-rules.js';
import { attemptAllowance, cycleStartOf } from '../certification/attempt-allowance.js';
import { scorePercent } from '../certification/score.js';
import { homeReminders, type HomeReminder } from './reminders.js';

export interface HomeAttempt { number: number; startedOn: string; finishedOn: string | null; completionStatus: string; successStatus: string; score: number | null }

/** Attempts used in this certification cycle, how many are allowed (null: unlimited) and left. */
export interface AttemptCount { used: number; allowed: number | null; left: number | null }

export interface HomeCourse {
  code: string; title: string; titleEn: string | null; description: string; descriptionEn: string | null;
  isAssigned: boolean; status: CertificationStatus;
  /** The cycle's due date still to be met and the local days to it (negative once missed). */
  dueDate: string | null; daysLeft: number | null;
  /** Lessons done in the cycle's newest attempt, in percent (null: nothing started this cycle). */
  progress: number | null;
  /**
   * The score that counts: the one on the valid certificate; else this cycle's exam score (exam
   * courses), or the last or the best finished attempt's (course setting).
   */
  score: { value: number; basis: 'certificate' | 'exam' | 'last' | 'highest' } | null;
  /** The valid certificate, with local days to its expiry. */
  certificate: { serial: string; issuedOn: string; expiryDate: string; daysLeft: number | null } | null;
  /** The certificate that lapsed (status expired). */
  lapsed: { serial: string; expiryDate: string } | null;
  /** A revocation started this cycle and no valid certificate replaced it yet. */
  revoked: { on: string; reason: string | null } | null;
  renewalOpen: boolean; canLaunch: boolean; isLocked: boolean;
  launchKind: 'start' | 'resume' | 'retake' | 'renew' | 'review'; attempts: HomeAttempt[]; isUrgent: boolean;
  /** SCORM attempts this cycle, when the course limits them. */
  lessons: AttemptCount | null;
  /** The course's enabled exam: attempts this cycle and the newest submitted paper of the cycle. */
  exam: (AttemptCount & {
    passMark: number; last: { attemptId: number; score: number | null; passed: boolean; submittedOn: string } | null;
    /** The newest submitted paper of any cycle (the one the result page offers to review), and whether it passed. */
    review: { attemptId: number; passed: boolean } | null;
  }) | null;
}

export interface MyCertificate {
  serial: string; courseCode: string; title: string; titleEn: string | null; score: number | null;
  issuedOn: string; expiryDate: string; daysLeft: number | null;
  state: 'valid' | 'expiring' | 'expired' | 'revoked'; revokedOn: string | null; revokedReason: string | null;
}

// Most urgent first: a missed deadline, a lapsed or lapsing certificate, work still to do, done.
const URGENCY: Record<CertificationStatus, number> = { overdue: 0, expired: 1, expiring: 2, failed: 3, in_progress: 3, not_started: 3, certified: 4 };

type Enrollment = EnrollmentOfUserRow;

/** The employee's own page: every enrolled course with its status, deadline, progress, attempts and certificate. */
export class EmployeeHomeService {
  constructor(private readonly deps: {
    certification: CertificationStore; courses: CoursesStore; runtime: RuntimeStore;
    exams: ExamsStore; policy: CertificationPolicy; now: () => Date;
    /** Days before a due date that the home page starts reminding (config.dueSoonDays). */
    dueSoonDays: number;
  }) {}

  async coursesOf(userId: number): Promise<HomeCourse[]> {
    const courses: HomeCourse[] = [];
    for (const e of await this.deps.certification.enrollmentsOfUser(userId)) {
      if (e.course_status === 'draft') continue;
      courses.push(await this.cardOf(userId, e));
    }
    return courses.sort((a, b) => URGENCY[a.status] - URGENCY[b.status] || (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || a.code.localeCompare(b.code));
  }

  /** The home page: the cards and the reminders they call for (due soon, overdue, expiring, expired, revoked). */
  async homeOf(userId: number): Promise<{ courses: HomeCourse[]; reminders: HomeReminder[] }> {
    const courses = await this.coursesOf(userId);
    return { courses, reminders: homeReminders(courses, this.deps.dueSoonDays) };
  }

  /** One enrolled course (the result page), or null when the learner is not enrolled in it. */
  async courseOf(userId: number, code: string): Promise<HomeCourse | null> {
    const e = (await this.deps.certification.enrollmentsOfUser(userId)).find((row) => row.code === code);
    return e && e.course_status !== 'draft' ? this.cardOf(userId, e) : null;
  }

  /** Every certificate the person holds or held, newest first, with its state today. */
  async certificatesOf(userId: number): Promise<MyCertificate[]> {
    const { certification, policy } = this.deps;
    const now = this.deps.now();
    const local = (iso: string) => localDateOf(new Date(iso), policy.timeZone);
    return (await certification.certificatesOfUser(userId)).map((c) => {
      // The certificate alone, as the verification page judges it (validity through the local expiry date).
      const alone = computeCertificationStatus({
        enrollment: { assignedAt: c.issuedAt, dueAt: null }, certificates: [certificateFacts({ ...c, revokedAt: null })], attempts: [], userStatus: 'active',
      }, now, policy);
      const state: MyCertificate['state'] = c.revokedAt ? 'revoked' : alone.status === 'certified' ? 'valid' : alone.status === 'expiring' ? 'expiring' : 'expired';
      return {
        serial: c.serial, courseCode: c.courseCode, title: c.courseTitle, titleEn: c.courseTitleEn, score: c.score,
        issuedOn: local(c.issuedAt), expiryDate: alone.expiryDate ?? local(c.expiresAt),
        daysLeft: state === 'valid' || state === 'expiring' ? alone.daysLeft : null,
        state, revokedOn: c.revokedAt ? local(c.revokedAt) : null, revokedReason: c.revokedReason,
      };
    });
  }

  private async cardOf(userId: number, e: Enrollment): Promise<HomeCourse> {
    const { certification, policy } = this.deps;
    const now = this.deps.now();
    const attempts = await certification.attemptsOfEnrollment(e.id);
    const certificates = await certification.certificatesFor(userId, e.course_id);
    const cycleStart = cycleStartOf(certificates);
    const exam = await this.examOf(userId, e.course_id, e.retakes_granted, cycleStart);
    const result = computeCertificationStatus({
      enrollment: { assignedAt: e.assigned_at, dueAt: e.due_at },
      certificates, attempts: attempts.map(attemptFacts),
      exam: exam && { attempts: exam.attempts }, userStatus: 'active',
    }, now, policy);
    // What this cycle did: a revocation or a new certificate wipes the slate (older attempts stay in the history).
    const cycleAttempts = attempts.filter((a) => a.started_at > (cycleStart ?? ''));
    const latest = attempts.at(-1) ?? null;
    const cycleLatest = cycleAttempts.at(-1) ?? null;
    const isCertified = result.status === 'certified' || result.status === 'expiring';
    const allowance = attemptAllowance({
      attemptsLimit: e.attempts_limit, retakesGranted: e.retakes_granted,
      attempts: attempts.map((a) => ({ startedAt: a.started_at, finishedAt: a.finished_at, triesCount: a.tries_count })),
      cycleStartedAt: cycleStart,
    });
    const isLocked = !isCertified && allowance.isLocked;
    const valid = isCertified ? result.certificate : null;
    const lapsed = result.status === 'expired' ? result.certificate : null;
    const local = (iso: string) => localDateOf(new Date(iso), policy.timeZone);
    return {
      code: e.code, title: e.title, titleEn: e.title_en, description: e.description, descriptionEn: e.description_en,
      isAssigned: e.source !== 'self', status: result.status,
      dueDate: isCertified ? null : result.dueDate, daysLeft: isCertified ? null : result.daysLeft,
      progress: cycleLatest ? await this.progressOf(cycleLatest) : null,
      score: valid ? (valid.score === null ? null : { value: valid.score, basis: 'certificate' })
        : exam ? (exam.last?.score != null ? { value: exam.last.score, basis: 'exam' } : null) : this.lessonsScore(e, cycleAttempts),
      certificate: valid ? { serial: valid.serial, issuedOn: local(valid.issuedAt), expiryDate: result.expiryDate ?? valid.expiresAt, daysLeft: result.daysLeft } : null,
      lapsed: lapsed ? { serial: lapsed.serial, expiryDate: result.expiryDate ?? lapsed.expiresAt } : null,
      revoked: isCertified ? null : revocationOf(certificates, local),
      renewalOpen: result.renewalOpen,
      canLaunch: e.course_status === 'published' && !isLocked, isLocked,
      launchKind: launchKind(result.status, result.renewalOpen, latest, cycleLatest),
      attempts: attempts.map((a) => ({
        number: a.number, startedOn: local(a.started_at), finishedOn: a.finished_at ? local(a.finished_at) : null,
        completionStatus: a.completion_status, successStatus: a.success_status, score: scorePercent(a.score_scaled),
      })).reverse(),
      isUrgent: URGENCY[result.status] <= 2,
      // Attempts matter while there is something to pass; a valid certificate needs none.
      lessons: allowance.allowed === null || isCertified ? null : { used: allowance.used, allowed: allowance.allowed, left: Math.max(0, allowance.allowed - allowance.used) },
      exam: exam && {
        used: exam.used, allowed: exam.allowed, left: exam.allowed === null ? null : Math.max(0, exam.allowed - exam.used), passMark: exam.passMark,
        last: exam.last && { attemptId: exam.last.id, score: exam.last.score, passed: exam.last.passed === true, submittedOn: local(exam.last.submittedAt!) },
        review: exam.newest && { attemptId: exam.newest.id, passed: exam.newest.passed === true },
      },
    };
  }

  /** The counted SCORM score of the cycle: the last finished attempt's or the best one, as the course says. */
  private lessonsScore(e: Enrollment, cycleAttempts: AttemptRecordRow[]): HomeCourse['score'] {
    const scored = cycleAttempts.filter((a) => a.finished_at !== null && a.score_scaled !== null).map((a) => ({ number: a.number, scoreScaled: a.score_scaled }));
    const counted = countedAttempt({ countedAttempt: e.counted_attempt }, scored);
    const value = counted ? scorePercent(counted.scoreScaled) : null;
    return value === null ? null : { value, basis: e.counted_attempt };
  }

  /** The course's enabled exam: its attempts (for the status rules), how many this cycle used, and the cycle's newest submitted paper. */
  private async examOf(userId: number, courseId: number, retakesGranted: number, cycleStart: string | null) {
    const exam = await this.deps.exams.findExam(courseId);
    if (!exam || !exam.isEnabled) return null;
    const attempts = await this.deps.exams.attemptsOf(userId, courseId);
    const inCycle = attempts.filter((a) => a.startedAt > (cycleStart ?? ''));
    // Newest by submission, then by id: papers submitted in the same millisecond keep their order.
    const isNewer = (a: ExamAttempt, b: ExamAttempt) => a.submittedAt! > b.submittedAt! || (a.submittedAt === b.submittedAt && a.id > b.id);
    const newestOf = (list: ExamAttempt[]) => list.filter((a) => a.submittedAt !== null)
      .reduce<ExamAttempt | null>((newest, a) => (newest === null || isNewer(a, newest) ? a : newest), null);
    return {
      attempts: attempts.map((a) => ({ startedAt: a.startedAt, submittedAt: a.submittedAt, passed: a.passed })),
      used: inCycle.length, allowed: exam.attemptsPerCycle === null ? null : exam.attemptsPerCycle + retakesGranted,
      passMark: exam.passMark, last: newestOf(inCycle), newest: newestOf(attempts),
    };
  }

  /** Share of the attempt's SCOs completed, in percent. */
  private async progressOf(attempt: AttemptRecordRow): Promise<number> {
    const scos = await this.deps.courses.listScos(attempt.version_id);
    if (scos.length === 0) return 0;
    const done = (await this.deps.runtime.listStates(attempt.id)).filter((s) => s.completionStatus === 'completed').length;
    return Math.round((done / scos.length) * 100);
  }
}

/** The revocation that began the current cycle, if the newest certificate event is one. */
function revocationOf(certificates: CertificateRecord[], local: (iso: string) => string): HomeCourse['revoked'] {
  let newest: CertificateRecord | null = null;
  let newestAt = '';
  for (const c of certificates) {
    const at = c.revokedAt ?? c.issuedAt;
    if (at > newestAt) { newest = c; newestAt = at; }
  }
  return newest?.revokedAt ? { on: local(newest.revokedAt), reason: newest.revokedReason } : null;
}

function launchKind(status: CertificationStatus, renewalOpen: boolean, latest: AttemptRecordRow | null, cycleLatest: AttemptRecordRow | null): HomeCourse['launchKind'] {
  if (latest && latest.finished_at === null) return 'resume';
  if (status === 'certified' || status === 'expiring') return renewalOpen ? 'renew' : 'review';
  if (status === 'expired') return 'renew';
  return cycleLatest ? 'retake' : 'start';
}

function certificateFacts(c: CertificateRecord) {
  return { serial: c.serial, issuedAt: c.issuedAt, expiresAt: c.expiresAt, revokedAt: c.revokedAt };
}

function attemptFacts(a: AttemptRecordRow) {
  return { startedAt: a.started_at, finishedAt: a.finished_at, completionStatus: a.completion_status, successStatus: a.success_status, score: a.score_scaled };
}
