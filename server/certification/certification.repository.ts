import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { subtreeRange } from '../shared/branch-path.js';
import { translateSqliteError } from '../db/sqlite-errors.js';
import { NotFoundError } from '../errors.js';

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
  /** The course's English title, when it has one. */
  courseTitleEn: string | null;
}

/** Who an assignment covers and when it is due (what an edit may change). */
export type AssignmentRule = Pick<Assignment, 'branchId' | 'includeSubBranches' | 'positions' | 'dueDate' | 'dueDays' | 'dueBasis'>;

export interface AssignmentChange {
  /** Still covered: progress kept; dueChanged of them get a new due date. */
  kept: number; keptStarted: number; dueChanged: number;
  /** Up to three of the due dates after the change (one when fixed). */
  newDueDates: string[];
  /** Newly covered. */
  added: number;
  /** No longer covered: started ones stay as optional learning (released), unstarted ones are taken off (removed). */
  released: number; removed: number;
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

export const CERT_VIEW = `SELECT c.*, u.name AS user_name, u.employee_no, b.name AS branch_name, co.code AS course_code, co.title AS course_title, co.title_en AS course_title_en
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
      // Everyone a branch rule covers now, with their enrollment in the course if any (edit and remove previews).
      coveredWithEnrollment: db.prepare(`SELECT u.id AS user_id, u.hired_at, u.position, e.id AS enrollment_id, e.assignment_id, e.source
        FROM users u JOIN branches b ON b.id = u.branch_id LEFT JOIN enrollments e ON e.user_id = u.id AND e.course_id = @courseId
        WHERE u.status = 'active' AND (@all = 1 OR (b.path >= @from AND b.path < @to AND (@sub = 1 OR b.path = @from)))`),
      enrollmentsOfAssignment: db.prepare(`SELECT e.id, e.user_id, e.due_at, e.assigned_at, u.hired_at,
        EXISTS (SELECT 1 FROM attempts a WHERE a.enrollment_id = e.id) AS has_started
        FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.assignment_id = ?`),
      updateAssignment: db.prepare(`UPDATE assignments SET branch_id = @branchId, include_sub_branches = @includeSubBranches, positions_json = @positionsJson,
        due_date = @dueDate, due_days = @dueDays, due_basis = @dueBasis WHERE id = @id`),
      deleteAssignment: db.prepare('DELETE FROM assignments WHERE id = ?'),
      setDue: db.prepare('UPDATE enrollments SET due_at = ? WHERE id = ?'),
      // No longer required but started: stays as optional learning, progress kept.
      release: db.prepare("UPDATE enrollments SET source = 'self', assignment_id = NULL, due_at = NULL WHERE id = ?"),
      dropUnstarted: db.prepare('DELETE FROM enrollments WHERE id = ? AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.enrollment_id = enrollments.id)'),
      assignmentsOfCourse: db.prepare('SELECT * FROM assignments WHERE course_id = ? AND id <> ? ORDER BY id'),
      distinctPositions: db.prepare(`WITH RECURSIVE p(v) AS (
          SELECT min(position) FROM users WHERE position IS NOT NULL AND position <> ''
          UNION ALL SELECT (SELECT min(position) FROM users WHERE position > p.v) FROM p WHERE p.v IS NOT NULL)
        SELECT v FROM p WHERE v IS NOT NULL LIMIT @limit`),
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
      enrollmentsOfUser: db.prepare(`SELECT e.*, c.code, c.title, c.description, c.title_en, c.description_en, c.status AS course_status, c.validity_months, c.attempts_limit, c.counted_attempt
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

