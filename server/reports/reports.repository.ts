/**
 * The only SQL of reports and the dashboard. Exports and summaries walk a subtree a branch (at
 * most a few hundred people) at a time, each read finished before anything is awaited:
 * better-sqlite3 refuses every write on the connection while a statement is being iterated, and a
 * slow download must not stall sign-ins and SCORM commits. Memory stays that of one read.
 *
 * Certification facts for a group of people come back as ONE text value (fields joined by U+001F)
 * and are split in JavaScript into positional tuples: better-sqlite3 pays about 0.3 µs per text
 * cell it hands over plus 0.5 µs per row, which made even `.raw().iterate()` slower than the whole
 * sqlite3 CLI export; one value per group measured 30 % faster (bench/export). Numbers travel as
 * SQLite's text (15 significant digits).
 *
 * Timestamps are ISO-8601 UTC text, but roster dates (hired_at, history from/to, left_at) may be
 * bare local dates 'YYYY-MM-DD': those compare with the as-of date, instants with its last instant.
 */
import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import { subtreeRange } from '../shared/branch-path.js';
import type { AsOf, Placement } from './as-of.js';

export interface ReportBranch {
  id: number; code: string; name: string; parentId: number | null; parentCode: string | null; path: string; depth: number;
}

export interface ReportCourse { id: number; code: string; title: string }

/** Someone placed in a branch on the as-of date. */
export interface StaffMember {
  id: number; employeeNo: string | null; name: string; position: string | null;
  /** Left the bank on or before the as-of date: not counted. */
  hasLeft: boolean;
}

/**
 * One enrollment with one of its certificates (or none) and its newest attempt started by the
 * as-of instant. An enrollment with several certificates comes as consecutive tuples.
 */
export type CertificationFacts = [
  enrollmentId: number, userId: number, courseId: number, assignedAt: string, dueAt: string | null,
  serial: string | null, certificateScore: number | null, issuedAt: string | null, expiresAt: string | null, revokedAt: string | null,
  startedAt: string | null, finishedAt: string | null, completionStatus: string | null, successStatus: string | null, scoreScaled: number | null,
  attemptNumber: number | null, triesCount: number | null, scormSeconds: number | null, measuredSeconds: number | null,
  examEnabled: number | null, examStartedAt: string | null, examSubmittedAt: string | null, examPassed: number | null,
];

/** Positions in a CertificationFacts tuple. */
export const FACT = {
  enrollmentId: 0, userId: 1, courseId: 2, assignedAt: 3, dueAt: 4,
  serial: 5, certificateScore: 6, issuedAt: 7, expiresAt: 8, revokedAt: 9,
  startedAt: 10, finishedAt: 11, completionStatus: 12, successStatus: 13, scoreScaled: 14,
  attemptNumber: 15, triesCount: 16, scormSeconds: 17, measuredSeconds: 18,
  examEnabled: 19, examStartedAt: 20, examSubmittedAt: 21, examPassed: 22,
} as const;

/** Facts tuples grouped by enrollment (consecutive or not), one tuple per certificate. */
export function groupFactsByEnrollment(facts: readonly CertificationFacts[]): Map<number, CertificationFacts[]> {
  const groups = new Map<number, CertificationFacts[]>();
  for (const tuple of facts) {
    const list = groups.get(tuple[FACT.enrollmentId]);
    if (list) list.push(tuple);
    else groups.set(tuple[FACT.enrollmentId], [tuple]);
  }
  return groups;
}

export interface EmployeeRecord {
  id: number; employeeNo: string | null; name: string; position: string | null; status: 'active' | 'left'; leftAt: string | null;
  hiredAt: string | null; branchId: number | null; branchCode: string | null; branchName: string | null; branchPath: string | null;
}

export interface EnrollmentRecord { id: number; courseId: number; courseCode: string; courseTitle: string; source: string; assignedAt: string; dueAt: string | null }
export interface AttemptRecord {
  id: number; courseCode: string; courseTitle: string; number: number; startedAt: string; finishedAt: string | null;
  completionStatus: string; successStatus: string; scoreScaled: number | null;
}
export interface CertificateRecord {
  serial: string; courseCode: string; courseTitle: string; score: number | null; issuedAt: string; expiresAt: string;
  revokedAt: string | null; revokedReason: string | null;
}

export interface SubtreeFilter { path: string; includeSubBranches: boolean }

