import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { translateSqliteError } from '../db/sqlite-errors.js';
import { subtreeRange } from '../shared/branch-path.js';
import type { Locale } from '../config.js';

export type Role = 'employee' | 'trainer' | 'hr' | 'admin';
export const ROLES: readonly Role[] = ['employee', 'trainer', 'hr', 'admin'];

export interface RoleGrant { id: number; role: Role; scopeBranchId: number | null; scopeBranchCode: string | null; scopePath: string | null }

export interface User {
  id: number; username: string; employeeNo: string | null; name: string; email: string | null;
  branchId: number | null; branchCode: string | null; branchName: string | null; branchPath: string | null;
  position: string | null; hiredAt: string | null; status: 'active' | 'left'; locale: Locale | null;
}

export interface UserInput {
  username: string; employeeNo: string | null; name: string; email: string | null; branchId: number | null;
  position: string | null; hiredAt: string | null; status: 'active' | 'left';
}

interface UserRow {
  id: number; username: string; employee_no: string | null; name: string; email: string | null;
  branch_id: number | null; branch_code: string | null; branch_name: string | null; branch_path: string | null;
  position: string | null; hired_at: string | null; status: 'active' | 'left'; locale: Locale | null;
}

const SELECT = `SELECT u.id, u.username, u.employee_no, u.name, u.email, u.branch_id, b.code AS branch_code,
  b.name AS branch_name, b.path AS branch_path, u.position, u.hired_at, u.status, u.locale
  FROM users u LEFT JOIN branches b ON b.id = u.branch_id`;

const FIELDS = { username: 'username', employee_no: 'employeeNo', external_subject: 'externalSubject' };

