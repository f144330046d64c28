import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { subtreeRange } from '../shared/branch-path.js';
import { translateSqliteError } from '../db/sqlite-errors.js';

export interface Assignment {
  id: number; courseId: number; branchId: number | null; includeSubBranches: boolean; positions: string[];
  dueDate: string | null; dueDays: number | null; dueBasis: 'assignment' | 'hire'; createdBy: number | null; createdAt: string;
}

export interface CertificateRecord {
  id: number; serial: string; userId: number; courseId: number; attemptId: number | null; score: number | null;
  /** The exam attempt whose pass earned it (courses with an exam), else null. */
  examAttemptId?: number | null;
  issuedAt: string; expiresAt: string; revokedAt: string | null; revokedReason: string | null;
}

export interface CertificateView extends CertificateRecord {
  userName: string; employeeNo: string | null; branchName: string | null; courseCode: string; courseTitle: string;
}

export interface AssignmentListing extends Assignment {
  courseCode: string; courseTitle: string; branchCode: string | null; branchName: string | null; branchPath: string | null; enrolled: number;
}

/** A learner that an assignment covers, with what is needed to compute the due date. */
export interface CoveredUser { userId: number; hiredAt: string | null }

export interface AssignmentRow {
  id: number; course_id: number; branch_id: number | null; include_sub_branches: number; positions_json: string; due_date: string | null;
  due_days: number | null; due_basis: 'assignment' | 'hire'; created_by: number | null; created_at: string;
}
export interface CertificateRow {
  id: number; serial: string; user_id: number; course_id: number; attempt_id: number | null; score: number | null; issued_at: string;
  expires_at: string; revoked_at: string | null; revoked_reason: string | null;
}

export const CERT_VIEW = `SELECT c.*, u.name AS user_name, u.employee_no, b.name AS branch_name, co.code AS course_code, co.title AS course_title
  FROM certificates c JOIN users u ON u.id = c.user_id LEFT JOIN branches b ON b.id = u.branch_id JOIN courses co ON co.id = c.course_id`;

