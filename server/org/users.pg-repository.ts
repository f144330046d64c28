import type { PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import { translatePgError } from '../db/postgres/pg-errors.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import { subtreeRange } from '../shared/branch-path.js';
import type { Locale } from '../config.js';
import type { Role, RoleGrant, User, UserInput, UsersStore } from './users.repository.js';

interface UserRow {
  id: number; username: string; employee_no: string | null; name: string; email: string | null;
  branch_id: number | null; branch_code: string | null; branch_name: string | null; branch_path: string | null;
  position: string | null; hired_at: string | null; status: 'active' | 'left'; locale: Locale | null;
}

const SELECT = `SELECT u.id, u.username, u.employee_no, u.name, u.email, u.branch_id, b.code AS branch_code,
  b.name AS branch_name, b.path AS branch_path, u.position, u.hired_at, u.status, u.locale
  FROM users u LEFT JOIN branches b ON b.id = u.branch_id`;

const FIELDS = { username: 'username', employee_no: 'employeeNo', external_subject: 'externalSubject' };

/** People and their roles on PostgreSQL (see users.repository.ts). */
export class PgUsersRepository implements UsersStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  private async one(where: string, value: unknown): Promise<User | null> {
    return toUser((await this.deps.pool.query<UserRow>(`${SELECT} WHERE ${where}`, [value])).rows[0]);
  }

  async findById(id: number): Promise<User | null> { return this.one('u.id = $1', id); }
  async findByUsername(username: string): Promise<User | null> { return this.one('u.username = $1', username); }
  async findByEmployeeNo(no: string): Promise<User | null> { return this.one('u.employee_no = $1', no); }
  async count(): Promise<number> { return (await this.deps.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM users')).rows[0].n; }

  async namesByIds(ids: readonly number[]): Promise<Map<number, { name: string; employeeNo: string | null }>> {
    const rows = ids.length
      ? (await this.deps.pool.query<{ id: number; name: string; employee_no: string | null }>('SELECT id, name, employee_no FROM users WHERE id = ANY($1::bigint[])', [[...new Set(ids)]])).rows
      : [];
    return new Map(rows.map((r) => [r.id, { name: r.name, employeeNo: r.employee_no }]));
  }

  async findCredentials(username: string): Promise<{ id: number; passwordHash: string | null; status: string } | null> {
    const row = (await this.deps.pool.query<{ id: number; password_hash: string | null; status: string }>('SELECT id, password_hash, status FROM users WHERE username = $1', [username])).rows[0];
    return row ? { id: row.id, passwordHash: row.password_hash, status: row.status } : null;
  }

  async listRoles(userId: number): Promise<RoleGrant[]> {
    const { rows } = await this.deps.pool.query<{ id: number; role: Role; scope_branch_id: number | null; scope_code: string | null; scope_path: string | null }>(
      `SELECT r.id, r.role, r.scope_branch_id, b.code AS scope_code, b.path AS scope_path
       FROM user_roles r LEFT JOIN branches b ON b.id = r.scope_branch_id WHERE r.user_id = $1 ORDER BY r.role`, [userId]);
    return rows.map((r) => ({ id: r.id, role: r.role, scopeBranchId: r.scope_branch_id, scopeBranchCode: r.scope_code, scopePath: r.scope_path }));
  }

  /** Keyset paging by id; name and number matching as SQLite's LIKE (case-insensitive for ASCII). */
  async search(query: { q?: string; scopePath?: string; after?: number; limit: number }): Promise<User[]> {
    const range = query.scopePath ? subtreeRange(query.scopePath) : { from: null, to: null };
    const { rows } = await this.deps.pool.query<UserRow>(`${SELECT}
      WHERE ($1::text IS NULL OR u.username = $1 OR u.employee_no ILIKE $1 || '%' OR u.name ILIKE '%' || $1 || '%')
        AND ($2::text IS NULL OR (b.path >= $2 AND b.path < $3::text)) AND u.id > $4 ORDER BY u.id LIMIT $5`,
    [query.q || null, range.from, range.to, query.after ?? 0, query.limit]);
    return rows.map((r) => toUser(r)!);
  }

  async create(input: UserInput & { passwordHash?: string | null; roles?: Array<{ role: Role; scopeBranchId: number | null }> }, actor: { actorId: number | null }): Promise<User> {
    const { pool, audit, now } = this.deps;
    let id: number;
    try {
      id = await transaction(pool, async (client) => {
        const at = now().toISOString();
        const newId = (await client.query<{ id: number }>(`INSERT INTO users (username, employee_no, name, email, branch_id, position, hired_at, status,
          left_at, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
        [input.username, input.employeeNo, input.name, input.email, input.branchId, input.position, input.hiredAt, input.status,
          input.status === 'left' ? at : null, input.passwordHash ?? null, at])).rows[0].id;
        if (input.branchId !== null) await client.query('INSERT INTO user_branch_history (user_id, branch_id, from_at) VALUES ($1, $2, $3)', [newId, input.branchId, input.hiredAt ?? at]);
        for (const grant of input.roles ?? []) {
          await client.query('INSERT INTO user_roles (user_id, role, scope_branch_id, created_at) VALUES ($1, $2, $3, $4)', [newId, grant.role, grant.scopeBranchId, at]);
        }
        await audit.appendWith(client, { actorId: actor.actorId, action: 'user.create', subject: `user:${newId}`, details: { ...input, passwordHash: undefined, hasPassword: Boolean(input.passwordHash) } });
        return newId;
      });
    } catch (error) {
      throw translatePgError(error, FIELDS);
    }
    return (await this.findById(id))!;
  }

  async update(id: number, input: UserInput, actor: { actorId: number | null }, effectiveAt?: string): Promise<User> {
    const { pool, audit, now } = this.deps;
    try {
      await transaction(pool, async (client) => {
        // Locked: a transfer recorded twice at once (two nodes) would open two history rows.
        const before = toUser((await client.query<UserRow>(`${SELECT} WHERE u.id = $1 FOR UPDATE OF u`, [id])).rows[0]);
        if (!before) return;
        const at = now().toISOString();
        await client.query(`UPDATE users SET username = $1, employee_no = $2, name = $3, email = $4, branch_id = $5, position = $6, hired_at = $7,
          status = $8::text, left_at = CASE WHEN $8::text = 'left' THEN COALESCE(left_at, $9) ELSE NULL END, updated_at = $9 WHERE id = $10`,
        [input.username, input.employeeNo, input.name, input.email, input.branchId, input.position, input.hiredAt, input.status, at, id]);
        if (before.branchId !== input.branchId) {
          const from = effectiveAt ?? at;
          await client.query('UPDATE user_branch_history SET to_at = $1 WHERE user_id = $2 AND to_at IS NULL', [from, id]);
          if (input.branchId !== null) await client.query('INSERT INTO user_branch_history (user_id, branch_id, from_at) VALUES ($1, $2, $3)', [id, input.branchId, from]);
        }
        await audit.appendWith(client, { actorId: actor.actorId, action: 'user.update', subject: `user:${id}`, details: { before, after: input } });
      });
    } catch (error) {
      throw translatePgError(error, FIELDS);
    }
    return (await this.findById(id))!;
  }

  async setPassword(id: number, passwordHash: string, actor: { actorId: number | null }): Promise<void> {
    const { pool, audit, now } = this.deps;
    await transaction(pool, async (client) => {
      await client.query('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [passwordHash, now().toISOString(), id]);
      await audit.appendWith(client, { actorId: actor.actorId, action: 'user.password', subject: `user:${id}` });
    });
  }

  /** A preference, not a record: not audited. */
  async setLocale(id: number, locale: Locale): Promise<void> {
    await this.deps.pool.query('UPDATE users SET locale = $1 WHERE id = $2', [locale, id]);
  }

  async grantRole(userId: number, role: Role, scopeBranchId: number | null, actor: { actorId: number | null }): Promise<void> {
    const { pool, audit, now } = this.deps;
    try {
      await transaction(pool, async (client) => {
        await client.query('INSERT INTO user_roles (user_id, role, scope_branch_id, created_at) VALUES ($1, $2, $3, $4)', [userId, role, scopeBranchId, now().toISOString()]);
        await audit.appendWith(client, { actorId: actor.actorId, action: 'role.grant', subject: `user:${userId}`, details: { role, scopeBranchId } });
      });
    } catch (error) {
      throw translatePgError(error, { role: 'role' });
    }
  }

  async revokeRole(userId: number, grantId: number, actor: { actorId: number | null }): Promise<boolean> {
    const { pool, audit } = this.deps;
    return transaction(pool, async (client) => {
      const grant = (await client.query<{ role: Role; scope_branch_id: number | null }>('DELETE FROM user_roles WHERE id = $1 AND user_id = $2 RETURNING role, scope_branch_id', [grantId, userId])).rows[0];
      if (!grant) return false;
      await audit.appendWith(client, { actorId: actor.actorId, action: 'role.revoke', subject: `user:${userId}`, details: { role: grant.role, scopeBranchId: grant.scope_branch_id } });
      return true;
    });
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