  /**
   * What an edit (or, with `next` null, a removal) does to the enrollments: who stays (progress
   * kept, due date recomputed), who is added, who is no longer required. With `apply` it also does
   * it, audited, in one transaction; without, it only counts.
   */
  async changeAssignment(id: number, next: AssignmentRule | null, dueFor: (user: CoveredUser & { enrolledAt: string | null }) => string | null,
    options: { apply: boolean; actorId: number }): Promise<AssignmentChange> {
    const { db, audit, now } = this.deps;
    const at = now().toISOString();
    const run = db.transaction((): AssignmentChange => {
      const row = this.stmts.assignmentById.get(id) as AssignmentRow | undefined;
      if (!row) throw new NotFoundError('Assignment not found');
      const before = toAssignment(row);
      const current = this.stmts.enrollmentsOfAssignment.all(id) as Array<{ id: number; user_id: number; due_at: string | null; assigned_at: string; hired_at: string | null; has_started: number }>;
      const covered = next ? this.coveredBy({ ...next, courseId: before.courseId }) : [];
      const coveredIds = new Set(covered.map((c) => c.user_id));
      const change: AssignmentChange = { kept: 0, keptStarted: 0, dueChanged: 0, newDueDates: [], added: 0, released: 0, removed: 0 };
      const dueDates = new Set<string>();
      for (const e of current) {
        if (!coveredIds.has(e.user_id)) {
          if (e.has_started) { change.released++; if (options.apply) this.stmts.release.run(e.id); }
          else { change.removed++; if (options.apply) this.stmts.dropUnstarted.run(e.id); }
          continue;
        }
        change.kept++;
        if (e.has_started) change.keptStarted++;
        const due = dueFor({ userId: e.user_id, hiredAt: e.hired_at, enrolledAt: e.assigned_at });
        if (due !== null) dueDates.add(due);
        if (due !== e.due_at) { change.dueChanged++; if (options.apply) this.stmts.setDue.run(due, e.id); }
      }
      const added = covered.filter((c) => c.enrollment_id === null || c.source === 'self');
      change.added = added.length;
      for (const c of added) {
        const due = dueFor({ userId: c.user_id, hiredAt: c.hired_at, enrolledAt: null });
        if (due !== null) dueDates.add(due);
      }
      change.newDueDates = [...dueDates].sort().slice(0, 3);
      if (!options.apply) return change;
      if (next) {
        this.stmts.updateAssignment.run({ id, branchId: next.branchId, includeSubBranches: next.includeSubBranches ? 1 : 0, positionsJson: JSON.stringify(next.positions),
          dueDate: next.dueDate, dueDays: next.dueDays, dueBasis: next.dueBasis });
        const updated = toAssignment(this.stmts.assignmentById.get(id) as AssignmentRow);
        this.enrollCovered(updated, (u) => dueFor({ ...u, enrolledAt: null }), null, at);
      } else {
        this.stmts.deleteAssignment.run(id);
      }
      // People let go may still be covered by another assignment of the course: it takes them over.
      for (const other of this.stmts.assignmentsOfCourse.all(before.courseId, id) as AssignmentRow[]) {
        const assignment = toAssignment(other);
        this.enrollCovered(assignment, (u) => dueFor({ ...u, enrolledAt: null }), null, at);
      }
      audit.appendInTransaction({ actorId: options.actorId, action: next ? 'assignment.update' : 'assignment.delete', subject: `course:${before.courseId}`,
        details: { assignmentId: id, before: { branchId: before.branchId, includeSubBranches: before.includeSubBranches, positions: before.positions, dueDate: before.dueDate, dueDays: before.dueDays, dueBasis: before.dueBasis },
          after: next, kept: change.kept, added: change.added, released: change.released, removed: change.removed } });
      return change;
    });
    return options.apply ? run.immediate() : run.deferred();
  }

  private coveredBy(rule: AssignmentRule & { courseId: number }) {
    const path = rule.branchId === null ? null : (this.stmts.branchPath.get(rule.branchId) as { path: string }).path;
    const range = path ? subtreeRange(path) : { from: '', to: '' };
    const rows = this.stmts.coveredWithEnrollment.all({ all: path ? 0 : 1, ...range, sub: rule.includeSubBranches ? 1 : 0, courseId: rule.courseId }) as Array<{
      user_id: number; hired_at: string | null; position: string | null; enrollment_id: number | null; assignment_id: number | null; source: string | null }>;
    return rule.positions.length === 0 ? rows : rows.filter((r) => rule.positions.includes(r.position ?? ''));
  }

  async findAssignment(id: number): Promise<Assignment | null> {
    const row = this.stmts.assignmentById.get(id) as AssignmentRow | undefined;
    return row ? toAssignment(row) : null;
  }

  /** The roster's positions, one index seek per distinct value (never a scan of the people). */
  async distinctPositions(limit = 500): Promise<string[]> {
    return this.stmts.distinctPositions.pluck().all({ limit }) as string[];
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
  code: string; title: string; description: string; title_en: string | null; description_en: string | null; course_status: string; validity_months: number; attempts_limit: number | null;
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

export type CertificateViewRow = CertificateRow & { user_name: string; employee_no: string | null; branch_name: string | null; course_code: string; course_title: string; course_title_en: string | null };

export function toCertificateView(row: CertificateViewRow): CertificateView {
  return { ...toCertificate(row), userName: row.user_name, employeeNo: row.employee_no, branchName: row.branch_name, courseCode: row.course_code, courseTitle: row.course_title, courseTitleEn: row.course_title_en };
}

export function toCertificate(row: CertificateRow): CertificateRecord {
  return {
    id: row.id, serial: row.serial, userId: row.user_id, courseId: row.course_id, attemptId: row.attempt_id, score: row.score,
    issuedAt: row.issued_at, expiresAt: row.expires_at, revokedAt: row.revoked_at, revokedReason: row.revoked_reason,
  };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type CertificationStore = PublicOf<CertificationRepository>;
