import type { PgQueryable } from '../db/postgres/pool.js';
import { named } from '../db/postgres/named.js';
import { subtreeRange } from '../shared/branch-path.js';
import type { AsOf, Placement } from './as-of.js';
import {
  ASSIGNED, BRANCH_COLUMNS, byEmployeeNo, FACT_COLUMNS, FACT_JOINS_BY_PLACEMENT, HAS_LEFT, PLACED, toBranch,
  type AttemptRecord, type BranchRow, type CertificateRecord, type CertificationFacts, type EmployeeRecord, type EmployeeRow, type EnrollmentRecord,
  type ReportBranch, type ReportCourse, type ReportsStore, type StaffMember, type SubtreeFilter,
} from './reports.repository.js';

interface StaffRow { id: number; employee_no: string | null; name: string; position: string | null; has_left: boolean }

const staffSql = (placement: Placement) => `SELECT u.id, u.employee_no, u.name, u.position, ${HAS_LEFT} AS has_left ${PLACED[placement]}`;
const staffPageSql = (placement: Placement) => `${staffSql(placement)} AND NOT ${HAS_LEFT} AND u.employee_no > @after ORDER BY u.employee_no LIMIT @limit`;
// The same facts as the SQLite twin, as rows (pg parses them fast enough; no packing), in the order of the given ids.
const factsSql = (placement: Placement) => `SELECT ${FACT_COLUMNS.replace(/\bx\.started_at\b/, 'x.started_at AS x_started_at')}
  FROM unnest(@userIds::integer[]) WITH ORDINALITY AS j(user_id, n) JOIN enrollments e ON e.user_id = j.user_id ${FACT_JOINS_BY_PLACEMENT[placement]}
  WHERE ${ASSIGNED.replace('@courseId IS NULL', '@courseId::integer IS NULL')} ORDER BY j.n, e.course_id, c.id`;

/**
 * Report reads on PostgreSQL (see reports.repository.ts). Exports walk a subtree a branch and a
 * few hundred people at a time, as on SQLite, so memory stays flat without a server-side cursor:
 * no read is ever larger than one branch's people.
 */
export class PgReportsRepository implements ReportsStore {
  /** `pool`: the pool, or one client (a snapshot's transaction). */
  constructor(private readonly deps: { pool: PgQueryable }) {}

  private async rows<T extends object>(sql: string, values: Record<string, unknown>): Promise<T[]> {
    const q = named(sql, values);
    return (await this.deps.pool.query<T>(q.text, q.values)).rows;
  }

  async findBranchByCode(code: string): Promise<ReportBranch | null> {
    return toBranch((await this.rows<BranchRow>(`${BRANCH_COLUMNS} WHERE b.code = @code`, { code }))[0]);
  }

  async findCourseByCode(code: string): Promise<ReportCourse | null> {
    // A former code still names its course (course_code_aliases): old export links keep working.
    return (await this.rows<ReportCourse>(`SELECT id, code, title FROM courses WHERE code = @code
      UNION ALL SELECT c.id, c.code, c.title FROM course_code_aliases a JOIN courses c ON c.id = a.course_id WHERE a.code = @code LIMIT 1`, { code }))[0] ?? null;
  }

  async listCourses(): Promise<ReportCourse[]> {
    return this.rows<ReportCourse>('SELECT id, code, title FROM courses ORDER BY code', {});
  }

  async listBranches(filter: SubtreeFilter): Promise<ReportBranch[]> {
    const range = filter.includeSubBranches ? subtreeRange(filter.path) : { from: filter.path, to: `${filter.path}\u0001` };
    return (await this.rows<BranchRow>(`${BRANCH_COLUMNS} WHERE b.path >= @from AND b.path < @to ORDER BY b.path`, range)).map((row) => toBranch(row)!);
  }

  async listChildren(parentId: number | null): Promise<ReportBranch[]> {
    const rows = parentId === null
      ? await this.rows<BranchRow>(`${BRANCH_COLUMNS} WHERE b.parent_id IS NULL ORDER BY b.code`, {})
      : await this.rows<BranchRow>(`${BRANCH_COLUMNS} WHERE b.parent_id = @parentId ORDER BY b.code`, { parentId });
    return rows.map((row) => toBranch(row)!);
  }

  async staffOfBranch(branchId: number, asOf: AsOf): Promise<StaffMember[]> {
    const rows = await this.rows<StaffRow>(staffSql(asOf.placement), { branchId, asOfDate: asOf.date, asOfEnd: asOf.endIso });
    return rows.map(toStaff).sort(byEmployeeNo);
  }

