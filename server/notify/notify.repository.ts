/**
 * The SQL of the reminder job: who to walk (page by page), who gets an hr digest, and what was
 * sent already. Claiming and releasing dedupe keys stays in CertificationRepository.
 */
import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { Locale } from '../config.js';

/** An active user with at least one assigned (not self-enrolled) course. */
export interface Learner {
  id: number; employeeNo: string | null; name: string; email: string | null; locale: Locale | null;
  branchPath: string | null; branchName: string | null;
}

/** One hr grant of an active user; scopePath null means the whole bank. */
export interface HrGrant {
  userId: number; name: string; email: string | null; locale: Locale | null;
  scopeCode: string | null; scopeName: string | null; scopePath: string | null;
}

export interface NotifyCourse { id: number; code: string; title: string; isPublished: boolean }

export interface LearnerRow {
  id: number; employee_no: string | null; name: string; email: string | null; locale: Locale | null; branch_path: string | null; branch_name: string | null;
}
export interface HrRow {
  user_id: number; name: string; email: string | null; locale: Locale | null; scope_code: string | null; scope_name: string | null; scope_path: string | null;
}

export class NotifyRepository {
  private readonly stmts;

  constructor(deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      learnersPage: db.prepare(`SELECT u.id, u.employee_no, u.name, u.email, u.locale, b.path AS branch_path, b.name AS branch_name
        FROM users u LEFT JOIN branches b ON b.id = u.branch_id
        WHERE u.status = 'active' AND u.id > @after AND EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.source <> 'self')
        ORDER BY u.id LIMIT @limit`),
      hrGrants: db.prepare(`SELECT u.id AS user_id, u.name, u.email, u.locale, b.code AS scope_code, b.name AS scope_name, b.path AS scope_path
        FROM user_roles r JOIN users u ON u.id = r.user_id LEFT JOIN branches b ON b.id = r.scope_branch_id
        WHERE r.role = 'hr' AND u.status = 'active' ORDER BY u.id, b.path`),
      courses: db.prepare('SELECT id, code, title, status FROM courses'),
      wasSent: db.prepare('SELECT 1 FROM notifications_sent WHERE dedupe_key = ?').pluck(),
    };
  }

  /** The next page of learners after user id `after`, by id. */
  async listLearners(after: number, limit: number): Promise<Learner[]> {
    return (this.stmts.learnersPage.all({ after, limit }) as LearnerRow[]).map((r) => ({
      id: r.id, employeeNo: r.employee_no, name: r.name, email: r.email, locale: r.locale, branchPath: r.branch_path, branchName: r.branch_name,
    }));
  }

  /** Every hr grant of an active user (admins without an hr grant are not here), by user. */
  async listHrGrants(): Promise<HrGrant[]> {
    return (this.stmts.hrGrants.all() as HrRow[]).map((r) => ({
      userId: r.user_id, name: r.name, email: r.email, locale: r.locale, scopeCode: r.scope_code, scopeName: r.scope_name, scopePath: r.scope_path,
    }));
  }

  async listCourses(): Promise<NotifyCourse[]> {
    return (this.stmts.courses.all() as Array<{ id: number; code: string; title: string; status: string }>)
      .map((r) => ({ id: r.id, code: r.code, title: r.title, isPublished: r.status === 'published' }));
  }

  /** For dry runs, which claim nothing. */
  async wasSent(dedupeKey: string): Promise<boolean> {
    return this.stmts.wasSent.get(dedupeKey) !== undefined;
  }
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type NotifyStore = PublicOf<NotifyRepository>;
