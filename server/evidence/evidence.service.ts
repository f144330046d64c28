/**
 * Evidence files for auditors: per employee and course, everything behind the certification
 * status (assignment, attempts and every try with times, learning time as reported and as
 * measured, certificates, exam papers) with the audit-chain position of each record; per branch
 * subtree, the same files for everyone enrolled, produced one person at a time.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Principal } from '../auth/principal.js';
import { canSeeBranch, reportingScopes } from '../auth/principal.js';
import type { AuditStore } from '../audit/audit.repository.js';
import type { CertificationPolicy } from '../certification/status-rules.js';
import { scorePercent } from '../certification/score.js';
import { NotFoundError } from '../errors.js';
import { resolveAsOf } from '../reports/as-of.js';
import { statusOfEnrollment } from '../reports/enrollment-status.js';
import { groupFactsByEnrollment, type ReportsStore } from '../reports/reports.repository.js';
import { IDLE_CUT_SECONDS } from '../scorm/learning-time.js';
import { subtreeRange } from '../shared/branch-path.js';
import type { ExamEvidenceSource } from './exam-evidence.js';
import type { EvidenceCourse, EvidencePerson, EvidenceStore } from './evidence.repository.js';
import { EVIDENCE_FORMAT, type EvidenceAttempt, type EvidenceRecord } from './evidence.types.js';

/** Branches read per query, and people per branch page, while walking a subtree. */
const BRANCHES_PER_READ = 200;
const PEOPLE_PER_READ = 100;

export class EvidenceService {
  constructor(private readonly deps: {
    evidence: EvidenceStore; reports: ReportsStore; audit: AuditStore; exams: ExamEvidenceSource;
    policy: CertificationPolicy; now: () => Date;
  }) {}

  /** The evidence of one employee in one course; 404 outside the caller's scope (as if it did not exist). */
  async forEmployee(actor: Principal, employeeNo: string, courseCode: string): Promise<EvidenceRecord> {
    const person = await this.deps.evidence.findPersonByEmployeeNo(employeeNo);
    if (!person || !this.canSee(actor, person)) throw new NotFoundError('No such employee in your branches');
    const course = await this.findCourse(courseCode);
    const record = await this.build(actor, person, course);
    NotFoundError.assertFound(record, 'This employee has no record in this course');
    return record;
  }

  /** Records that the caller took an evidence file (one audit event per file or per zip). */
  async auditExport(actor: Principal, subject: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit.append({ actorId: actor.id, action: 'evidence.export', subject, details });
  }

  /** A branch in the caller's scope and a course, checked before a zip's first byte. */
  async prepareBranch(actor: Principal, branchCode: string, courseCode: string) {
    const branch = await this.deps.evidence.findBranch(branchCode);
    if (!branch || !canSeeBranch(actor, branch.path)) throw new NotFoundError('Branch not found');
    return { branch, course: await this.findCourse(courseCode) };
  }

  /**
   * Everyone placed in the subtree and enrolled in the course, branch by branch in path order and
   * by user id within a branch, yielding to the event loop between people. `each` is awaited (the
   * zip writer waits there until the person's files have left), so memory stays flat.
   */
  async forEachInBranch(actor: Principal, branchPath: string, course: EvidenceCourse, each: (record: EvidenceRecord) => Promise<void>, isStopped: () => boolean): Promise<number> {
    const range = subtreeRange(branchPath);
    let people = 0;
    for (let afterPath = ''; ;) {
      const branches = await this.deps.evidence.listBranchesAfter(range, afterPath, BRANCHES_PER_READ);
      if (branches.length === 0) return people;
      for (const branch of branches) {
        for (let afterId = 0; ;) {
          const page = await this.deps.evidence.listEnrolledInBranch(branch.id, course.id, afterId, PEOPLE_PER_READ);
          for (const person of page) {
            if (isStopped()) return people;
            const record = await this.build(actor, person, course);
            if (record) {
              await each(record);
              people += 1;
            }
            await nextTurn();
          }
          if (page.length < PEOPLE_PER_READ) break;
          afterId = page.at(-1)!.userId;
        }
      }
      afterPath = branches.at(-1)!.path;
    }
  }

  private async findCourse(code: string): Promise<EvidenceCourse> {
    const course = await this.deps.evidence.findCourse(code);
    NotFoundError.assertFound(course, 'Course not found');
    return course;
  }

