/**
 * The filtered learner list on PostgreSQL (see learner-search.repository.ts for the walks). The
 * same keyset queries with PostgreSQL's row comparisons; names and numbers order by the
 * database's collation (the test server's and the documented set-up's is C, SQLite's order).
 */
import type { PgPool } from '../db/postgres/pool.js';
import { named } from '../db/postgres/named.js';
import { subtreeRange } from '../shared/branch-path.js';
import type { FoundLearner, LearnerQuery, LearnerSearchStore, SearchCursor, SearchMode } from './learner-search.repository.js';

const HAS_LEFT = `(u.status = 'left' AND (u.left_at IS NULL OR (CASE WHEN length(u.left_at) = 10 THEN u.left_at <= @asOfDate ELSE u.left_at <= @asOfEnd END)))`;
const COLUMNS = `e.id AS enrollment_id, e.user_id, u.employee_no, u.name, u.position, b.name AS branch_name, b.code AS branch_code, b.path AS branch_path,
  e.source, e.retakes_granted, ${HAS_LEFT} AS has_left`;
const IN_BRANCH = '(@from::text IS NULL OR (b.path >= @from AND b.path < @to))';
const PREFIX_END = '\u{10FFFF}';

const SQL: Record<SearchMode, string> = {
  all: `SELECT ${COLUMNS}
    FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
    WHERE e.course_id = @courseId AND (e.learner_no, e.user_id) > (@afterKey, @afterId)
    ORDER BY e.learner_no, e.user_id LIMIT @limit`,
  number: `SELECT ${COLUMNS}
    FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
    WHERE e.course_id = @courseId AND e.learner_no >= @low AND e.learner_no < @high
      AND (e.learner_no, e.user_id) > (@afterKey, @afterId) AND ${IN_BRANCH}
    ORDER BY e.learner_no, e.user_id LIMIT @limit`,
  name: `SELECT ${COLUMNS}
    FROM users u JOIN enrollments e ON e.user_id = u.id AND e.course_id = @courseId LEFT JOIN branches b ON b.id = u.branch_id
    WHERE u.name >= @low AND u.name < @high AND (u.name, u.id) > (@afterKey, @afterId) AND ${IN_BRANCH}
    ORDER BY u.name, u.id LIMIT @limit`,
  branch: `SELECT ${COLUMNS}
    FROM branches b JOIN users u ON u.branch_id = b.id JOIN enrollments e ON e.user_id = u.id AND e.course_id = @courseId
    WHERE b.path >= @from AND b.path >= @afterPath AND b.path < @to
      AND (b.path > @afterPath OR (COALESCE(u.employee_no, ''), u.id) > (@afterKey, @afterId))
    ORDER BY b.path, COALESCE(u.employee_no, ''), u.id LIMIT @limit`,
};

interface FoundRow {
  enrollment_id: number; user_id: number; employee_no: string | null; name: string; position: string | null;
  branch_name: string | null; branch_code: string | null; branch_path: string | null;
  source: string; retakes_granted: number; has_left: boolean;
}

export class PgLearnerSearchRepository implements LearnerSearchStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  async find(courseId: number, query: LearnerQuery, after: SearchCursor | null, limit: number, asOf: { date: string; endIso: string }): Promise<FoundLearner[]> {
    if (query.mode === 'branch' && !query.branchPath) throw new Error('branch mode needs a branch');
    const range = query.branchPath ? subtreeRange(query.branchPath) : { from: null, to: null };
    const prefix = query.prefix ?? '';
    const { text, values } = named(SQL[query.mode], {
      courseId, limit, asOfDate: asOf.date, asOfEnd: asOf.endIso, ...range, low: prefix, high: prefix + PREFIX_END,
      afterPath: after?.path ?? '', afterKey: after?.key ?? '', afterId: after?.userId ?? 0,
    });
    const { rows } = await this.deps.pool.query<FoundRow>(text, values);
    return rows.map((r) => ({
      enrollmentId: r.enrollment_id, userId: r.user_id, employeeNo: r.employee_no, name: r.name, branchName: r.branch_name,
      branchCode: r.branch_code, position: r.position, source: r.source, retakesGranted: r.retakes_granted, hasLeft: r.has_left,
      cursor: {
        key: query.mode === 'name' ? r.name : (r.employee_no ?? ''),
        path: query.mode === 'branch' ? (r.branch_path ?? '') : '', userId: r.user_id,
      },
    }));
  }
}
