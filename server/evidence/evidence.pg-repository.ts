import type { PgPool } from '../db/postgres/pool.js';
import type { AuditPosition } from './evidence.types.js';
import {
  PERSON, toPerson,
  type EvidenceAttemptRow, type EvidenceBranch, type EvidenceCertificateRow, type EvidenceCourse, type EvidenceEnrollment, type EvidencePerson,
  type EvidenceStore, type EvidenceTryRow, type PersonRow,
} from './evidence.repository.js';

/**
 * Evidence file reads on PostgreSQL (see evidence.repository.ts): one person's records by their
 * keys, and a subtree's people branch by branch and a page at a time, so no read is unbounded.
 */
export class PgEvidenceRepository implements EvidenceStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  private async rows<T extends object>(sql: string, values: unknown[] = []): Promise<T[]> {
    return (await this.deps.pool.query<T>(sql, values)).rows;
  }

  async findPersonByEmployeeNo(employeeNo: string): Promise<EvidencePerson | null> {
    const row = (await this.rows<PersonRow>(`${PERSON} WHERE u.employee_no = $1`, [employeeNo]))[0];
    return row ? toPerson(row) : null;
  }

  async findCourse(code: string): Promise<EvidenceCourse | null> {
    const r = (await this.rows<{ id: number; code: string; title: string; validity_months: number; pass_mark: number | null; attempts_limit: number | null }>(
      `SELECT id, code, title, validity_months, pass_mark, attempts_limit FROM courses WHERE code = $1
        UNION ALL SELECT c.id, c.code, c.title, c.validity_months, c.pass_mark, c.attempts_limit FROM course_code_aliases a
        JOIN courses c ON c.id = a.course_id WHERE a.code = $1 LIMIT 1`, [code]))[0]; // a former code still names its course
    return r ? { id: r.id, code: r.code, title: r.title, validityMonths: r.validity_months, passMark: r.pass_mark, attemptsLimit: r.attempts_limit } : null;
  }

  async findEnrollment(userId: number, courseId: number): Promise<EvidenceEnrollment | null> {
    const r = (await this.rows<{ id: number; source: string; assigned_at: string; due_at: string | null; assignment_id: number | null; retakes_granted: number }>(
      'SELECT id, source, assigned_at, due_at, assignment_id, retakes_granted FROM enrollments WHERE user_id = $1 AND course_id = $2', [userId, courseId]))[0];
    return r ? { id: r.id, source: r.source, assignedAt: r.assigned_at, dueAt: r.due_at, assignmentId: r.assignment_id, retakesGranted: r.retakes_granted } : null;
  }

  async listAttempts(enrollmentId: number): Promise<EvidenceAttemptRow[]> {
    return (await this.rows<Record<string, unknown>>(`SELECT id, number, version_id, started_at, finished_at, completed_at, completion_status, success_status, score_scaled,
      tries_count, total_seconds, measured_seconds, launch_count FROM attempts WHERE enrollment_id = $1 ORDER BY number`, [enrollmentId])).map((r) => ({
      id: r.id as number, number: r.number as number, versionId: r.version_id as number, startedAt: r.started_at as string,
      finishedAt: r.finished_at as string | null, completedAt: r.completed_at as string | null, completionStatus: r.completion_status as string,
      successStatus: r.success_status as string, scoreScaled: r.score_scaled as number | null, triesCount: r.tries_count as number,
      totalSeconds: r.total_seconds as number, measuredSeconds: r.measured_seconds as number, launchCount: r.launch_count as number,
    }));
  }

  async listTries(attemptIds: readonly number[]): Promise<EvidenceTryRow[]> {
    if (attemptIds.length === 0) return [];
    return (await this.rows<Record<string, unknown>>(`SELECT t.id, t.attempt_id, s.identifier AS sco, t.try_number, t.recorded_at, t.completion_status, t.success_status,
      t.score_raw, t.score_scaled, t.interactions_json FROM attempt_tries t JOIN scos s ON s.id = t.sco_id
      WHERE t.attempt_id = ANY($1::integer[]) ORDER BY t.attempt_id, t.id`, [[...attemptIds]])).map((r) => ({
      id: r.id as number, attemptId: r.attempt_id as number, sco: r.sco as string, tryNumber: r.try_number as number, recordedAt: r.recorded_at as string,
      completionStatus: r.completion_status as string, successStatus: r.success_status as string, scoreRaw: r.score_raw as number | null,
      scoreScaled: r.score_scaled as number | null, interactionsJson: r.interactions_json as string,
    }));
  }

  async listCertificates(userId: number, courseId: number): Promise<EvidenceCertificateRow[]> {
    return (await this.rows<Record<string, unknown>>(`SELECT serial, attempt_id, score, issued_at, expires_at, revoked_at, revoked_reason FROM certificates
      WHERE user_id = $1 AND course_id = $2 ORDER BY issued_at`, [userId, courseId])).map((r) => ({
      serial: r.serial as string, attemptId: r.attempt_id as number | null, score: r.score as number | null, issuedAt: r.issued_at as string,
      expiresAt: r.expires_at as string, revokedAt: r.revoked_at as string | null, revokedReason: r.revoked_reason as string | null,
    }));
  }

  async auditOf(subjects: readonly string[]): Promise<Map<string, AuditPosition[]>> {
    const out = new Map<string, AuditPosition[]>();
    if (subjects.length === 0) return out;
    for (const r of await this.rows<AuditPosition & { subject: string }>('SELECT id, at, action, subject, hash FROM audit_events WHERE subject = ANY($1::text[]) ORDER BY id', [[...subjects]])) {
      const list = out.get(r.subject) ?? [];
      list.push({ id: r.id, at: r.at, action: r.action, hash: r.hash });
      out.set(r.subject, list);
    }
    return out;
  }

  async assignmentAudit(courseId: number, assignmentId: number): Promise<AuditPosition[]> {
    // The course's assignment events only (the subject index), then the one whose details name this assignment.
    return this.rows<AuditPosition>(`SELECT id, at, action, hash FROM audit_events WHERE subject = $1 AND action = 'assignment.create'
      AND (details_json::jsonb ->> 'assignmentId') = $2 ORDER BY id`, [`course:${courseId}`, String(assignmentId)]);
  }

  async auditHead(): Promise<{ id: number; hash: string } | null> {
    return (await this.rows<{ id: number; hash: string }>('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1'))[0] ?? null;
  }

  async findBranch(code: string): Promise<EvidenceBranch | null> {
    return (await this.rows<EvidenceBranch>('SELECT id, code, path FROM branches WHERE code = $1', [code]))[0] ?? null;
  }

  async listBranchesAfter(range: { from: string; to: string }, afterPath: string, limit: number): Promise<EvidenceBranch[]> {
    const after = afterPath === '' ? range.from.slice(0, -1) : afterPath;
    return this.rows<EvidenceBranch>('SELECT id, code, path FROM branches WHERE path > $1 AND path < $2 ORDER BY path LIMIT $3', [after, range.to, limit]);
  }

  async listEnrolledInBranch(branchId: number, courseId: number, afterId: number, limit: number): Promise<EvidencePerson[]> {
    return (await this.rows<PersonRow>(`${PERSON} JOIN enrollments e ON e.user_id = u.id AND e.course_id = $2
      WHERE u.branch_id = $1 AND u.id > $3 ORDER BY u.id LIMIT $4`, [branchId, courseId, afterId, limit])).map(toPerson);
  }
}