  private canSee(actor: Principal, person: EvidencePerson): boolean {
    if (reportingScopes(actor) === null) return true;
    return person.branchPath !== null && canSeeBranch(actor, person.branchPath);
  }

  private async build(actor: Principal, person: EvidencePerson, course: EvidenceCourse): Promise<EvidenceRecord | null> {
    const { evidence, reports, exams, policy } = this.deps;
    const enrollment = await evidence.findEnrollment(person.userId, course.id);
    if (!enrollment) return null;
    const now = this.deps.now();
    const asOf = resolveAsOf(null, now, policy.timeZone);
    const facts = groupFactsByEnrollment(await reports.listFactsOfUsers([person.userId], asOf, course.id)).get(enrollment.id);
    const status = facts ? statusOfEnrollment(facts, person.status === 'left', asOf.end, policy) : null;
    const attempts = await evidence.listAttempts(enrollment.id);
    const tries = await evidence.listTries(attempts.map((a) => a.id));
    const certificates = await evidence.listCertificates(person.userId, course.id);
    const audit = await evidence.auditOf([
      `enrollment:${enrollment.id}`, ...attempts.map((a) => `attempt:${a.id}`), ...tries.map((t) => `attempt-try:${t.id}`),
      ...certificates.map((c) => `certificate:${c.serial}`),
    ]);
    const assignmentAudit = enrollment.assignmentId === null ? [] : await evidence.assignmentAudit(course.id, enrollment.assignmentId);
    const attemptViews: EvidenceAttempt[] = attempts.map((a) => ({
      id: a.id, number: a.number, versionId: a.versionId, startedAt: a.startedAt, finishedAt: a.finishedAt, completedAt: a.completedAt,
      completionStatus: a.completionStatus, successStatus: a.successStatus, score: scorePercent(a.scoreScaled), triesCount: a.triesCount,
      learningTime: { scormSeconds: Math.round(a.totalSeconds), measuredSeconds: Math.round(a.measuredSeconds), launches: a.launchCount, idleCutSeconds: IDLE_CUT_SECONDS },
      tries: tries.filter((t) => t.attemptId === a.id).map((t) => ({
        id: t.id, sco: t.sco, tryNumber: t.tryNumber, recordedAt: t.recordedAt, completionStatus: t.completionStatus, successStatus: t.successStatus,
        scoreRaw: t.scoreRaw, score: scorePercent(t.scoreScaled), interactions: JSON.parse(t.interactionsJson) as EvidenceAttempt['tries'][number]['interactions'],
        audit: audit.get(`attempt-try:${t.id}`) ?? [],
      })),
      audit: audit.get(`attempt:${a.id}`) ?? [],
    }));
    const sum = (pick: (a: EvidenceAttempt) => number) => attemptViews.reduce((s, a) => s + pick(a), 0);
    return {
      format: EVIDENCE_FORMAT,
      generatedAt: now.toISOString(),
      generatedBy: { id: actor.id, name: actor.name },
      employee: { userId: person.userId, employeeNo: person.employeeNo, name: person.name, position: person.position, status: person.status, branchCode: person.branchCode, branchName: person.branchName },
      course: { code: course.code, title: course.title, validityMonths: course.validityMonths, passMark: course.passMark, attemptsLimit: course.attemptsLimit },
      status: status ? { status: status.status, asOf: asOf.date, dueDate: status.dueDate, expiryDate: status.expiryDate } : null,
      assignment: {
        enrollmentId: enrollment.id, source: enrollment.source, assignedAt: enrollment.assignedAt, dueAt: enrollment.dueAt,
        assignmentId: enrollment.assignmentId, retakesGranted: enrollment.retakesGranted,
        audit: [...assignmentAudit, ...(audit.get(`enrollment:${enrollment.id}`) ?? [])],
      },
      attempts: attemptViews,
      learningTime: {
        scormSeconds: sum((a) => a.learningTime.scormSeconds), measuredSeconds: sum((a) => a.learningTime.measuredSeconds),
        launches: sum((a) => a.learningTime.launches), idleCutSeconds: IDLE_CUT_SECONDS,
      },
      certificates: certificates.map((c) => ({ ...c, audit: audit.get(`certificate:${c.serial}`) ?? [] })),
      exam: { attempts: await exams.listExamAttempts(person.userId, course.id) },
      auditHead: await evidence.auditHead(),
    };
  }
}
