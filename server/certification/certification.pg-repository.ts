import type { PgPool, PgQueryable } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import { translatePgError } from '../db/postgres/pg-errors.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import { subtreeRange } from '../shared/branch-path.js';
import { NotFoundError } from '../errors.js';
import {
  CERT_VIEW, toAssignment, toCertificate, toCertificateView,
  type Assignment, type AssignmentListing, type AssignmentRow, type AttemptRecordRow, type CertificateRecord, type CertificateRow,
  type CertificateView, type CertificateViewRow, type CertificationStore, type CoveredUser, type EnrollmentOfUserRow,
  type AssignmentChange, type AssignmentRule,
} from './certification.repository.js';

const ENROLL = `INSERT INTO enrollments (user_id, course_id, assignment_id, due_at, assigned_at, source)
  VALUES ($1, $2, $3, $4, $5, 'assignment')
  ON CONFLICT (user_id, course_id) DO UPDATE SET source = 'assignment', assignment_id = excluded.assignment_id,
    due_at = excluded.due_at, assigned_at = excluded.assigned_at WHERE enrollments.source = 'self'`;

/** Assignments, enrollments and certificates on PostgreSQL (see certification.repository.ts). */
export class PgCertificationRepository implements CertificationStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  async createAssignment(input: Omit<Assignment, 'id' | 'createdAt'>, dueFor: (user: CoveredUser) => string | null): Promise<{ assignment: Assignment; enrolled: number }> {
    const { pool, audit, now } = this.deps;
    const at = now().toISOString();
    return transaction(pool, async (client) => {
      const row = (await client.query<AssignmentRow>(`INSERT INTO assignments (course_id, branch_id, include_sub_branches, positions_json, due_date, due_days, due_basis, created_by, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [input.courseId, input.branchId, input.includeSubBranches ? 1 : 0, JSON.stringify(input.positions), input.dueDate, input.dueDays, input.dueBasis, input.createdBy, at])).rows[0];
      const assignment = toAssignment(row);
      const enrolled = await this.enrollCovered(client, assignment, dueFor, null, at);
      await audit.appendWith(client, { actorId: input.createdBy, action: 'assignment.create', subject: `course:${input.courseId}`,
        details: { assignmentId: assignment.id, branchId: input.branchId, includeSubBranches: input.includeSubBranches, positions: input.positions, dueDate: input.dueDate, dueDays: input.dueDays, dueBasis: input.dueBasis, enrolled } });
      return { assignment, enrolled };
    });
  }

  /** Two nodes syncing the same person at once both insert-or-keep the same enrollment rows (ON CONFLICT). */
  async syncEnrollments(dueFor: (assignment: Assignment, user: CoveredUser) => string | null, userId: number | null = null): Promise<number> {
    const { pool, now } = this.deps;
    const at = now().toISOString();
    return transaction(pool, async (client) => {
      let total = 0;
      for (const row of (await client.query<AssignmentRow>('SELECT * FROM assignments ORDER BY id')).rows) {
        const assignment = toAssignment(row);
        total += await this.enrollCovered(client, assignment, (u) => dueFor(assignment, u), userId, at);
      }
      return total;
    });
  }

  private async enrollCovered(client: PgQueryable, assignment: Assignment, dueFor: (user: CoveredUser) => string | null, userId: number | null, at: string): Promise<number> {
    const path = assignment.branchId === null ? null : (await client.query<{ path: string }>('SELECT path FROM branches WHERE id = $1', [assignment.branchId])).rows[0].path;
    const range = path ? subtreeRange(path) : { from: '', to: '' };
    const { rows } = await client.query<{ user_id: number; hired_at: string | null; position: string | null }>(`SELECT u.id AS user_id, u.hired_at, u.position
      FROM users u JOIN branches b ON b.id = u.branch_id
      WHERE u.status = 'active' AND ($1::boolean OR (b.path >= $2 AND b.path < $3 AND ($4::boolean OR b.path = $2)))
        AND ($5::integer IS NULL OR u.id = $5)
        AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.course_id = $6 AND e.source <> 'self')`,
    [!path, range.from, range.to, assignment.includeSubBranches, userId, assignment.courseId]);
    let enrolled = 0;
    for (const row of rows) {
      if (assignment.positions.length > 0 && !assignment.positions.includes(row.position ?? '')) continue;
      const dueAt = dueFor({ userId: row.user_id, hiredAt: row.hired_at });
      enrolled += (await client.query(ENROLL, [row.user_id, assignment.courseId, assignment.id, dueAt, at])).rowCount ?? 0;
    }
    return enrolled;
  }

  /** See certification.repository.ts. The assignment row is locked, so two nodes editing it apply in turn. */
  async changeAssignment(id: number, next: AssignmentRule | null, dueFor: (user: CoveredUser & { enrolledAt: string | null }) => string | null,
    options: { apply: boolean; actorId: number }): Promise<AssignmentChange> {
    const { pool, audit, now } = this.deps;
    const at = now().toISOString();
    return transaction(pool, async (client) => {
      const row = (await client.query<AssignmentRow>(`SELECT * FROM assignments WHERE id = $1${options.apply ? ' FOR UPDATE' : ''}`, [id])).rows[0];
      if (!row) throw new NotFoundError('Assignment not found');
      const before = toAssignment(row);
      const current = (await client.query<{ id: number; user_id: number; due_at: string | null; assigned_at: string; hired_at: string | null; has_started: boolean }>(
        `SELECT e.id, e.user_id, e.due_at, e.assigned_at, u.hired_at, EXISTS (SELECT 1 FROM attempts a WHERE a.enrollment_id = e.id) AS has_started
          FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.assignment_id = $1`, [id])).rows;
      const covered = next ? await this.coveredBy(client, { ...next, courseId: before.courseId }) : [];
      const coveredIds = new Set(covered.map((c) => c.user_id));
      const change: AssignmentChange = { kept: 0, keptStarted: 0, dueChanged: 0, newDueDates: [], added: 0, released: 0, removed: 0 };
      const dueDates = new Set<string>();
      for (const e of current) {
        if (!coveredIds.has(e.user_id)) {
          if (e.has_started) {
            change.released++;
            if (options.apply) await client.query("UPDATE enrollments SET source = 'self', assignment_id = NULL, due_at = NULL WHERE id = $1", [e.id]);
          } else {
            change.removed++;
            if (options.apply) await client.query('DELETE FROM enrollments WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.enrollment_id = enrollments.id)', [e.id]);
          }
          continue;
        }
        change.kept++;
        if (e.has_started) change.keptStarted++;
        const due = dueFor({ userId: e.user_id, hiredAt: e.hired_at, enrolledAt: e.assigned_at });
        if (due !== null) dueDates.add(due);
        if (due !== e.due_at) {
          change.dueChanged++;
          if (options.apply) await client.query('UPDATE enrollments SET due_at = $1 WHERE id = $2', [due, e.id]);
        }
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
        const updated = toAssignment((await client.query<AssignmentRow>(`UPDATE assignments SET branch_id = $2, include_sub_branches = $3, positions_json = $4,
          due_date = $5, due_days = $6, due_basis = $7 WHERE id = $1 RETURNING *`,
        [id, next.branchId, next.includeSubBranches ? 1 : 0, JSON.stringify(next.positions), next.dueDate, next.dueDays, next.dueBasis])).rows[0]);
        await this.enrollCovered(client, updated, (u) => dueFor({ ...u, enrolledAt: null }), null, at);
      } else {
        await client.query('DELETE FROM assignments WHERE id = $1', [id]);
      }
      // People let go may still be covered by another assignment of the course: it takes them over.
      for (const other of (await client.query<AssignmentRow>('SELECT * FROM assignments WHERE course_id = $1 AND id <> $2 ORDER BY id', [before.courseId, id])).rows) {
        await this.enrollCovered(client, toAssignment(other), (u) => dueFor({ ...u, enrolledAt: null }), null, at);
      }
      await audit.appendWith(client, { actorId: options.actorId, action: next ? 'assignment.update' : 'assignment.delete', subject: `course:${before.courseId}`,
        details: { assignmentId: id, before: { branchId: before.branchId, includeSubBranches: before.includeSubBranches, positions: before.positions, dueDate: before.dueDate, dueDays: before.dueDays, dueBasis: before.dueBasis },
          after: next, kept: change.kept, added: change.added, released: change.released, removed: change.removed } });
      return change;
    });
  }

  private async coveredBy(client: PgQueryable, rule: AssignmentRule & { courseId: number }) {
    const path = rule.branchId === null ? null : (await client.query<{ path: string }>('SELECT path FROM branches WHERE id = $1', [rule.branchId])).rows[0].path;
    const range = path ? subtreeRange(path) : { from: '', to: '' };
    const { rows } = await client.query<{ user_id: number; hired_at: string | null; position: string | null; enrollment_id: number | null; assignment_id: number | null; source: string | null }>(
      `SELECT u.id AS user_id, u.hired_at, u.position, e.id AS enrollment_id, e.assignment_id, e.source
        FROM users u JOIN branches b ON b.id = u.branch_id LEFT JOIN enrollments e ON e.user_id = u.id AND e.course_id = $1
        WHERE u.status = 'active' AND ($2::boolean OR (b.path >= $3 AND b.path < $4 AND ($5::boolean OR b.path = $3)))`,
      [rule.courseId, !path, range.from, range.to, rule.includeSubBranches]);
    return rule.positions.length === 0 ? rows : rows.filter((r) => rule.positions.includes(r.position ?? ''));
  }

  async findAssignment(id: number): Promise<Assignment | null> {
    const row = (await this.deps.pool.query<AssignmentRow>('SELECT * FROM assignments WHERE id = $1', [id])).rows[0];
    return row ? toAssignment(row) : null;
  }

  /** The roster's positions, one index seek per distinct value (never a scan of the people). */
  async distinctPositions(limit = 500): Promise<string[]> {
    const { rows } = await this.deps.pool.query<{ v: string }>(`WITH RECURSIVE p(v) AS (
        SELECT min(position) FROM users WHERE position IS NOT NULL AND position <> ''
        UNION ALL SELECT (SELECT min(position) FROM users WHERE position > p.v) FROM p WHERE p.v IS NOT NULL)
      SELECT v FROM p WHERE v IS NOT NULL LIMIT $1`, [limit]);
    return rows.map((r) => r.v);
  }

  async listAssignmentsWithNames(): Promise<AssignmentListing[]> {
    const { rows } = await this.deps.pool.query<AssignmentRow & { course_code: string; course_title: string; branch_code: string | null; branch_name: string | null; branch_path: string | null; enrolled: number }>(
      `SELECT a.*, c.code AS course_code, c.title AS course_title, b.code AS branch_code, b.name AS branch_name, b.path AS branch_path,
        (SELECT COUNT(*) FROM enrollments e WHERE e.assignment_id = a.id) AS enrolled
        FROM assignments a JOIN courses c ON c.id = a.course_id LEFT JOIN branches b ON b.id = a.branch_id ORDER BY a.id DESC LIMIT 500`);
    return rows.map((r) => ({ ...toAssignment(r), courseCode: r.course_code, courseTitle: r.course_title, branchCode: r.branch_code, branchName: r.branch_name, branchPath: r.branch_path, enrolled: r.enrolled }));
  }

  async certificatesFor(userId: number, courseId: number): Promise<CertificateRecord[]> {
    return (await this.deps.pool.query<CertificateRow>('SELECT * FROM certificates WHERE user_id = $1 AND course_id = $2 ORDER BY issued_at', [userId, courseId])).rows.map(toCertificate);
  }

  async uncertifiedCompletions(sinceIso: string): Promise<Array<{ userId: number; courseId: number; attemptId: number }>> {
    const { rows } = await this.deps.pool.query<{ user_id: number; course_id: number; attempt_id: number }>(`SELECT e.user_id, e.course_id, a.id AS attempt_id
      FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
      WHERE a.completed_at >= $1 AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.attempt_id = a.id)
        AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.user_id = e.user_id AND c.course_id = e.course_id AND c.issued_at >= a.completed_at)
      ORDER BY a.completed_at`, [sinceIso]);
    return rows.map((r) => ({ userId: r.user_id, courseId: r.course_id, attemptId: r.attempt_id }));
  }

  async hasCertificateForAttempt(attemptId: number): Promise<boolean> {
    return ((await this.deps.pool.query('SELECT 1 FROM certificates WHERE attempt_id = $1', [attemptId])).rowCount ?? 0) > 0;
  }

  async hasCertificateForExamAttempt(examAttemptId: number): Promise<boolean> {
    return ((await this.deps.pool.query('SELECT 1 FROM certificates WHERE exam_attempt_id = $1', [examAttemptId])).rowCount ?? 0) > 0;
  }

  async issueCertificate(input: Omit<CertificateRecord, 'id' | 'revokedAt' | 'revokedReason'>): Promise<CertificateRecord> {
    const { pool, audit } = this.deps;
    try {
      const id = await transaction(pool, async (client) => {
        const newId = (await client.query<{ id: number }>(`INSERT INTO certificates (serial, user_id, course_id, attempt_id, exam_attempt_id, score, issued_at, expires_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [input.serial, input.userId, input.courseId, input.attemptId, input.examAttemptId ?? null, input.score, input.issuedAt, input.expiresAt])).rows[0].id;
        await audit.appendWith(client, { actorId: input.userId, action: 'certificate.issue', subject: `certificate:${input.serial}`,
          details: { userId: input.userId, courseId: input.courseId, attemptId: input.attemptId, ...(input.examAttemptId ? { examAttemptId: input.examAttemptId } : {}), score: input.score, issuedAt: input.issuedAt, expiresAt: input.expiresAt } });
        return newId;
      });
      return { ...input, id, revokedAt: null, revokedReason: null };
    } catch (error) {
      throw translatePgError(error, { serial: 'serial' });
    }
  }

  async findCertificate(serial: string): Promise<CertificateView | null> {
    const row = (await this.deps.pool.query<CertificateViewRow>(`${CERT_VIEW} WHERE c.serial = $1`, [serial])).rows[0];
    return row ? toCertificateView(row) : null;
  }

  async certificatesOfUser(userId: number): Promise<CertificateView[]> {
    return (await this.deps.pool.query<CertificateViewRow>(`${CERT_VIEW} WHERE c.user_id = $1 ORDER BY c.issued_at DESC`, [userId])).rows.map(toCertificateView);
  }

  async revokeCertificate(serial: string, reason: string, actorId: number): Promise<boolean> {
    const { pool, audit, now } = this.deps;
    return transaction(pool, async (client) => {
      const changed = ((await client.query('UPDATE certificates SET revoked_at = $1, revoked_reason = $2 WHERE serial = $3 AND revoked_at IS NULL', [now().toISOString(), reason, serial])).rowCount ?? 0) > 0;
      if (changed) await audit.appendWith(client, { actorId, action: 'certificate.revoke', subject: `certificate:${serial}`, details: { reason } });
      return changed;
    });
  }

  async grantRetake(enrollmentId: number, actorId: number, reason: string): Promise<void> {
    const { pool, audit } = this.deps;
    await transaction(pool, async (client) => {
      await client.query('UPDATE enrollments SET retakes_granted = retakes_granted + 1 WHERE id = $1', [enrollmentId]);
      await audit.appendWith(client, { actorId, action: 'enrollment.retake', subject: `enrollment:${enrollmentId}`, details: { reason } });
    });
  }

  /** The unique key decides between nodes: the daily job on two nodes still sends each reminder once. */
  async claimNotification(dedupeKey: string, userId: number, kind: string): Promise<boolean> {
    return ((await this.deps.pool.query('INSERT INTO notifications_sent (dedupe_key, user_id, kind, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT (dedupe_key) DO NOTHING',
      [dedupeKey, userId, kind, this.deps.now().toISOString()])).rowCount ?? 0) > 0;
  }

  async releaseNotification(dedupeKey: string): Promise<void> {
    await this.deps.pool.query('DELETE FROM notifications_sent WHERE dedupe_key = $1', [dedupeKey]);
  }

  async enrollmentsOfUser(userId: number): Promise<EnrollmentOfUserRow[]> {
    return (await this.deps.pool.query<EnrollmentOfUserRow>(`SELECT e.*, c.code, c.title, c.description, c.title_en, c.description_en, c.status AS course_status, c.validity_months, c.attempts_limit, c.counted_attempt
      FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = $1 ORDER BY e.id`, [userId])).rows;
  }

  async attemptsOfEnrollment(enrollmentId: number): Promise<AttemptRecordRow[]> {
    return (await this.deps.pool.query<AttemptRecordRow>('SELECT * FROM attempts WHERE enrollment_id = $1 ORDER BY number', [enrollmentId])).rows;
  }
}
