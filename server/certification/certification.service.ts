import type { Logger } from '../logger.js';
import type { Principal } from '../auth/principal.js';
import { canSeeBranch, hasRole, reportingScopes } from '../auth/principal.js';
import type { BranchesStore } from '../org/branches.repository.js';
import type { CoursesStore, Course } from '../courses/courses.repository.js';
import type { RuntimeStore, Attempt } from '../scorm/runtime.repository.js';
import { ValidationError, ForbiddenError, NotFoundError } from '../errors.js';
import type { Assignment, AssignmentChange, AssignmentRule, CertificateRecord, CertificationStore } from './certification.repository.js';
import type { AssignmentInput } from './assignments.schemas.js';
import { dueDateFor } from './due-dates.js';
import { cycleStartOf } from './attempt-allowance.js';
import { attemptPasses } from './pass-rules.js';
import { newCertificateSerial } from './serial.js';
import { addMonths, endOfLocalDay, localDateOf } from './calendar.js';
import { renewalWindowStart, type CertificationPolicy } from './status-rules.js';
import { scorePercent } from './score.js';

/**
 * What certification needs to know about a course's exam (server/exams implements it): whether
 * the exam decides the pass, whether lessons must be complete too, and the cycle's passing attempt.
 */
export interface ExamGate {
  findExam(courseId: number): Promise<{ requiresLessons: boolean; isEnabled: boolean } | null>;
  passedSince(userId: number, courseId: number, cycleStart: string | null): Promise<{ id: number; score: number | null; startedAt: string; submittedAt: string | null } | null>;
  uncertifiedPasses(sinceIso: string): Promise<Array<{ id: number; userId: number; courseId: number; score: number | null; startedAt: string; submittedAt: string | null; passed: boolean | null }>>;
}

export type CertificateDecision = 'issued' | 'not_passed' | 'already_issued' | 'still_certified';

/**
 * Turns attempts into certificates and assignments into enrollments (DESIGN §5): who must take a
 * course by when, when a pass earns a certificate, and which attempts count against the limit.
 */
export class CertificationService {
  constructor(private readonly deps: {
    certification: CertificationStore; courses: CoursesStore; runtime: RuntimeStore; branches: BranchesStore;
    policy: CertificationPolicy; now: () => Date; logger: Logger;
    /** Courses with an exam: the exam pass (and, if required, complete lessons) earns the certificate. */
    exams?: ExamGate;
  }) {}

  /** Trainers assign anywhere; hr only inside their branch subtrees (outside looks like no branch). */
  async createAssignment(actor: Principal, input: AssignmentInput): Promise<{ assignment: Assignment; enrolled: number; course: Course }> {
    const { courses, branches, certification, policy } = this.deps;
    const course = await courses.findByCode(input.course);
    if (!course) throw new ValidationError('No such course', [{ code: 'COURSE_UNKNOWN', message: `No course with code ${input.course}`, path: 'course' }]);
    if (course.status !== 'published') {
      throw new ValidationError('Only published courses can be assigned', [{ code: 'COURSE_NOT_PUBLISHED', message: `Course ${course.code} is ${course.status}`, path: 'course' }]);
    }
    let branchId: number | null = null;
    if (input.branch !== null) {
      const branch = await branches.findByCode(input.branch);
      if (!branch || (!hasRole(actor, 'trainer') && !canSeeBranch(actor, branch.path))) {
        throw new ValidationError('No such branch', [{ code: 'BRANCH_UNKNOWN', message: `No branch with code ${input.branch}`, path: 'branch' }]);
      }
      branchId = branch.id;
    } else if (!hasRole(actor, 'admin', 'trainer') && reportingScopes(actor) !== null) {
      throw new ForbiddenError('Assign to a branch inside your scope');
    }
    const rule = { dueDate: input.dueDate, dueDays: input.dueDays, dueBasis: input.dueBasis };
    const enrolledAt = this.deps.now();
    const { assignment, enrolled } = await certification.createAssignment({
      courseId: course.id, branchId, includeSubBranches: input.includeSubBranches, positions: input.positions, ...rule, createdBy: actor.id,
    }, (user) => dueDateFor(rule, user.hiredAt, enrolledAt, policy.timeZone));
    return { assignment, enrolled, course };
  }

