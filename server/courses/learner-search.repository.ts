/**
 * SQL for the filtered learner list (issue 17): every search walks an index in the page's order,
 * so a page reads about as many index entries as it shows, whatever the course's size:
 *
 * - employee number prefix: enrollments_course_learner (course, number copied on the enrollment, user)
 * - name prefix:            users_name, then the (user, course) enrollment key
 * - branch subtree:         branches by path, then users_branch_employee_no per branch, then the enrollment key
 * - nothing:                enrollments_course_learner, as the unfiltered page
 *
 * A branch given with a number or name search filters those (the prefix already narrows the walk).
 * CROSS JOIN fixes the join order (SQLite never reorders it), so the plan does not depend on statistics.
 * Statuses are not stored (they depend on the date), so the status filter lives in the service.
 */
import type { Db } from '../db/open-database.js';
import type { PublicOf } from '../db/store.js';
import { subtreeRange } from '../shared/branch-path.js';
import type { LearnerRow } from './insights.repository.js';

export type SearchMode = 'all' | 'number' | 'name' | 'branch';

export interface LearnerQuery {
  mode: SearchMode;
  /** The prefix typed (number or name mode). */
  prefix: string | null;
  /** The branch subtree (materialised path), or null for the whole course. */
  branchPath: string | null;
}

/** Where a page starts: after this row in the mode's order. `key` is the number or the name; `path` the branch (branch mode). */
export interface SearchCursor { key: string; path: string; userId: number }

export interface FoundLearner extends LearnerRow { cursor: SearchCursor; branchCode: string | null; position: string | null }

// Roster dates may be bare local dates: compare those with the date, instants with the day's end.
const HAS_LEFT = `(u.status = 'left' AND (u.left_at IS NULL OR (CASE WHEN length(u.left_at) = 10 THEN u.left_at <= @asOfDate ELSE u.left_at <= @asOfEnd END)))`;
const COLUMNS = `e.id AS enrollment_id, e.user_id, u.employee_no, u.name, u.position, b.name AS branch_name, b.code AS branch_code, b.path AS branch_path,
  e.source, e.retakes_granted, ${HAS_LEFT} AS has_left`;
/** Optional subtree filter for the prefix searches (the user's branch row is already joined as b). */
const IN_BRANCH = '(@from IS NULL OR (b.path >= @from AND b.path < @to))';
/** Above every UTF-8 text that starts with the prefix (U+10FFFF is the largest code point). */
const PREFIX_END = '\u{10FFFF}';

export class LearnerSearchRepository {
  private readonly stmts;

  constructor(deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      all: db.prepare(`SELECT ${COLUMNS}
        FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
        WHERE e.course_id = @courseId AND (e.learner_no, e.user_id) > (@afterKey, @afterId)
        ORDER BY e.learner_no, e.user_id LIMIT @limit`),
      number: db.prepare(`SELECT ${COLUMNS}
        FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
        WHERE e.course_id = @courseId AND e.learner_no >= max(@low, @afterKey) AND e.learner_no < @high
          AND (e.learner_no, e.user_id) > (@afterKey, @afterId) AND ${IN_BRANCH}
        ORDER BY e.learner_no, e.user_id LIMIT @limit`),
      name: db.prepare(`SELECT ${COLUMNS}
        FROM users u CROSS JOIN enrollments e ON e.user_id = u.id AND e.course_id = @courseId LEFT JOIN branches b ON b.id = u.branch_id
        WHERE u.name >= max(@low, @afterKey) AND u.name < @high AND (u.name, u.id) > (@afterKey, @afterId) AND ${IN_BRANCH}
        ORDER BY u.name, u.id LIMIT @limit`),
      branch: db.prepare(`SELECT ${COLUMNS}
        FROM branches b CROSS JOIN users u ON u.branch_id = b.id CROSS JOIN enrollments e ON e.user_id = u.id AND e.course_id = @courseId
        WHERE b.path >= max(@from, @afterPath) AND b.path < @to
          AND (b.path > @afterPath OR (ifnull(u.employee_no, ''), u.id) > (@afterKey, @afterId))
        ORDER BY b.path, u.employee_no, u.id LIMIT @limit`),
    };
  }

  /** The statement a query runs (for the query-plan test). */
  statementOf(mode: SearchMode) {
    return this.stmts[mode];
  }

  /** Parameters of a query, as `find` binds them. */
  paramsOf(courseId: number, query: LearnerQuery, after: SearchCursor | null, limit: number, asOf: { date: string; endIso: string }) {
    const range = query.branchPath ? subtreeRange(query.branchPath) : { from: null, to: null };
    const prefix = query.prefix ?? '';
    return {
      courseId, limit, asOfDate: asOf.date, asOfEnd: asOf.endIso, ...range,
      ...(query.mode === 'number' || query.mode === 'name' ? { low: prefix, high: prefix + PREFIX_END } : {}),
      ...(query.mode === 'branch' ? { afterPath: after?.path ?? '' } : {}),
      afterKey: after?.key ?? '', afterId: after?.userId ?? 0,
    };
  }

  /** Up to `limit` learners of the course matching the query, after the cursor, in the mode's order. */
  async find(courseId: number, query: LearnerQuery, after: SearchCursor | null, limit: number, asOf: { date: string; endIso: string }): Promise<FoundLearner[]> {
    if (query.mode === 'branch' && !query.branchPath) throw new Error('branch mode needs a branch');
    const params = this.paramsOf(courseId, query, after, limit, asOf);
    const stmt = this.stmts[query.mode];
    // A statement binds only the names it uses.
    const used = Object.fromEntries(Object.entries(params).filter(([name]) => stmt.source.includes(`@${name}`)));
    return (stmt.all(used) as FoundRow[]).map((r) => ({
      enrollmentId: r.enrollment_id, userId: r.user_id, employeeNo: r.employee_no, name: r.name, branchName: r.branch_name,
      branchCode: r.branch_code, position: r.position, source: r.source, retakesGranted: r.retakes_granted, hasLeft: r.has_left === 1,
      cursor: {
        key: query.mode === 'name' ? r.name : (r.employee_no ?? ''),
        path: query.mode === 'branch' ? (r.branch_path ?? '') : '', userId: r.user_id,
      },
    }));
  }
}

interface FoundRow {
  enrollment_id: number; user_id: number; employee_no: string | null; name: string; position: string | null;
  branch_name: string | null; branch_code: string | null; branch_path: string | null;
  source: string; retakes_granted: number; has_left: number;
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type LearnerSearchStore = Omit<PublicOf<LearnerSearchRepository>, 'statementOf' | 'paramsOf'>;