export class CertificationRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date }) {
    const { db } = deps;
    this.stmts = {
      insertAssignment: db.prepare(`INSERT INTO assignments (course_id, branch_id, include_sub_branches, positions_json, due_date, due_days, due_basis, created_by, created_at)
        VALUES (@courseId, @branchId, @includeSubBranches, @positionsJson, @dueDate, @dueDays, @dueBasis, @createdBy, @now)`),
      assignments: db.prepare('SELECT * FROM assignments ORDER BY id'),
      assignmentById: db.prepare('SELECT * FROM assignments WHERE id = ?'),
      assignmentList: db.prepare(`SELECT a.*, c.code AS course_code, c.title AS course_title, b.code AS branch_code, b.name AS branch_name, b.path AS branch_path,
        (SELECT COUNT(*) FROM enrollments e WHERE e.assignment_id = a.id) AS enrolled
        FROM assignments a JOIN courses c ON c.id = a.course_id LEFT JOIN branches b ON b.id = a.branch_id ORDER BY a.id DESC LIMIT 500`),
      branchPath: db.prepare('SELECT path FROM branches WHERE id = ?'),
      coveredUsers: db.prepare(`SELECT u.id AS user_id, u.hired_at, u.position FROM users u JOIN branches b ON b.id = u.branch_id
        WHERE u.status = 'active' AND (@all = 1 OR (b.path >= @from AND b.path < @to AND (@sub = 1 OR b.path = @from)))
        AND (@userId IS NULL OR u.id = @userId)
        AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.course_id = @courseId AND e.source <> 'self')`),
      enroll: db.prepare(`INSERT INTO enrollments (user_id, course_id, assignment_id, due_at, assigned_at, source)
        VALUES (@userId, @courseId, @assignmentId, @dueAt, @now, 'assignment')
        ON CONFLICT (user_id, course_id) DO UPDATE SET source = 'assignment', assignment_id = excluded.assignment_id,
          due_at = excluded.due_at, assigned_at = excluded.assigned_at WHERE enrollments.source = 'self'`),
      insertCertificate: db.prepare(`INSERT INTO certificates (serial, user_id, course_id, attempt_id, exam_attempt_id, score, issued_at, expires_at)
        VALUES (@serial, @userId, @courseId, @attemptId, @examAttemptId, @score, @issuedAt, @expiresAt)`),
      certificateForExamAttempt: db.prepare('SELECT id FROM certificates WHERE exam_attempt_id = ?'),
      certificatesFor: db.prepare('SELECT * FROM certificates WHERE user_id = ? AND course_id = ? ORDER BY issued_at'),
      certificateForAttempt: db.prepare('SELECT id FROM certificates WHERE attempt_id = ?'),
      // Completed since a moment, no certificate from it, and none issued for the course since it completed.
      uncertifiedCompletions: db.prepare(`SELECT e.user_id, e.course_id, a.id AS attempt_id FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
        WHERE a.completed_at >= ? AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.attempt_id = a.id)
          AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.user_id = e.user_id AND c.course_id = e.course_id AND c.issued_at >= a.completed_at)
        ORDER BY a.completed_at`),
      certificateBySerial: db.prepare(`${CERT_VIEW} WHERE c.serial = ?`),
      certificatesOfUser: db.prepare(`${CERT_VIEW} WHERE c.user_id = ? ORDER BY c.issued_at DESC`),
      revoke: db.prepare('UPDATE certificates SET revoked_at = @now, revoked_reason = @reason WHERE serial = @serial AND revoked_at IS NULL'),
      grantRetake: db.prepare('UPDATE enrollments SET retakes_granted = retakes_granted + 1 WHERE id = ?'),
      markSent: db.prepare('INSERT OR IGNORE INTO notifications_sent (dedupe_key, user_id, kind, sent_at) VALUES (?, ?, ?, ?)'),
      unmarkSent: db.prepare('DELETE FROM notifications_sent WHERE dedupe_key = ?'),
      enrollmentsOfUser: db.prepare(`SELECT e.*, c.code, c.title, c.description, c.status AS course_status, c.validity_months, c.attempts_limit, c.counted_attempt
        FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ? ORDER BY e.id`),
      attemptsOfEnrollment: db.prepare('SELECT * FROM attempts WHERE enrollment_id = ? ORDER BY number'),
    };
  }

  /** Records an assignment and enrolls everyone it covers now, in one transaction. */
  async createAssignment(input: Omit<Assignment, 'id' | 'createdAt'>, dueFor: (user: CoveredUser) => string | null): Promise<{ assignment: Assignment; enrolled: number }> {
    const { db, audit, now } = this.deps;
    const at = now().toISOString();
    const run = db.transaction(() => {
      const info = this.stmts.insertAssignment.run({
        courseId: input.courseId, branchId: input.branchId, includeSubBranches: input.includeSubBranches ? 1 : 0,
        positionsJson: JSON.stringify(input.positions), dueDate: input.dueDate, dueDays: input.dueDays, dueBasis: input.dueBasis,
        createdBy: input.createdBy, now: at,
      });
      const assignment = toAssignment(this.stmts.assignmentById.get(Number(info.lastInsertRowid)) as AssignmentRow);
      const enrolled = this.enrollCovered(assignment, dueFor, null, at);
      audit.appendInTransaction({ actorId: input.createdBy, action: 'assignment.create', subject: `course:${input.courseId}`,
        details: { assignmentId: assignment.id, branchId: input.branchId, includeSubBranches: input.includeSubBranches, positions: input.positions, dueDate: input.dueDate, dueDays: input.dueDays, dueBasis: input.dueBasis, enrolled } });
      return { assignment, enrolled };
    });
    return run.immediate();
  }

  /**
   * Enrolls users that existing assignments cover but who are not enrolled yet: new hires and
   * transfers into a covered branch. One user (after an edit) or everyone (after a roster import).
   */
  async syncEnrollments(dueFor: (assignment: Assignment, user: CoveredUser) => string | null, userId: number | null = null): Promise<number> {
    const { db, now } = this.deps;
    const at = now().toISOString();
    return db.transaction(() => {
      let total = 0;
      for (const row of this.stmts.assignments.all() as AssignmentRow[]) {
        const assignment = toAssignment(row);
        total += this.enrollCovered(assignment, (u) => dueFor(assignment, u), userId, at);
      }
      return total;
    }).immediate();
  }

  private enrollCovered(assignment: Assignment, dueFor: (user: CoveredUser) => string | null, userId: number | null, at: string): number {
    const path = assignment.branchId === null ? null : (this.stmts.branchPath.get(assignment.branchId) as { path: string }).path;
    const range = path ? subtreeRange(path) : { from: '', to: '' };
    const rows = this.stmts.coveredUsers.all({ all: path ? 0 : 1, ...range, sub: assignment.includeSubBranches ? 1 : 0, userId, courseId: assignment.courseId }) as Array<{ user_id: number; hired_at: string | null; position: string | null }>;
    let enrolled = 0;
    for (const row of rows) {
      if (assignment.positions.length > 0 && !assignment.positions.includes(row.position ?? '')) continue;
      const dueAt = dueFor({ userId: row.user_id, hiredAt: row.hired_at });
      enrolled += this.stmts.enroll.run({ userId: row.user_id, courseId: assignment.courseId, assignmentId: assignment.id, dueAt, now: at }).changes;
    }
    return enrolled;
  }

  /** The newest assignments with names, for the assignments page (the caller filters by scope). */
  async listAssignmentsWithNames(): Promise<AssignmentListing[]> {
    return (this.stmts.assignmentList.all() as Array<AssignmentRow & { course_code: string; course_title: string; branch_code: string | null; branch_name: string | null; branch_path: string | null; enrolled: number }>)
      .map((r) => ({ ...toAssignment(r), courseCode: r.course_code, courseTitle: r.course_title, branchCode: r.branch_code, branchName: r.branch_name, branchPath: r.branch_path, enrolled: r.enrolled }));
  }

  async certificatesFor(userId: number, courseId: number): Promise<CertificateRecord[]> {
    return (this.stmts.certificatesFor.all(userId, courseId) as CertificateRow[]).map(toCertificate);
  }

  /** Attempts completed since `sinceIso` that earned no certificate, for the reconcile to decide again. */
  async uncertifiedCompletions(sinceIso: string): Promise<Array<{ userId: number; courseId: number; attemptId: number }>> {
    return (this.stmts.uncertifiedCompletions.all(sinceIso) as Array<{ user_id: number; course_id: number; attempt_id: number }>)
      .map((r) => ({ userId: r.user_id, courseId: r.course_id, attemptId: r.attempt_id }));
  }

  async hasCertificateForAttempt(attemptId: number): Promise<boolean> {
    return this.stmts.certificateForAttempt.get(attemptId) !== undefined;
  }

  async hasCertificateForExamAttempt(examAttemptId: number): Promise<boolean> {
    return this.stmts.certificateForExamAttempt.get(examAttemptId) !== undefined;
  }

  async issueCertificate(input: Omit<CertificateRecord, 'id' | 'revokedAt' | 'revokedReason'>): Promise<CertificateRecord> {
    const { db, audit } = this.deps;
    try {
      const id = db.transaction(() => {
        const info = this.stmts.insertCertificate.run({ ...input, examAttemptId: input.examAttemptId ?? null });
        audit.appendInTransaction({ actorId: input.userId, action: 'certificate.issue', subject: `certificate:${input.serial}`,
          details: { userId: input.userId, courseId: input.courseId, attemptId: input.attemptId, ...(input.examAttemptId ? { examAttemptId: input.examAttemptId } : {}), score: input.score, issuedAt: input.issuedAt, expiresAt: input.expiresAt } });
        return Number(info.lastInsertRowid);
      }).immediate();
      return { ...input, id, revokedAt: null, revokedReason: null };
    } catch (error) {
      throw translateSqliteError(error, { serial: 'serial' });
    }
  }

  async findCertificate(serial: string): Promise<CertificateView | null> {
    const row = this.stmts.certificateBySerial.get(serial) as CertificateViewRow | undefined;
    return row ? toCertificateView(row) : null;
  }

  /** Every certificate of one person, newest first (the admin's search by employee number). */
  async certificatesOfUser(userId: number): Promise<CertificateView[]> {
    return (this.stmts.certificatesOfUser.all(userId) as CertificateViewRow[]).map(toCertificateView);
  }

  async revokeCertificate(serial: string, reason: string, actorId: number): Promise<boolean> {
    const { db, audit, now } = this.deps;
    return db.transaction(() => {
      const changed = this.stmts.revoke.run({ serial, reason, now: now().toISOString() }).changes > 0;
      if (changed) audit.appendInTransaction({ actorId, action: 'certificate.revoke', subject: `certificate:${serial}`, details: { reason } });
      return changed;
    }).immediate();
  }

  async grantRetake(enrollmentId: number, actorId: number, reason: string): Promise<void> {
    const { db, audit } = this.deps;
    db.transaction(() => {
      this.stmts.grantRetake.run(enrollmentId);
      audit.appendInTransaction({ actorId, action: 'enrollment.retake', subject: `enrollment:${enrollmentId}`, details: { reason } });
    }).immediate();
  }

  /** Claims a reminder's dedupe key; false when it was already sent (re-runs send nothing twice). */
  async claimNotification(dedupeKey: string, userId: number, kind: string): Promise<boolean> {
    return this.stmts.markSent.run(dedupeKey, userId, kind, this.deps.now().toISOString()).changes > 0;
  }

  /** Gives a key back when sending failed, so the next run tries again. */
  async releaseNotification(dedupeKey: string): Promise<void> {
    this.stmts.unmarkSent.run(dedupeKey);
  }

  async enrollmentsOfUser(userId: number): Promise<EnrollmentOfUserRow[]> {
    return this.stmts.enrollmentsOfUser.all(userId) as EnrollmentOfUserRow[];
  }

  async attemptsOfEnrollment(enrollmentId: number): Promise<AttemptRecordRow[]> {
    return this.stmts.attemptsOfEnrollment.all(enrollmentId) as AttemptRecordRow[];
  }

}

