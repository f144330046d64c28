import type { CertificationStore, CertificateRecord, AttemptRecordRow } from '../certification/certification.repository.js';
import type { CoursesStore } from '../courses/courses.repository.js';
import type { RuntimeStore } from '../scorm/runtime.repository.js';
import type { ExamsStore } from '../exams/exams.repository.js';
import { computeCertificationStatus, type CertificationPolicy, type CertificationStatus } from '../certification/status-rules.js';
import { localDateOf } from '../certification/calendar.js';
import { countedAttempt } from '../certification/pass-rules.js';
import { attemptAllowance, cycleStartOf } from '../certification/attempt-allowance.js';
import { scorePercent } from '../certification/score.js';

export interface HomeAttempt { number: number; startedOn: string; finishedOn: string | null; completionStatus: string; successStatus: string; score: number | null }

export interface HomeCourse {
  code: string; title: string; description: string; isAssigned: boolean; status: CertificationStatus;
  dueDate: string | null; daysLeft: number | null; progress: number | null; lastScore: number | null;
  certificate: { serial: string; expiryDate: string } | null; renewalOpen: boolean; canLaunch: boolean; isLocked: boolean;
  launchKind: 'start' | 'resume' | 'retake' | 'renew' | 'review'; attempts: HomeAttempt[]; isUrgent: boolean;
  /** The course's enabled exam: attempts used in this cycle, allowed (null: unlimited) and left. */
  exam: { used: number; allowed: number | null; left: number | null } | null;
}

// Most urgent first: a missed deadline, a lapsed or lapsing certificate, work still to do, done.
const URGENCY: Record<CertificationStatus, number> = { overdue: 0, expired: 1, expiring: 2, failed: 3, in_progress: 3, not_started: 3, certified: 4 };

/** The employee's own page: every enrolled course with its status, deadline, progress and history. */
export class EmployeeHomeService {
  constructor(private readonly deps: {
    certification: CertificationStore; courses: CoursesStore; runtime: RuntimeStore;
    exams: ExamsStore; policy: CertificationPolicy; now: () => Date;
  }) {}

  async coursesOf(userId: number): Promise<HomeCourse[]> {
    const { certification, policy } = this.deps;
    const now = this.deps.now();
    const courses: HomeCourse[] = [];
    for (const e of await certification.enrollmentsOfUser(userId)) {
      if (e.course_status === 'draft') continue;
      const attempts = await certification.attemptsOfEnrollment(e.id);
      const certificates = await certification.certificatesFor(userId, e.course_id);
      const exam = await this.examOf(userId, e.course_id, e.retakes_granted, cycleStartOf(certificates));
      const result = computeCertificationStatus({
        enrollment: { assignedAt: e.assigned_at, dueAt: e.due_at },
        certificates: certificates.map(certificateFacts), attempts: attempts.map(attemptFacts),
        exam: exam && { attempts: exam.attempts }, userStatus: 'active',
      }, now, policy);
      const latest = attempts.at(-1) ?? null;
      const isCertified = result.status === 'certified' || result.status === 'expiring';
      const isLocked = !isCertified && attemptAllowance({
        attemptsLimit: e.attempts_limit, retakesGranted: e.retakes_granted,
        attempts: attempts.map((a) => ({ startedAt: a.started_at, finishedAt: a.finished_at, triesCount: a.tries_count })),
        cycleStartedAt: cycleStartOf(certificates),
      }).isLocked;
      const valid = isCertified ? result.certificate : null;
      // The score shown is the one the course counts: the last finished attempt's or the best one.
      const scored = attempts.filter((a) => a.finished_at !== null && a.score_scaled !== null).map((a) => ({ number: a.number, scoreScaled: a.score_scaled }));
      const counted = countedAttempt({ countedAttempt: e.counted_attempt }, scored);
      courses.push({
        code: e.code, title: e.title, description: e.description, isAssigned: e.source !== 'self', status: result.status,
        dueDate: result.dueDate, daysLeft: result.daysLeft, progress: latest ? await this.progressOf(latest) : null,
        lastScore: counted ? scorePercent(counted.scoreScaled) : null,
        certificate: valid ? { serial: valid.serial, expiryDate: valid.expiresAt } : null, renewalOpen: result.renewalOpen,
        canLaunch: e.course_status === 'published' && !isLocked, isLocked,
        launchKind: launchKind(result.status, result.renewalOpen, latest),
        attempts: attempts.map((a) => ({
          number: a.number, startedOn: localDateOf(new Date(a.started_at), policy.timeZone),
          finishedOn: a.finished_at ? localDateOf(new Date(a.finished_at), policy.timeZone) : null,
          completionStatus: a.completion_status, successStatus: a.success_status, score: scorePercent(a.score_scaled),
        })).reverse(),
        isUrgent: URGENCY[result.status] <= 2,
        exam: exam && { used: exam.used, allowed: exam.allowed, left: exam.allowed === null ? null : Math.max(0, exam.allowed - exam.used) },
      });
    }
    return courses.sort((a, b) => URGENCY[a.status] - URGENCY[b.status] || (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || a.code.localeCompare(b.code));
  }

  /** The course's enabled exam: its attempts (for the status rules) and how many this cycle used, as the exam counts them. */
  private async examOf(userId: number, courseId: number, retakesGranted: number, cycleStart: string | null) {
    const exam = await this.deps.exams.findExam(courseId);
    if (!exam || !exam.isEnabled) return null;
    const attempts = await this.deps.exams.attemptsOf(userId, courseId);
    const used = attempts.filter((a) => a.startedAt > (cycleStart ?? '')).length;
    return {
      attempts: attempts.map((a) => ({ startedAt: a.startedAt, submittedAt: a.submittedAt, passed: a.passed })),
      used, allowed: exam.attemptsPerCycle === null ? null : exam.attemptsPerCycle + retakesGranted,
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

function launchKind(status: CertificationStatus, renewalOpen: boolean, latest: AttemptRecordRow | null): HomeCourse['launchKind'] {
  if (latest && latest.finished_at === null) return 'resume';
  if (status === 'certified' || status === 'expiring') return renewalOpen ? 'renew' : 'review';
  if (status === 'expired') return 'renew';
  return latest ? 'retake' : 'start';
}

function certificateFacts(c: CertificateRecord) {
  return { serial: c.serial, issuedAt: c.issuedAt, expiresAt: c.expiresAt, revokedAt: c.revokedAt };
}

function attemptFacts(a: AttemptRecordRow) {
  return { startedAt: a.started_at, finishedAt: a.finished_at, completionStatus: a.completion_status, successStatus: a.success_status, score: a.score_scaled };
}
