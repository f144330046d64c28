/**
 * SQL for people search and the extras of a person's page (issue 17). Searches walk an index:
 * employee numbers through the users.employee_no key, names through users_name; a scope is a
 * filter on the branch path of each hit, so a page reads about as many entries as it shows for
 * whole-bank users, and a bounded range of the prefix for a scoped one.
 */
import type { Db } from '../db/open-database.js';
import type { PublicOf } from '../db/store.js';
import { subtreeRange } from '../shared/branch-path.js';

export interface PersonHit {
  id: number; employeeNo: string | null; name: string; position: string | null; status: 'active' | 'left';
  branchCode: string | null; branchName: string | null;
}

export interface PeopleCursor { key: string; id: number }

export interface ExamAttemptRow { courseCode: string; courseTitle: string; number: number; startedAt: string; submittedAt: string | null; score: number | null; passed: boolean | null; submittedBy: string | null }

export interface CoverRow {
  courseCode: string; courseTitle: string; source: string; assignedAt: string; dueAt: string | null;
  branchCode: string | null; branchName: string | null; includeSubBranches: boolean | null; positions: string[] | null;
  dueDate: string | null; dueDays: number | null; dueBasis: string | null; hasAssignment: boolean;
}

/** Above every UTF-8 text that starts with the prefix. */
export const PREFIX_END = '\u{10FFFF}';
/** Index entries a scoped search looks through per page at most (hits outside the scope are skipped). */
export const MAX_WALK = 2_000;

const HIT = `u.id, u.employee_no, u.name, u.position, u.status, b.code AS branch_code, b.name AS branch_name, b.path AS branch_path`;

export class PeopleRepository {
  private readonly stmts;

  constructor(deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      byNumber: db.prepare(`SELECT ${HIT} FROM users u LEFT JOIN branches b ON b.id = u.branch_id
        WHERE u.employee_no >= max(@low, @afterKey) AND u.employee_no < @high AND (u.employee_no, u.id) > (@afterKey, @afterId)
        ORDER BY u.employee_no, u.id LIMIT @limit`),
      byName: db.prepare(`SELECT ${HIT} FROM users u LEFT JOIN branches b ON b.id = u.branch_id
        WHERE u.name >= max(@low, @afterKey) AND u.name < @high AND (u.name, u.id) > (@afterKey, @afterId)
        ORDER BY u.name, u.id LIMIT @limit`),
      examAttempts: db.prepare(`SELECT c.code, c.title, x.number, x.started_at, x.submitted_at, x.score, x.passed, x.submitted_by
        FROM exam_attempts x JOIN courses c ON c.id = x.course_id WHERE x.user_id = ? ORDER BY c.code, x.number`),
      covers: db.prepare(`SELECT c.code, c.title, e.source, e.assigned_at, e.due_at, a.id AS assignment_id, b.code AS branch_code, b.name AS branch_name,
          a.include_sub_branches, a.positions_json, a.due_date, a.due_days, a.due_basis
        FROM enrollments e JOIN courses c ON c.id = e.course_id LEFT JOIN assignments a ON a.id = e.assignment_id LEFT JOIN branches b ON b.id = a.branch_id
        WHERE e.user_id = ? AND e.source <> 'self' ORDER BY c.code`),
    };
  }

  /** The statement of a search kind (for the query-plan test). */
  statementOf(kind: 'number' | 'name') {
    return kind === 'number' ? this.stmts.byNumber : this.stmts.byName;
  }

  /**
   * Up to `limit` people whose number (or name) starts with the prefix, after the cursor, inside
   * the scopes (null: everyone). Reads at most MAX_WALK entries; `next` says where to go on.
   */
  async search(kind: 'number' | 'name', prefix: string, scopes: string[] | null, after: PeopleCursor | null, limit: number): Promise<{ hits: PersonHit[]; next: PeopleCursor | null }> {
    const stmt = this.statementOf(kind);
    const ranges = scopes?.map(subtreeRange) ?? null;
    const hits: PersonHit[] = [];
    let cursor = after;
    let walked = 0;
    const step = Math.min(limit * 4, 500);
    for (;;) {
      const rows = stmt.all({ low: prefix, high: prefix + PREFIX_END, afterKey: cursor?.key ?? '', afterId: cursor?.id ?? 0, limit: step }) as HitRow[];
      for (const r of rows) {
        walked++;
        cursor = { key: kind === 'number' ? r.employee_no ?? '' : r.name, id: r.id };
        if (ranges && !(r.branch_path && ranges.some((g) => r.branch_path! >= g.from && r.branch_path! < g.to))) continue;
        hits.push(toHit(r));
        if (hits.length === limit) return { hits, next: cursor };
      }
      if (rows.length < step) return { hits, next: null };
      if (walked >= MAX_WALK) return { hits, next: cursor };
    }
  }

  async examAttemptsOf(userId: number): Promise<ExamAttemptRow[]> {
    return (this.stmts.examAttempts.all(userId) as Array<{ code: string; title: string; number: number; started_at: string; submitted_at: string | null; score: number | null; passed: number | null; submitted_by: string | null }>)
      .map((r) => ({ courseCode: r.code, courseTitle: r.title, number: r.number, startedAt: r.started_at, submittedAt: r.submitted_at, score: r.score, passed: r.passed === null ? null : r.passed === 1, submittedBy: r.submitted_by }));
  }

  /** Why the person must take each course: the assignment behind it (branch, positions, due rule); self-enrolled courses are optional learning, not listed. */
  async coversOf(userId: number): Promise<CoverRow[]> {
    return (this.stmts.covers.all(userId) as Array<{ code: string; title: string; source: string; assigned_at: string; due_at: string | null; assignment_id: number | null; branch_code: string | null; branch_name: string | null;
      include_sub_branches: number | null; positions_json: string | null; due_date: string | null; due_days: number | null; due_basis: string | null }>)
      .map((r) => ({
        courseCode: r.code, courseTitle: r.title, source: r.source, assignedAt: r.assigned_at, dueAt: r.due_at, hasAssignment: r.assignment_id !== null,
        branchCode: r.branch_code, branchName: r.branch_name, includeSubBranches: r.include_sub_branches === null ? null : r.include_sub_branches === 1,
        positions: r.positions_json === null ? null : JSON.parse(r.positions_json) as string[], dueDate: r.due_date, dueDays: r.due_days, dueBasis: r.due_basis,
      }));
  }
}

export interface HitRow { id: number; employee_no: string | null; name: string; position: string | null; status: 'active' | 'left'; branch_code: string | null; branch_name: string | null; branch_path: string | null }

export function toHit(r: HitRow): PersonHit {
  return { id: r.id, employeeNo: r.employee_no, name: r.name, position: r.position, status: r.status, branchCode: r.branch_code, branchName: r.branch_name };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type PeopleStore = Omit<PublicOf<PeopleRepository>, 'statementOf'>;
