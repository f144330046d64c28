/** People search and a person's page extras on PostgreSQL (see people.repository.ts for the walks). */
import type { PgPool } from '../db/postgres/pool.js';
import { subtreeRange } from '../shared/branch-path.js';
import { MAX_WALK, PREFIX_END, toHit, type CoverRow, type ExamAttemptRow, type HitRow, type PeopleCursor, type PeopleStore, type PersonHit } from './people.repository.js';

const HIT = `u.id, u.employee_no, u.name, u.position, u.status, b.code AS branch_code, b.name AS branch_name, b.path AS branch_path`;

const SEARCH = {
  number: `SELECT ${HIT} FROM users u LEFT JOIN branches b ON b.id = u.branch_id
    WHERE u.employee_no >= $1 AND u.employee_no < $2 AND (u.employee_no, u.id) > ($3, $4)
    ORDER BY u.employee_no, u.id LIMIT $5`,
  name: `SELECT ${HIT} FROM users u LEFT JOIN branches b ON b.id = u.branch_id
    WHERE u.name >= $1 AND u.name < $2 AND (u.name, u.id) > ($3, $4)
    ORDER BY u.name, u.id LIMIT $5`,
};

export class PgPeopleRepository implements PeopleStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  /** As the SQLite twin: pages of the index range, scope filtered here, at most MAX_WALK entries a call. */
  async search(kind: 'number' | 'name', prefix: string, scopes: string[] | null, after: PeopleCursor | null, limit: number): Promise<{ hits: PersonHit[]; next: PeopleCursor | null }> {
    const ranges = scopes?.map(subtreeRange) ?? null;
    const hits: PersonHit[] = [];
    let cursor = after;
    let walked = 0;
    const step = Math.min(limit * 4, 500);
    for (;;) {
      const { rows } = await this.deps.pool.query<HitRow>(SEARCH[kind], [prefix, prefix + PREFIX_END, cursor?.key ?? '', cursor?.id ?? 0, step]);
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
    const { rows } = await this.deps.pool.query<{ code: string; title: string; number: number; started_at: string; submitted_at: string | null; score: number | null; passed: number | null; submitted_by: string | null }>(
      `SELECT c.code, c.title, x.number, x.started_at, x.submitted_at, x.score, x.passed, x.submitted_by
        FROM exam_attempts x JOIN courses c ON c.id = x.course_id WHERE x.user_id = $1 ORDER BY c.code, x.number`, [userId]);
    return rows.map((r) => ({ courseCode: r.code, courseTitle: r.title, number: r.number, startedAt: r.started_at, submittedAt: r.submitted_at, score: r.score, passed: r.passed === null ? null : r.passed === 1, submittedBy: r.submitted_by }));
  }

  /** Why the person must take each course (see the SQLite twin). */
  async coversOf(userId: number): Promise<CoverRow[]> {
    const { rows } = await this.deps.pool.query<{ code: string; title: string; source: string; assigned_at: string; due_at: string | null; assignment_id: number | null; branch_code: string | null; branch_name: string | null;
      include_sub_branches: number | null; positions_json: string | null; due_date: string | null; due_days: number | null; due_basis: string | null }>(
      `SELECT c.code, c.title, e.source, e.assigned_at, e.due_at, a.id AS assignment_id, b.code AS branch_code, b.name AS branch_name,
          a.include_sub_branches, a.positions_json, a.due_date, a.due_days, a.due_basis
        FROM enrollments e JOIN courses c ON c.id = e.course_id LEFT JOIN assignments a ON a.id = e.assignment_id LEFT JOIN branches b ON b.id = a.branch_id
        WHERE e.user_id = $1 AND e.source <> 'self' ORDER BY c.code`, [userId]);
    return rows.map((r) => ({
      courseCode: r.code, courseTitle: r.title, source: r.source, assignedAt: r.assigned_at, dueAt: r.due_at, hasAssignment: r.assignment_id !== null,
      branchCode: r.branch_code, branchName: r.branch_name, includeSubBranches: r.include_sub_branches === null ? null : r.include_sub_branches === 1,
      positions: r.positions_json === null ? null : JSON.parse(r.positions_json) as string[], dueDate: r.due_date, dueDays: r.due_days, dueBasis: r.due_basis,
    }));
  }
}