  /**
   * An edit or a removal (input null) of an existing assignment: counts only unless `apply`. Hr
   * may change only assignments inside their scope, and keep them there; trainers any.
   */
  async changeAssignment(actor: Principal, id: number, input: AssignmentInput | null, apply: boolean): Promise<{ assignment: Assignment; change: AssignmentChange }> {
    const { branches, certification, policy } = this.deps;
    const assignment = await certification.findAssignment(id);
    if (!assignment || !(await this.mayManage(actor, assignment.branchId))) throw new NotFoundError('Assignment not found');
    let rule: AssignmentRule | null = null;
    if (input) {
      let branchId: number | null = null;
      if (input.branch !== null) {
        const branch = await branches.findByCode(input.branch);
        if (!branch || !(await this.mayManage(actor, branch.id))) {
          throw new ValidationError('No such branch', [{ code: 'BRANCH_UNKNOWN', message: `No branch with code ${input.branch}`, path: 'branch' }]);
        }
        branchId = branch.id;
      } else if (!(await this.mayManage(actor, null))) {
        throw new ForbiddenError('Assign to a branch inside your scope');
      }
      rule = { branchId, includeSubBranches: input.includeSubBranches, positions: input.positions, dueDate: input.dueDate, dueDays: input.dueDays, dueBasis: input.dueBasis };
    }
    const now = this.deps.now();
    const dueRule = rule ?? assignment;
    const change = await certification.changeAssignment(id, rule,
      (user) => dueDateFor(dueRule, user.hiredAt, user.enrolledAt ? new Date(user.enrolledAt) : now, policy.timeZone), { apply, actorId: actor.id });
    return { assignment, change };
  }

  /** Trainers and admin manage every assignment; hr those whose branch is inside their scope (whole-bank ones only with a whole-bank scope). */
  private async mayManage(actor: Principal, branchId: number | null): Promise<boolean> {
    if (hasRole(actor, 'admin', 'trainer') || reportingScopes(actor) === null) return true;
    if (branchId === null) return false;
    const branch = await this.deps.branches.findById(branchId);
    return branch !== null && canSeeBranch(actor, branch.path);
  }

  /** New hires and transfers into covered branches: one user after an edit, everyone after an import. */
  async syncEnrollments(userId: number | null = null): Promise<number> {
    const enrolledAt = this.deps.now();
    const enrolled = await this.deps.certification.syncEnrollments((assignment, user) => dueDateFor(assignment, user.hiredAt, enrolledAt, this.deps.policy.timeZone), userId);
    if (enrolled > 0) this.deps.logger.info({ enrolled, userId }, '[certification] enrolled users newly covered by assignments');
    return enrolled;
  }

  /**
   * After every applied commit. Cheap unless the attempt is complete; then a passing attempt earns
   * a certificate unless a valid one exists outside its renewal window (a renewal pass issues the
   * next one, dated from this completion). `now` is when that is decided: the present, or the
   * attempt's completion when the reconcile decides later.
   */
  async onAttemptApplied(userId: number, courseId: number, attempt: Attempt, now: Date = this.deps.now()): Promise<CertificateDecision> {
    if (attempt.completionStatus !== 'completed') return 'not_passed';
    const { courses } = this.deps;
    const course = (await courses.findById(courseId))!;
    const exam = await this.activeExam(courseId);
    if (exam) {
      // With an exam, lessons alone never pass: they complete the pair when the exam is already passed.
      if (!exam.requiresLessons) return 'not_passed';
      const cycleStart = await this.cycleStartedAt(userId, courseId);
      if (attempt.startedAt <= (cycleStart ?? '')) return 'not_passed';
      const passed = await this.deps.exams!.passedSince(userId, courseId, cycleStart);
      if (!passed) return 'not_passed';
      return this.issue(userId, course, { attemptId: attempt.id, examAttemptId: passed.id, score: passed.score }, now);
    }
    const scos = course.completionRule === 'all_scos' ? await this.scoFacts(attempt) : [];
    if (!attemptPasses(course, attempt, scos)) return 'not_passed';
    return this.issue(userId, course, { attemptId: attempt.id, examAttemptId: null, score: scorePercent(attempt.scoreScaled) }, now);
  }

  /**
   * After a passing exam submission (server-graded). It counts for the current cycle only; when
   * the course wants the lessons complete too and they are not, the certificate waits for them.
   */
  async onExamPassed(exam: { id: number; userId: number; courseId: number; score: number | null; startedAt: string }, now: Date = this.deps.now()): Promise<CertificateDecision> {
    const settings = await this.activeExam(exam.courseId);
    if (!settings) return 'not_passed';
    const cycleStart = await this.cycleStartedAt(exam.userId, exam.courseId);
    if (exam.startedAt <= (cycleStart ?? '')) return 'not_passed';
    let attemptId: number | null = null;
    if (settings.requiresLessons) {
      const lessons = await this.completedLessonAttempt(exam.userId, exam.courseId, cycleStart);
      if (!lessons) return 'not_passed';
      attemptId = lessons.id;
    }
    const course = (await this.deps.courses.findById(exam.courseId))!;
    return this.issue(exam.userId, course, { attemptId, examAttemptId: exam.id, score: exam.score }, now);
  }

  /** The SCORM lessons are complete in this cycle (an attempt started after it began has completed). */
  async lessonsComplete(userId: number, courseId: number, cycleStart: string | null): Promise<boolean> {
    return (await this.completedLessonAttempt(userId, courseId, cycleStart)) !== null;
  }