export const atOrBefore = (column: string) => `(CASE WHEN length(${column}) = 10 THEN ${column} <= @asOfDate ELSE ${column} <= @asOfEnd END)`;
export const HAS_LEFT = `(u.status = 'left' AND (u.left_at IS NULL OR ${atOrBefore('u.left_at')}))`;

// Who sat in a branch: the roster now, or the history row covering the as-of instant.
export const PLACED: Record<Placement, string> = {
  current: 'FROM users u WHERE u.branch_id = @branchId',
  history: `FROM user_branch_history h JOIN users u ON u.id = h.user_id
    WHERE h.branch_id = @branchId AND ${atOrBefore('h.from_at')} AND (h.to_at IS NULL OR NOT ${atOrBefore('h.to_at')})`,
};

export const FACT_COLUMNS = `e.id, e.user_id, e.course_id, e.assigned_at, e.due_at,
  c.serial, c.score, c.issued_at, c.expires_at, c.revoked_at,
  a.started_at, a.finished_at, a.completion_status, a.success_status, a.score_scaled,
  a.number, a.tries_count, a.total_seconds, a.measured_seconds,
  ce.is_enabled, x.started_at, x.submitted_at, x.passed`;

// Every certificate of the (user, course) — the status rules decide which one counts — and the
// attempt the rules look at: the newest one started by the as-of instant (numbers grow with time).
// For today or later every stored attempt has started, so the newest is read from the index alone.
// Courses with an enabled exam add the newest exam attempt of the (user, course), again one
// lookup in an index (exam_attempts' UNIQUE (user_id, course_id, number)) per enrollment.
const certificatesJoin = 'LEFT JOIN certificates c ON c.user_id = e.user_id AND c.course_id = e.course_id';
const examJoin = (startedBy: string) => `LEFT JOIN course_exams ce ON ce.course_id = e.course_id AND ce.is_enabled = 1
  LEFT JOIN exam_attempts x ON ce.course_id IS NOT NULL AND x.id = (SELECT z.id FROM exam_attempts z
    WHERE z.user_id = e.user_id AND z.course_id = e.course_id${startedBy} ORDER BY z.number DESC LIMIT 1)`;
export const FACT_JOINS_BY_PLACEMENT: Record<Placement, string> = {
  current: `${certificatesJoin}
  LEFT JOIN attempts a ON a.id = (SELECT y.id FROM attempts y WHERE y.enrollment_id = e.id ORDER BY y.number DESC LIMIT 1)
  ${examJoin('')}`,
  history: `${certificatesJoin}
  LEFT JOIN attempts a ON a.id = (SELECT y.id FROM attempts y WHERE y.enrollment_id = e.id AND y.started_at <= @asOfEnd
    ORDER BY y.number DESC LIMIT 1)
  ${examJoin(' AND z.started_at <= @asOfEnd')}`,
};
/** Report rows are assigned and imported enrollments; self-enrolment is optional learning. */
export const ASSIGNED = `e.source <> 'self' AND (@courseId IS NULL OR e.course_id = @courseId)`;

const FIELD_SEPARATOR = '\u001f';
const FACT_WIDTH = 23;
const packed = (columns: string[]) => columns.map((c) => `ifnull(${c}, '')`).join(' || char(31) || ');

// The facts of a list of people (JSON array of user ids), packed into one value; see the header.
const packedFactsOfUsers = (placement: Placement) => `SELECT group_concat(${packed(FACT_COLUMNS.split(',').map((c) => c.trim()))}, char(31))
  FROM json_each(@userIds) j JOIN enrollments e ON e.user_id = j.value ${FACT_JOINS_BY_PLACEMENT[placement]}
  WHERE ${ASSIGNED}`;

/**
 * The benchmark's baseline: the same rows, in the same order, in one statement with every name
 * joined in, as the sqlite3 command-line tool would export them as of today (it cannot apply the
 * status rules, so it writes the facts they are computed from). Parameters: @from, @to (a subtree).
 */
export const CERTIFICATION_BASELINE_SQL = `SELECT b.code, b.name, u.employee_no, u.name, u.position, co.code, co.title,
  e.assigned_at, e.due_at, c.serial, c.score, c.issued_at, c.expires_at, c.revoked_at,
  a.started_at, a.finished_at, a.completion_status, a.success_status, a.score_scaled,
  a.number, a.tries_count, a.total_seconds, a.measured_seconds, ce.is_enabled, x.started_at, x.submitted_at, x.passed
  FROM branches b JOIN users u ON u.branch_id = b.id JOIN enrollments e ON e.user_id = u.id JOIN courses co ON co.id = e.course_id
  ${FACT_JOINS_BY_PLACEMENT.current}
  WHERE b.path >= @from AND b.path < @to AND e.source <> 'self'
  ORDER BY b.path, u.employee_no, co.code`;