export interface EnrollmentOfUserRow {
  id: number; user_id: number; course_id: number; due_at: string | null; assigned_at: string; source: string; retakes_granted: number;
  code: string; title: string; description: string; course_status: string; validity_months: number; attempts_limit: number | null;
  counted_attempt: 'last' | 'highest';
}

export interface AttemptRecordRow {
  id: number; enrollment_id: number; version_id: number; number: number; started_at: string; finished_at: string | null;
  completion_status: string; success_status: string; score_scaled: number | null; total_seconds: number; tries_count: number;
}

export function toAssignment(row: AssignmentRow): Assignment {
  return {
    id: row.id, courseId: row.course_id, branchId: row.branch_id, includeSubBranches: row.include_sub_branches === 1,
    positions: JSON.parse(row.positions_json) as string[], dueDate: row.due_date, dueDays: row.due_days, dueBasis: row.due_basis,
    createdBy: row.created_by, createdAt: row.created_at,
  };
}

export type CertificateViewRow = CertificateRow & { user_name: string; employee_no: string | null; branch_name: string | null; course_code: string; course_title: string };

export function toCertificateView(row: CertificateViewRow): CertificateView {
  return { ...toCertificate(row), userName: row.user_name, employeeNo: row.employee_no, branchName: row.branch_name, courseCode: row.course_code, courseTitle: row.course_title };
}

export function toCertificate(row: CertificateRow): CertificateRecord {
  return {
    id: row.id, serial: row.serial, userId: row.user_id, courseId: row.course_id, attemptId: row.attempt_id, score: row.score,
    issuedAt: row.issued_at, expiresAt: row.expires_at, revokedAt: row.revoked_at, revokedReason: row.revoked_reason,
  };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type CertificationStore = PublicOf<CertificationRepository>;
