import type { PgPool } from '../db/postgres/pool.js';
import type { HrGrant, HrRow, Learner, LearnerRow, NotifyCourse, NotifyStore } from './notify.repository.js';

/** The reminder job's reads on PostgreSQL (see notify.repository.ts): learners a page at a time by id. */
export class PgNotifyRepository implements NotifyStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  async listLearners(after: number, limit: number): Promise<Learner[]> {
    const { rows } = await this.deps.pool.query<LearnerRow>(`SELECT u.id, u.employee_no, u.name, u.email, u.locale, b.path AS branch_path, b.name AS branch_name
      FROM users u LEFT JOIN branches b ON b.id = u.branch_id
      WHERE u.status = 'active' AND u.id > $1 AND EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.source <> 'self')
      ORDER BY u.id LIMIT $2`, [after, limit]);
    return rows.map((r) => ({
      id: r.id, employeeNo: r.employee_no, name: r.name, email: r.email, locale: r.locale, branchPath: r.branch_path, branchName: r.branch_name,
    }));
  }

  /** One row per hr grant: as many as there are hr people (hundreds), as on SQLite. */
  async listHrGrants(): Promise<HrGrant[]> {
    const { rows } = await this.deps.pool.query<HrRow>(`SELECT u.id AS user_id, u.name, u.email, u.locale, b.code AS scope_code, b.name AS scope_name, b.path AS scope_path
      FROM user_roles r JOIN users u ON u.id = r.user_id LEFT JOIN branches b ON b.id = r.scope_branch_id
      WHERE r.role = 'hr' AND u.status = 'active' ORDER BY u.id, b.path`);
    return rows.map((r) => ({
      userId: r.user_id, name: r.name, email: r.email, locale: r.locale, scopeCode: r.scope_code, scopeName: r.scope_name, scopePath: r.scope_path,
    }));
  }

  async listCourses(): Promise<NotifyCourse[]> {
    const { rows } = await this.deps.pool.query<{ id: number; code: string; title: string; status: string }>('SELECT id, code, title, status FROM courses');
    return rows.map((r) => ({ id: r.id, code: r.code, title: r.title, isPublished: r.status === 'published' }));
  }

  async wasSent(dedupeKey: string): Promise<boolean> {
    return ((await this.deps.pool.query('SELECT 1 FROM notifications_sent WHERE dedupe_key = $1', [dedupeKey])).rowCount ?? 0) > 0;
  }
}