export const BRANCH_COLUMNS = 'SELECT b.id, b.code, b.name, b.parent_id, p.code AS parent_code, b.path, b.depth FROM branches b LEFT JOIN branches p ON p.id = b.parent_id';

export interface BranchRow { id: number; code: string; name: string; parent_id: number | null; parent_code: string | null; path: string; depth: number }

export class ReportsRepository {
  private readonly stmts;

  constructor(deps: { db: Db }) {
    const { db } = deps;
    const staffSql = (placement: Placement) => `SELECT u.id, u.employee_no, u.name, u.position, ${HAS_LEFT} AS has_left
      ${PLACED[placement]}`;
    const staffPageSql = (placement: Placement) => `SELECT u.id, u.employee_no, u.name, u.position, ${HAS_LEFT} AS has_left
      ${PLACED[placement]} AND NOT ${HAS_LEFT} AND u.employee_no > @after ORDER BY u.employee_no LIMIT @limit`;
    this.stmts = {
      branchByCode: db.prepare(`${BRANCH_COLUMNS} WHERE b.code = ?`),
      // A subtree in path order is a range scan of the unique path index; the single-branch range
      // [path, path + U+0001) holds the branch alone.
      countInRange: db.prepare('SELECT COUNT(*) FROM branches b WHERE b.path >= @from AND b.path < @to').pluck(),
      branchesInRange: db.prepare(`${BRANCH_COLUMNS} WHERE b.path >= @from AND b.path < @to ORDER BY b.path`),
      children: db.prepare(`${BRANCH_COLUMNS} WHERE b.parent_id = ? ORDER BY b.code`),
      childrenWithMore: db.prepare(`SELECT b.id, b.code, b.name, b.parent_id, p.code AS parent_code, b.path, b.depth,
        EXISTS (SELECT 1 FROM branches g WHERE g.parent_id = b.id) AS has_children
        FROM branches b JOIN branches p ON p.id = b.parent_id WHERE b.parent_id = ? ORDER BY b.code`),
      topLevel: db.prepare(`${BRANCH_COLUMNS} WHERE b.parent_id IS NULL ORDER BY b.code`),
      // A former code still names its course (course_code_aliases): old export links keep working.
      courseByCode: db.prepare(`SELECT id, code, title FROM courses WHERE code = @code
        UNION ALL SELECT c.id, c.code, c.title FROM course_code_aliases a JOIN courses c ON c.id = a.course_id WHERE a.code = @code LIMIT 1`),
      courses: db.prepare('SELECT id, code, title FROM courses ORDER BY code'),
      staff: { current: db.prepare(staffSql('current')), history: db.prepare(staffSql('history')) },
      staffPage: { current: db.prepare(staffPageSql('current')), history: db.prepare(staffPageSql('history')) },
      factsOfUsers: { current: db.prepare(packedFactsOfUsers('current')).pluck(), history: db.prepare(packedFactsOfUsers('history')).pluck() },
      employeeByNo: db.prepare(`SELECT u.id, u.employee_no, u.name, u.position, u.status, u.left_at, u.hired_at, u.branch_id,
        b.code AS branch_code, b.name AS branch_name, b.path AS branch_path FROM users u LEFT JOIN branches b ON b.id = u.branch_id
        WHERE u.employee_no = ?`),
      enrollmentsOfUser: db.prepare(`SELECT e.id, e.course_id, co.code, co.title, e.source, e.assigned_at, e.due_at
        FROM enrollments e JOIN courses co ON co.id = e.course_id WHERE e.user_id = ? ORDER BY co.code`),
      attemptsOfUser: db.prepare(`SELECT a.id, co.code, co.title, a.number, a.started_at, a.finished_at, a.completion_status,
        a.success_status, a.score_scaled FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id JOIN courses co ON co.id = e.course_id
        WHERE e.user_id = ? ORDER BY co.code, a.number`),
      certificatesOfUser: db.prepare(`SELECT c.serial, co.code, co.title, c.score, c.issued_at, c.expires_at, c.revoked_at, c.revoked_reason
        FROM certificates c JOIN courses co ON co.id = c.course_id WHERE c.user_id = ? ORDER BY c.issued_at DESC`),
    };
  }

