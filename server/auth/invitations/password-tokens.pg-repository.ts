import type { PgPool } from '../../db/postgres/pool.js';
import { transaction } from '../../db/postgres/transaction.js';
import type { PgAuditRepository } from '../../audit/audit.pg-repository.js';
import { subtreeRange } from '../../shared/branch-path.js';
import type { InviteScope, NewToken, PasswordTokensStore, Recipient, TokenPurpose } from './password-tokens.repository.js';

const candidates = (where: string) => `SELECT u.id, u.username, u.name, u.email, u.locale FROM users u
  ${where.includes('b.path') ? 'JOIN branches b ON b.id = u.branch_id' : ''}
  WHERE ${where} AND u.status = 'active' AND u.password_hash IS NULL AND u.email IS NOT NULL AND u.email <> ''
    AND u.id > $1
    AND ($2::boolean OR NOT EXISTS (SELECT 1 FROM password_tokens t WHERE t.user_id = u.id AND t.purpose = 'invite' AND t.used_at IS NULL AND t.expires_at > $3))
  ORDER BY u.id LIMIT $4`;

const LIVE = `SELECT t.id, t.user_id, t.purpose, u.username FROM password_tokens t JOIN users u ON u.id = t.user_id
  WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.status = 'active'`;

/** One-time invitation and reset links on PostgreSQL (see password-tokens.repository.ts). */
export class PgPasswordTokensRepository implements PasswordTokensStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  async listInvitable(scope: InviteScope, options: { after: number; limit: number; resend: boolean }): Promise<Recipient[]> {
    const params = [options.after, options.resend, this.deps.now().toISOString(), options.limit];
    const { pool } = this.deps;
    if ('userId' in scope) return (await pool.query<Recipient>(candidates('u.id = $5'), [...params, scope.userId])).rows;
    if ('branchPath' in scope) {
      const { from, to } = subtreeRange(scope.branchPath);
      return (await pool.query<Recipient>(candidates('b.path >= $5 AND b.path < $6'), [...params, from, to])).rows;
    }
    return (await pool.query<Recipient>(candidates('TRUE'), params)).rows;
  }

  /** Case-insensitive, as SQLite's COLLATE NOCASE. */
  async findByEmail(email: string): Promise<Recipient[]> {
    return (await this.deps.pool.query<Recipient>(`SELECT id, username, name, email, locale FROM users WHERE lower(email) = lower($1) AND status = 'active' LIMIT 5`, [email])).rows;
  }

  async issue(purpose: TokenPurpose, tokens: NewToken[], expiresAt: Date, actor: { actorId: number | null }): Promise<void> {
    const { pool, audit, now } = this.deps;
    await transaction(pool, async (client) => {
      const at = now().toISOString();
      for (const t of tokens) {
        await client.query(`INSERT INTO password_tokens (user_id, purpose, token_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [t.userId, purpose, t.tokenHash, actor.actorId, at, expiresAt.toISOString()]);
        await audit.appendWith(client, { actorId: actor.actorId, action: purpose === 'invite' ? 'auth.invitation_sent' : 'auth.reset_requested', subject: `user:${t.userId}`, details: { expiresAt: expiresAt.toISOString() } });
      }
    });
  }

  async findLive(tokenHash: string): Promise<{ userId: number; username: string; purpose: TokenPurpose } | null> {
    const row = (await this.deps.pool.query<{ id: number; user_id: number; purpose: TokenPurpose; username: string }>(LIVE, [tokenHash, this.deps.now().toISOString()])).rows[0];
    return row ? { userId: row.user_id, username: row.username, purpose: row.purpose } : null;
  }

  /** As the SQLite twin; of two uses arriving together on two nodes, the second waits on the row lock and then finds it used. */
  async usePassword(tokenHash: string, passwordHash: string): Promise<{ userId: number; purpose: TokenPurpose } | null> {
    const { pool, audit, now } = this.deps;
    return transaction(pool, async (client) => {
      const at = now().toISOString();
      const row = (await client.query<{ id: number; user_id: number; purpose: TokenPurpose }>(LIVE, [tokenHash, at])).rows[0];
      if (!row || (await client.query('UPDATE password_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL', [at, row.id])).rowCount !== 1) return null;
      await client.query('UPDATE password_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL', [at, row.user_id]);
      await client.query('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [passwordHash, at, row.user_id]);
      await audit.appendWith(client, { actorId: row.user_id, action: row.purpose === 'invite' ? 'auth.invitation_accepted' : 'auth.password_reset', subject: `user:${row.user_id}` });
      return { userId: row.user_id, purpose: row.purpose };
    });
  }
}