export class UsersRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date }) {
    const { db } = deps;
    this.stmts = {
      byId: db.prepare(`${SELECT} WHERE u.id = ?`),
      byUsername: db.prepare(`${SELECT} WHERE u.username = ?`),
      byEmployeeNo: db.prepare(`${SELECT} WHERE u.employee_no = ?`),
      passwordHash: db.prepare('SELECT id, password_hash, status FROM users WHERE username = ?'),
      insert: db.prepare(`INSERT INTO users (username, employee_no, name, email, branch_id, position, hired_at, status,
        left_at, password_hash, created_at, updated_at) VALUES (@username, @employeeNo, @name, @email, @branchId,
        @position, @hiredAt, @status, @leftAt, @passwordHash, @now, @now)`),
      update: db.prepare(`UPDATE users SET username = @username, employee_no = @employeeNo, name = @name, email = @email,
        branch_id = @branchId, position = @position, hired_at = @hiredAt, status = @status,
        left_at = CASE WHEN @status = 'left' THEN COALESCE(left_at, @now) ELSE NULL END, updated_at = @now WHERE id = @id`),
      setPassword: db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?'),
      setLocale: db.prepare('UPDATE users SET locale = ? WHERE id = ?'),
      openHistory: db.prepare('INSERT INTO user_branch_history (user_id, branch_id, from_at) VALUES (?, ?, ?)'),
      closeHistory: db.prepare('UPDATE user_branch_history SET to_at = ? WHERE user_id = ? AND to_at IS NULL'),
      roles: db.prepare(`SELECT r.id, r.role, r.scope_branch_id, b.code AS scope_code, b.path AS scope_path
        FROM user_roles r LEFT JOIN branches b ON b.id = r.scope_branch_id WHERE r.user_id = ? ORDER BY r.role`),
      grant: db.prepare('INSERT INTO user_roles (user_id, role, scope_branch_id, created_at) VALUES (?, ?, ?, ?)'),
      revoke: db.prepare('DELETE FROM user_roles WHERE id = ? AND user_id = ?'),
      roleById: db.prepare('SELECT role, scope_branch_id FROM user_roles WHERE id = ? AND user_id = ?'),
      search: db.prepare(`${SELECT} WHERE (@q IS NULL OR u.username = @q OR u.employee_no LIKE @q || '%' OR u.name LIKE '%' || @q || '%')
        AND (@from IS NULL OR (b.path >= @from AND b.path < @to)) AND u.id > @after ORDER BY u.id LIMIT @limit`),
      count: db.prepare('SELECT COUNT(*) AS n FROM users'),
      names: db.prepare('SELECT id, name, employee_no FROM users WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  async findById(id: number): Promise<User | null> { return toUser(this.stmts.byId.get(id) as UserRow | undefined); }
  /** Names for a page of ids (the audit log shows people, not `user:26`). */
  async namesByIds(ids: readonly number[]): Promise<Map<number, { name: string; employeeNo: string | null }>> {
    const rows = ids.length ? this.stmts.names.all(JSON.stringify([...new Set(ids)])) as Array<{ id: number; name: string; employee_no: string | null }> : [];
    return new Map(rows.map((r) => [r.id, { name: r.name, employeeNo: r.employee_no }]));
  }

  async findByUsername(username: string): Promise<User | null> { return toUser(this.stmts.byUsername.get(username) as UserRow | undefined); }
  async findByEmployeeNo(no: string): Promise<User | null> { return toUser(this.stmts.byEmployeeNo.get(no) as UserRow | undefined); }
  async count(): Promise<number> { return (this.stmts.count.get() as { n: number }).n; }

  async findCredentials(username: string): Promise<{ id: number; passwordHash: string | null; status: string } | null> {
    const row = this.stmts.passwordHash.get(username) as { id: number; password_hash: string | null; status: string } | undefined;
    return row ? { id: row.id, passwordHash: row.password_hash, status: row.status } : null;
  }

  async listRoles(userId: number): Promise<RoleGrant[]> {
    return (this.stmts.roles.all(userId) as Array<{ id: number; role: Role; scope_branch_id: number | null; scope_code: string | null; scope_path: string | null }>)
      .map((r) => ({ id: r.id, role: r.role, scopeBranchId: r.scope_branch_id, scopeBranchCode: r.scope_code, scopePath: r.scope_path }));
  }

  /** Keyset paging by id: page 8,000 of 400,000 users costs the same as page 1. */
  async search(query: { q?: string; scopePath?: string; after?: number; limit: number }): Promise<User[]> {
    const range = query.scopePath ? subtreeRange(query.scopePath) : { from: null, to: null };
    const rows = this.stmts.search.all({ q: query.q || null, ...range, after: query.after ?? 0, limit: query.limit }) as UserRow[];
    return rows.map((r) => toUser(r)!);
  }

  async create(input: UserInput & { passwordHash?: string | null; roles?: Array<{ role: Role; scopeBranchId: number | null }> }, actor: { actorId: number | null }): Promise<User> {
    const { db, audit, now } = this.deps;
    const insertUser = db.transaction(() => {
      const at = now().toISOString();
      const info = this.stmts.insert.run({ ...input, leftAt: input.status === 'left' ? at : null, passwordHash: input.passwordHash ?? null, now: at });
      const id = Number(info.lastInsertRowid);
      if (input.branchId !== null) this.stmts.openHistory.run(id, input.branchId, input.hiredAt ?? at);
      for (const grant of input.roles ?? []) this.stmts.grant.run(id, grant.role, grant.scopeBranchId, at);
      audit.appendInTransaction({ actorId: actor.actorId, action: 'user.create', subject: `user:${id}`, details: { ...input, passwordHash: undefined, hasPassword: Boolean(input.passwordHash) } });
      return id;
    });
    try {
      return (await this.findById(insertUser()))!;
    } catch (error) {
      throw translateSqliteError(error, FIELDS);
    }
  }

  /** Updates a user; a branch change closes the old history row and opens a new one at `effectiveAt`. */
  async update(id: number, input: UserInput, actor: { actorId: number | null }, effectiveAt?: string): Promise<User> {
    const { db, audit, now } = this.deps;
    const run = db.transaction(() => {
      const before = toUser(this.stmts.byId.get(id) as UserRow | undefined);
      if (!before) return;
      const at = now().toISOString();
      this.stmts.update.run({ ...input, id, now: at });
      if (before.branchId !== input.branchId) {
        const from = effectiveAt ?? at;
        this.stmts.closeHistory.run(from, id);
        if (input.branchId !== null) this.stmts.openHistory.run(id, input.branchId, from);
      }
      audit.appendInTransaction({ actorId: actor.actorId, action: 'user.update', subject: `user:${id}`, details: { before, after: input } });
    });
    try {
      run();
    } catch (error) {
      throw translateSqliteError(error, FIELDS);
    }
    return (await this.findById(id))!;
  }

  async setPassword(id: number, passwordHash: string, actor: { actorId: number | null }): Promise<void> {
    const { db, audit, now } = this.deps;
    db.transaction(() => {
      this.stmts.setPassword.run(passwordHash, now().toISOString(), id);
      audit.appendInTransaction({ actorId: actor.actorId, action: 'user.password', subject: `user:${id}` });
    })();
  }

  /** A preference, not a record: not audited. */
  async setLocale(id: number, locale: Locale): Promise<void> {
    this.stmts.setLocale.run(locale, id);
  }

  async grantRole(userId: number, role: Role, scopeBranchId: number | null, actor: { actorId: number | null }): Promise<void> {
    const { db, audit, now } = this.deps;
    const run = db.transaction(() => {
      this.stmts.grant.run(userId, role, scopeBranchId, now().toISOString());
      audit.appendInTransaction({ actorId: actor.actorId, action: 'role.grant', subject: `user:${userId}`, details: { role, scopeBranchId } });
    });
    try {
      run();
    } catch (error) {
      throw translateSqliteError(error, { role: 'role' });
    }
  }

  async revokeRole(userId: number, grantId: number, actor: { actorId: number | null }): Promise<boolean> {
    const { db, audit } = this.deps;
    return db.transaction(() => {
      const grant = this.stmts.roleById.get(grantId, userId) as { role: Role; scope_branch_id: number | null } | undefined;
      if (!grant) return false;
      this.stmts.revoke.run(grantId, userId);
      audit.appendInTransaction({ actorId: actor.actorId, action: 'role.revoke', subject: `user:${userId}`, details: { role: grant.role, scopeBranchId: grant.scope_branch_id } });
      return true;
    })();
  }
}

function toUser(row: UserRow | undefined): User | null {
  if (!row) return null;
  return {
    id: row.id, username: row.username, employeeNo: row.employee_no, name: row.name, email: row.email,
    branchId: row.branch_id, branchCode: row.branch_code, branchName: row.branch_name, branchPath: row.branch_path,
    position: row.position, hiredAt: row.hired_at, status: row.status, locale: row.locale,
  };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type UsersStore = PublicOf<UsersRepository>;