  async findBranchByCode(code: string): Promise<ReportBranch | null> {
    return toBranch(this.stmts.branchByCode.get(code) as BranchRow | undefined);
  }

  async findCourseByCode(code: string): Promise<ReportCourse | null> {
    return (this.stmts.courseByCode.get({ code }) as ReportCourse | undefined) ?? null;
  }

  async listCourses(): Promise<ReportCourse[]> {
    return this.stmts.courses.all() as ReportCourse[];
  }

  /** The branch and, when asked, everything under it, parents before children. */
  async listBranches(filter: SubtreeFilter): Promise<ReportBranch[]> {
    const range = filter.includeSubBranches ? subtreeRange(filter.path) : { from: filter.path, to: `${filter.path}\u0001` };
    return (this.stmts.branchesInRange.all(range) as BranchRow[]).map((row) => toBranch(row)!);
  }

  async listChildren(parentId: number | null): Promise<ReportBranch[]> {
    const rows = (parentId === null ? this.stmts.topLevel.all() : this.stmts.children.all(parentId)) as BranchRow[];
    return rows.map((row) => toBranch(row)!);
  }

  /** How many branches a subtree holds (the branch included). Synchronous. */
  countBranchesUnder(path: string): number {
    return this.stmts.countInRange.get(subtreeRange(path)) as number;
  }

  /** The branch's children, each saying whether it has children of its own. Synchronous. */
  childBranches(parentId: number): Array<ReportBranch & { hasChildren: boolean }> {
    return (this.stmts.childrenWithMore.all(parentId) as Array<BranchRow & { has_children: number }>)
      .map((row) => ({ ...toBranch(row)!, hasChildren: row.has_children === 1 }));
  }

  /** listCourses, synchronous (for reads inside one transaction). */
  coursesNow(): ReportCourse[] {
    return this.stmts.courses.all() as ReportCourse[];
  }

  /** listStaffPage, synchronous (for reads inside one transaction). */
  staffPageNow(branchId: number, asOf: AsOf, page: { after: string; limit: number }): StaffMember[] {
    const rows = this.stmts.staffPage[asOf.placement].all({ branchId, asOfDate: asOf.date, asOfEnd: asOf.endIso, ...page }) as StaffRow[];
    return rows.map(toStaff);
  }

  /** Everyone placed in one branch on the as-of date (leavers flagged), by employee number. The read is done before the first await: see the header. */
  async staffOfBranch(branchId: number, asOf: AsOf): Promise<StaffMember[]> {
    const rows = this.stmts.staff[asOf.placement].all({ branchId, asOfDate: asOf.date, asOfEnd: asOf.endIso }) as StaffRow[];
    // Sorted here: a sort per branch inside SQLite costs more than in JavaScript.
    return rows.map(toStaff).sort(byEmployeeNo);
  }

  /** One page of the people counted in a branch (keyset by employee number). */
  async listStaffPage(branchId: number, asOf: AsOf, page: { after: string; limit: number }): Promise<StaffMember[]> {
    return this.staffPageNow(branchId, asOf, page);
  }

  /**
   * Certification facts of these people (a few hundred at a time keeps memory flat), grouped by
   * person in the order given, by course within a person. The read is done before the first await: see the header.
   */
  async listFactsOfUsers(userIds: readonly number[], asOf: AsOf, courseId: number | null): Promise<CertificationFacts[]> {
    return this.factsOfUsersNow(userIds, asOf, courseId);
  }

  /** listFactsOfUsers, synchronous (for reads inside one transaction). */
  factsOfUsersNow(userIds: readonly number[], asOf: AsOf, courseId: number | null): CertificationFacts[] {
    if (userIds.length === 0) return [];
    const text = this.stmts.factsOfUsers[asOf.placement].get({ userIds: JSON.stringify(userIds), asOfEnd: asOf.endIso, courseId }) as string | null;
    return text === null ? [] : unpackFacts(text);
  }

  async listUserFacts(userId: number, asOf: AsOf): Promise<CertificationFacts[]> {
    return this.listFactsOfUsers([userId], asOf, null);
  }

  async findEmployeeByNo(employeeNo: string): Promise<EmployeeRecord | null> {
    const row = this.stmts.employeeByNo.get(employeeNo) as EmployeeRow | undefined;
    if (!row) return null;
    return {
      id: row.id, employeeNo: row.employee_no, name: row.name, position: row.position, status: row.status, leftAt: row.left_at,
      hiredAt: row.hired_at, branchId: row.branch_id, branchCode: row.branch_code, branchName: row.branch_name, branchPath: row.branch_path,
    };
  }