  async listStaffPage(branchId: number, asOf: AsOf, page: { after: string; limit: number }): Promise<StaffMember[]> {
    return (await this.rows<StaffRow>(staffPageSql(asOf.placement), { branchId, asOfDate: asOf.date, asOfEnd: asOf.endIso, ...page })).map(toStaff);
  }

  async listFactsOfUsers(userIds: readonly number[], asOf: AsOf, courseId: number | null): Promise<CertificationFacts[]> {
    if (userIds.length === 0) return [];
    const q = named(factsSql(asOf.placement), { userIds: [...userIds], asOfEnd: asOf.endIso, courseId });
    const { rows } = await this.deps.pool.query({ text: q.text, values: q.values, rowMode: 'array' });
    return rows as CertificationFacts[];
  }

  async listUserFacts(userId: number, asOf: AsOf): Promise<CertificationFacts[]> {
    return this.listFactsOfUsers([userId], asOf, null);
  }

  async findEmployeeByNo(employeeNo: string): Promise<EmployeeRecord | null> {
    const row = (await this.rows<EmployeeRow>(`SELECT u.id, u.employee_no, u.name, u.position, u.status, u.left_at, u.hired_at, u.branch_id,
      b.code AS branch_code, b.name AS branch_name, b.path AS branch_path FROM users u LEFT JOIN branches b ON b.id = u.branch_id
      WHERE u.employee_no = @employeeNo`, { employeeNo }))[0];
    if (!row) return null;
    return {
      id: row.id, employeeNo: row.employee_no, name: row.name, position: row.position, status: row.status, leftAt: row.left_at,
      hiredAt: row.hired_at, branchId: row.branch_id, branchCode: row.branch_code, branchName: row.branch_name, branchPath: row.branch_path,
    };
  }

  async listEnrollmentsOfUser(userId: number): Promise<EnrollmentRecord[]> {
    return (await this.rows<{ id: number; course_id: number; code: string; title: string; source: string; assigned_at: string; due_at: string | null }>(
      `SELECT e.id, e.course_id, co.code, co.title, e.source, e.assigned_at, e.due_at
       FROM enrollments e JOIN courses co ON co.id = e.course_id WHERE e.user_id = @userId ORDER BY co.code`, { userId }))
      .map((r) => ({ id: r.id, courseId: r.course_id, courseCode: r.code, courseTitle: r.title, source: r.source, assignedAt: r.assigned_at, dueAt: r.due_at }));
  }

  async listAttemptsOfUser(userId: number): Promise<AttemptRecord[]> {
    return (await this.rows<{ id: number; code: string; title: string; number: number; started_at: string; finished_at: string | null; completion_status: string; success_status: string; score_scaled: number | null }>(
      `SELECT a.id, co.code, co.title, a.number, a.started_at, a.finished_at, a.completion_status, a.success_status, a.score_scaled
       FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id JOIN courses co ON co.id = e.course_id WHERE e.user_id = @userId ORDER BY co.code, a.number`, { userId }))
      .map((r) => ({
        id: r.id, courseCode: r.code, courseTitle: r.title, number: r.number, startedAt: r.started_at, finishedAt: r.finished_at,
        completionStatus: r.completion_status, successStatus: r.success_status, scoreScaled: r.score_scaled,
      }));
  }

  async listCertificatesOfUser(userId: number): Promise<CertificateRecord[]> {
    return (await this.rows<{ serial: string; code: string; title: string; score: number | null; issued_at: string; expires_at: string; revoked_at: string | null; revoked_reason: string | null }>(
      `SELECT c.serial, co.code, co.title, c.score, c.issued_at, c.expires_at, c.revoked_at, c.revoked_reason
       FROM certificates c JOIN courses co ON co.id = c.course_id WHERE c.user_id = @userId ORDER BY c.issued_at DESC`, { userId }))
      .map((r) => ({
        serial: r.serial, courseCode: r.code, courseTitle: r.title, score: r.score, issuedAt: r.issued_at, expiresAt: r.expires_at,
        revokedAt: r.revoked_at, revokedReason: r.revoked_reason,
      }));
  }
}

function toStaff(row: StaffRow): StaffMember {
  return { id: row.id, employeeNo: row.employee_no, name: row.name, position: row.position, hasLeft: row.has_left };
}