  /** False while a valid certificate is held outside its renewal window (a pass would earn nothing). */
  async mayEarnCertificate(userId: number, courseId: number): Promise<boolean> {
    const now = this.deps.now();
    const current = currentCertificate(await this.deps.certification.certificatesFor(userId, courseId), now, this.deps.policy.timeZone);
    return !current || now >= renewalWindowStart(current.expiresAt, this.deps.policy);
  }

  private async activeExam(courseId: number) {
    const exam = await this.deps.exams?.findExam(courseId);
    return exam && exam.isEnabled ? exam : null;
  }

  private async completedLessonAttempt(userId: number, courseId: number, cycleStart: string | null): Promise<Attempt | null> {
    const enrollment = await this.deps.runtime.findEnrollment(userId, courseId);
    if (!enrollment) return null;
    const attempts = await this.deps.runtime.listAttempts(enrollment.id);
    return attempts.filter((a) => a.completionStatus === 'completed' && a.startedAt > (cycleStart ?? '')).at(-1) ?? null;
  }

  /**
   * Issues the certificate for a pass unless this attempt already has one or a valid one exists
   * outside its renewal window (a renewal pass issues the next one, dated from `now`).
   */
  private async issue(userId: number, course: Course, source: { attemptId: number | null; examAttemptId: number | null; score: number | null }, now: Date): Promise<CertificateDecision> {
    const { certification, policy } = this.deps;
    if (source.attemptId !== null && source.examAttemptId === null && await certification.hasCertificateForAttempt(source.attemptId)) return 'already_issued';
    if (source.examAttemptId !== null && await certification.hasCertificateForExamAttempt(source.examAttemptId)) return 'already_issued';
    const current = currentCertificate(await certification.certificatesFor(userId, course.id), now, policy.timeZone);
    if (current && now < renewalWindowStart(current.expiresAt, policy)) return 'still_certified';
    const expiresAt = localDateOf(addMonths(now, course.validityMonths, policy.timeZone), policy.timeZone);
    await certification.issueCertificate({
      serial: newCertificateSerial(), userId, courseId: course.id, attemptId: source.attemptId, examAttemptId: source.examAttemptId,
      score: source.score, issuedAt: now.toISOString(), expiresAt,
    });
    this.deps.logger.info({ userId, courseId: course.id, ...source, expiresAt }, '[certification] certificate issued');
    return 'issued';
  }

  /**
   * Decides again on attempts completed in the last `days` that hold no certificate: a commit
   * whose certificate could not be issued (the commit itself was stored) gets it here, dated from
   * the attempt's completion as it would have been. Attempts that rightly earned none are decided
   * the same way again. Run daily before the reminders; returns how many certificates it issued.
   */
  async reconcileCertificates(days = 7): Promise<number> {
    const { certification, runtime, now, logger } = this.deps;
    const since = new Date(now().getTime() - days * 86_400_000).toISOString();
    let issued = 0;
    for (const { userId, courseId, attemptId } of await certification.uncertifiedCompletions(since)) {
      const attempt = (await runtime.findAttempt(attemptId))!;
      if ((await this.onAttemptApplied(userId, courseId, attempt, new Date(attempt.completedAt!))) === 'issued') issued += 1;
    }
    // Exam passes whose certificate could not be issued at submission, likewise dated from it.
    for (const exam of (await this.deps.exams?.uncertifiedPasses(since)) ?? []) {
      if ((await this.onExamPassed(exam, new Date(exam.submittedAt!))) === 'issued') issued += 1;
    }
    if (issued > 0) logger.warn({ issued }, '[certification] issued certificates missed when their attempts completed');
    return issued;
  }

  /**
   * Attempts count against the limit per certification cycle: the cycle starts at the newest
   * certificate (a renewal gets the full allowance again) or at a revocation.
   */
  async cycleStartedAt(userId: number, courseId: number): Promise<string | null> {
    return cycleStartOf(await this.deps.certification.certificatesFor(userId, courseId));
  }

  async grantRetake(actor: Principal, enrollmentId: number, reason: string): Promise<void> {
    await this.deps.certification.grantRetake(enrollmentId, actor.id, reason);
  }

  private async scoFacts(attempt: Attempt) {
    const scos = await this.deps.courses.listScos(attempt.versionId);
    const states = new Map((await this.deps.runtime.listStates(attempt.id)).map((s) => [s.scoId, s]));
    return scos.map((s) => ({
      judgesSuccess: s.masteryScore !== null || s.scaledPassingScore !== null,
      completionStatus: states.get(s.id)?.completionStatus ?? null,
      successStatus: states.get(s.id)?.successStatus ?? null,
    }));
  }
}

/** The newest certificate still valid now (not revoked, before the end of its local expiry day). */
export function currentCertificate(certificates: readonly CertificateRecord[], now: Date, timeZone: string): CertificateRecord | null {
  const valid = certificates.filter((c) => c.revokedAt === null && now <= endOfLocalDay(c.expiresAt, timeZone) && c.issuedAt <= now.toISOString());
  return valid.length === 0 ? null : valid.reduce((a, b) => (b.issuedAt > a.issuedAt ? b : a));
}