  async listEnrollmentsOfUser(userId: number): Promise<EnrollmentRecord[]> {
    return (this.stmts.enrollmentsOfUser.all(userId) as Array<{ id: number; course_id: number; code: string; title: string; source: string; assigned_at: string; due_at: string | null }>)
      .map((r) => ({ id: r.id, courseId: r.course_id, courseCode: r.code, courseTitle: r.title, source: r.source, assignedAt: r.assigned_at, dueAt: r.due_at }));
  }

  async listAttemptsOfUser(userId: number): Promise<AttemptRecord[]> {
    return (this.stmts.attemptsOfUser.all(userId) as Array<{ id: number; code: string; title: string; number: number; started_at: string; finished_at: string | null; completion_status: string; success_status: string; score_scaled: number | null }>)
      .map((r) => ({
        id: r.id, courseCode: r.code, courseTitle: r.title, number: r.number, startedAt: r.started_at, finishedAt: r.finished_at,
        completionStatus: r.completion_status, successStatus: r.success_status, scoreScaled: r.score_scaled,
      }));
  }

  async listCertificatesOfUser(userId: number): Promise<CertificateRecord[]> {
    return (this.stmts.certificatesOfUser.all(userId) as Array<{ serial: string; code: string; title: string; score: number | null; issued_at: string; expires_at: string; revoked_at: string | null; revoked_reason: string | null }>)
      .map((r) => ({
        serial: r.serial, courseCode: r.code, courseTitle: r.title, score: r.score, issuedAt: r.issued_at, expiresAt: r.expires_at,
        revokedAt: r.revoked_at, revokedReason: r.revoked_reason,
      }));
  }
}

function unpackFacts(text: string): CertificationFacts[] {
  const parts = text.split(FIELD_SEPARATOR);
  const facts: CertificationFacts[] = new Array(parts.length / FACT_WIDTH);
  for (let i = 0, row = 0; i < parts.length; i += FACT_WIDTH, row++) {
    facts[row] = [
      Number(parts[i]), Number(parts[i + 1]), Number(parts[i + 2]), parts[i + 3], orNull(parts[i + 4]),
      orNull(parts[i + 5]), orNumber(parts[i + 6]), orNull(parts[i + 7]), orNull(parts[i + 8]), orNull(parts[i + 9]),
      orNull(parts[i + 10]), orNull(parts[i + 11]), orNull(parts[i + 12]), orNull(parts[i + 13]), orNumber(parts[i + 14]),
      orNumber(parts[i + 15]), orNumber(parts[i + 16]), orNumber(parts[i + 17]), orNumber(parts[i + 18]),
      orNumber(parts[i + 19]), orNull(parts[i + 20]), orNull(parts[i + 21]), orNumber(parts[i + 22]),
    ];
  }
  return facts;
}

// Empty text is how the packed form carries NULL: no stored timestamp, serial or status is empty.
function orNull(text: string): string | null {
  return text === '' ? null : text;
}

function orNumber(text: string): number | null {
  return text === '' ? null : Number(text);
}

export interface StaffRow { id: number; employee_no: string | null; name: string; position: string | null; has_left: number }
export interface EmployeeRow {
  id: number; employee_no: string | null; name: string; position: string | null; status: 'active' | 'left'; left_at: string | null;
  hired_at: string | null; branch_id: number | null; branch_code: string | null; branch_name: string | null; branch_path: string | null;
}

export function byEmployeeNo(a: StaffMember, b: StaffMember): number {
  const x = a.employeeNo ?? '';
  const y = b.employeeNo ?? '';
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
}

function toStaff(row: StaffRow): StaffMember {
  return { id: row.id, employeeNo: row.employee_no, name: row.name, position: row.position, hasLeft: row.has_left === 1 };
}

export function toBranch(row: BranchRow | undefined): ReportBranch | null {
  if (!row) return null;
  return { id: row.id, code: row.code, name: row.name, parentId: row.parent_id, parentCode: row.parent_code, path: row.path, depth: row.depth };
}

/** Synchronous reads for one SQLite read transaction (branch-snapshot.ts, in the summary worker): not part of the store. */
type SqliteOnly = 'countBranchesUnder' | 'childBranches' | 'coursesNow' | 'staffPageNow' | 'factsOfUsersNow';

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type ReportsStore = Omit<PublicOf<ReportsRepository>, SqliteOnly>;
