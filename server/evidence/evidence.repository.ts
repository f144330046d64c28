/**
 * SQL for evidence files: one employee's enrollment in a course with its attempts, tries and
 * certificates, the audit events of each, and the people of a branch subtree enrolled in a course
 * (branch by branch, so a zip of a whole province never reads everyone at once).
 */
import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditPosition } from './evidence.types.js';

export interface EvidencePerson {
  userId: number; employeeNo: string | null; name: string; position: string | null; status: string;
  branchCode: string | null; branchName: string | null; branchPath: string | null;
}
export interface EvidenceCourse { id: number; code: string; title: string; validityMonths: number; passMark: number | null; attemptsLimit: number | null }
export interface EvidenceEnrollment { id: number; source: string; assignedAt: string; dueAt: string | null; assignmentId: number | null; retakesGranted: number }
export interface EvidenceAttemptRow {
  id: number; number: number; versionId: number; startedAt: string; finishedAt: string | null; completedAt: string | null;
  completionStatus: string; successStatus: string; scoreScaled: number | null; triesCount: number;
  totalSeconds: number; measuredSeconds: number; launchCount: number;
}
export interface EvidenceTryRow {
  id: number; attemptId: number; sco: string; tryNumber: number; recordedAt: string; completionStatus: string; successStatus: string;
  scoreRaw: number | null; scoreScaled: number | null; interactionsJson: string;
}
export interface EvidenceCertificateRow {
  serial: string; attemptId: number | null; score: number | null; issuedAt: string; expiresAt: string; revokedAt: string | null; revokedReason: string | null;
}
export interface EvidenceBranch { id: number; code: string; path: string }

export const PERSON = `SELECT u.id AS user_id, u.employee_no, u.name, u.position, u.status, b.code AS branch_code, b.name AS branch_name, b.path AS branch_path
  FROM users u LEFT JOIN branches b ON b.id = u.branch_id`;

export class EvidenceRepository {
  private readonly stmts;

  constructor(deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      personByNo: db.prepare(`${PERSON} WHERE u.employee_no = ?`),
      // A former code still names its course (course_code_aliases).
      course: db.prepare(`SELECT id, code, title, validity_months, pass_mark, attempts_limit FROM courses WHERE code = @code
        UNION ALL SELECT c.id, c.code, c.title, c.validity_months, c.pass_mark, c.attempts_limit FROM course_code_aliases a
        JOIN courses c ON c.id = a.course_id WHERE a.code = @code LIMIT 1`),
      enrollment: db.prepare('SELECT id, source, assigned_at, due_at, assignment_id, retakes_granted FROM enrollments WHERE user_id = ? AND course_id = ?'),
      attempts: db.prepare(`SELECT id, number, version_id, started_at, finished_at, completed_at, completion_status, success_status, score_scaled,
        tries_count, total_seconds, measured_seconds, launch_count FROM attempts WHERE enrollment_id = ? ORDER BY number`),
      tries: db.prepare(`SELECT t.id, t.attempt_id, s.identifier AS sco, t.try_number, t.recorded_at, t.completion_status, t.success_status,
        t.score_raw, t.score_scaled, t.interactions_json FROM attempt_tries t JOIN scos s ON s.id = t.sco_id
        WHERE t.attempt_id IN (SELECT value FROM json_each(?)) ORDER BY t.attempt_id, t.id`),
      certificates: db.prepare(`SELECT serial, attempt_id, score, issued_at, expires_at, revoked_at, revoked_reason FROM certificates
        WHERE user_id = ? AND course_id = ? ORDER BY issued_at`),
      auditOf: db.prepare(`SELECT id, at, action, subject, hash FROM audit_events WHERE subject IN (SELECT value FROM json_each(?)) ORDER BY id`),
      assignmentAudit: db.prepare(`SELECT id, at, action, hash FROM audit_events WHERE subject = ? AND action = 'assignment.create'
        AND json_extract(details_json, '$.assignmentId') = ? ORDER BY id`),
      auditHead: db.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1'),
      branchByCode: db.prepare('SELECT id, code, path FROM branches WHERE code = ?'),
      branchesAfter: db.prepare('SELECT id, code, path FROM branches WHERE path > @after AND path < @to ORDER BY path LIMIT @limit'),
      enrolledInBranch: db.prepare(`${PERSON} JOIN enrollments e ON e.user_id = u.id AND e.course_id = @courseId
        WHERE u.branch_id = @branchId AND u.id > @afterId ORDER BY u.id LIMIT @limit`),
    };
  }

  async findPersonByEmployeeNo(employeeNo: string): Promise<EvidencePerson | null> {
    const row = this.stmts.personByNo.get(employeeNo) as PersonRow | undefined;
    return row ? toPerson(row) : null;
  }

  async findCourse(code: string): Promise<EvidenceCourse | null> {
    const r = this.stmts.course.get({ code }) as { id: number; code: string; title: string; validity_months: number; pass_mark: number | null; attempts_limit: number | null } | undefined;
    return r ? { id: r.id, code: r.code, title: r.title, validityMonths: r.validity_months, passMark: r.pass_mark, attemptsLimit: r.attempts_limit } : null;
  }

  async findEnrollment(userId: number, courseId: number): Promise<EvidenceEnrollment | null> {
    const r = this.stmts.enrollment.get(userId, courseId) as { id: number; source: string; assigned_at: string; due_at: string | null; assignment_id: number | null; retakes_granted: number } | undefined;
    return r ? { id: r.id, source: r.source, assignedAt: r.assigned_at, dueAt: r.due_at, assignmentId: r.assignment_id, retakesGranted: r.retakes_granted } : null;
  }

  async listAttempts(enrollmentId: number): Promise<EvidenceAttemptRow[]> {
    return (this.stmts.attempts.all(enrollmentId) as Array<Record<string, unknown>>).map((r) => ({
      id: r.id as number, number: r.number as number, versionId: r.version_id as number, startedAt: r.started_at as string,
      finishedAt: r.finished_at as string | null, completedAt: r.completed_at as string | null, completionStatus: r.completion_status as string,
      successStatus: r.success_status as string, scoreScaled: r.score_scaled as number | null, triesCount: r.tries_count as number,
      totalSeconds: r.total_seconds as number, measuredSeconds: r.measured_seconds as number, launchCount: r.launch_count as number,
    }));
  }

  async listTries(attemptIds: readonly number[]): Promise<EvidenceTryRow[]> {
    if (attemptIds.length === 0) return [];
    return (this.stmts.tries.all(JSON.stringify(attemptIds)) as Array<Record<string, unknown>>).map((r) => ({
      id: r.id as number, attemptId: r.attempt_id as number, sco: r.sco as string, tryNumber: r.try_number as number, recordedAt: r.recorded_at as string,
      completionStatus: r.completion_status as string, successStatus: r.success_status as string, scoreRaw: r.score_raw as number | null,
      scoreScaled: r.score_scaled as number | null, interactionsJson: r.interactions_json as string,
    }));
  }

  async listCertificates(userId: number, courseId: number): Promise<EvidenceCertificateRow[]> {
    return (this.stmts.certificates.all(userId, courseId) as Array<Record<string, unknown>>).map((r) => ({
      serial: r.serial as string, attemptId: r.attempt_id as number | null, score: r.score as number | null, issuedAt: r.issued_at as string,
      expiresAt: r.expires_at as string, revokedAt: r.revoked_at as string | null, revokedReason: r.revoked_reason as string | null,
    }));
  }

  /** The audit events of the given subjects (e.g. `attempt:7`), grouped by subject, oldest first. */
  async auditOf(subjects: readonly string[]): Promise<Map<string, AuditPosition[]>> {
    const out = new Map<string, AuditPosition[]>();
    if (subjects.length === 0) return out;
    for (const r of this.stmts.auditOf.all(JSON.stringify(subjects)) as Array<AuditPosition & { subject: string }>) {
      const list = out.get(r.subject) ?? [];
      list.push({ id: r.id, at: r.at, action: r.action, hash: r.hash });
      out.set(r.subject, list);
    }
    return out;
  }

  /** The assignment's creation in the audit chain (logged against its course). */
  async assignmentAudit(courseId: number, assignmentId: number): Promise<AuditPosition[]> {
    return this.stmts.assignmentAudit.all(`course:${courseId}`, assignmentId) as AuditPosition[];
  }

  async auditHead(): Promise<{ id: number; hash: string } | null> {
    return (this.stmts.auditHead.get() as { id: number; hash: string } | undefined) ?? null;
  }

  async findBranch(code: string): Promise<EvidenceBranch | null> {
    return (this.stmts.branchByCode.get(code) as EvidenceBranch | undefined) ?? null;
  }

  /** Branches of a subtree after `afterPath`, in path order ('' starts at the subtree's root). */
  async listBranchesAfter(range: { from: string; to: string }, afterPath: string, limit: number): Promise<EvidenceBranch[]> {
    // The root itself sorts first: start just before it.
    const after = afterPath === '' ? range.from.slice(0, -1) : afterPath;
    return this.stmts.branchesAfter.all({ after, to: range.to, limit }) as EvidenceBranch[];
  }

  /** People placed in a branch now and enrolled in the course, by user id after `afterId`. */
  async listEnrolledInBranch(branchId: number, courseId: number, afterId: number, limit: number): Promise<EvidencePerson[]> {
    return (this.stmts.enrolledInBranch.all({ branchId, courseId, afterId, limit }) as PersonRow[]).map(toPerson);
  }
}

export interface PersonRow {
  user_id: number; employee_no: string | null; name: string; position: string | null; status: string;
  branch_code: string | null; branch_name: string | null; branch_path: string | null;
}

export function toPerson(r: PersonRow): EvidencePerson {
  return {
    userId: r.user_id, employeeNo: r.employee_no, name: r.name, position: r.position, status: r.status,
    branchCode: r.branch_code, branchName: r.branch_name, branchPath: r.branch_path,
  };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type EvidenceStore = PublicOf<EvidenceRepository>;
