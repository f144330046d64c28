import crypto from 'node:crypto';
import type { PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import { hashToken, type ApiToken, type ApiTokensStore } from './api-tokens.repository.js';

/** API tokens on PostgreSQL (see api-tokens.repository.ts). */
export class PgApiTokensRepository implements ApiTokensStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  async create(userId: number, name: string, actor: { actorId: number | null }): Promise<{ id: number; token: string }> {
    const token = `lms_${crypto.randomBytes(32).toString('base64url')}`;
    const { pool, audit, now } = this.deps;
    const id = await transaction(pool, async (client) => {
      const tokenId = (await client.query<{ id: number }>('INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
        [userId, name, hashToken(token), now().toISOString()])).rows[0].id;
      await audit.appendWith(client, { actorId: actor.actorId, action: 'token.create', subject: `user:${userId}`, details: { tokenId, name } });
      return tokenId;
    });
    return { id, token };
  }

  /** One statement: finds the live token and notes its use. */
  async findUserIdByToken(token: string): Promise<number | null> {
    const row = (await this.deps.pool.query<{ user_id: number }>('UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING user_id',
      [this.deps.now().toISOString(), hashToken(token)])).rows[0];
    return row ? row.user_id : null;
  }

  async revoke(tokenId: number, actor: { actorId: number | null }): Promise<boolean> {
    const { pool, audit, now } = this.deps;
    return transaction(pool, async (client) => {
      const changed = ((await client.query('UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now().toISOString(), tokenId])).rowCount ?? 0) > 0;
      if (changed) await audit.appendWith(client, { actorId: actor.actorId, action: 'token.revoke', subject: `token:${tokenId}` });
      return changed;
    });
  }

  async listForUser(userId: number): Promise<ApiToken[]> {
    const { rows } = await this.deps.pool.query<{ id: number; user_id: number; name: string; created_at: string; last_used_at: string | null; revoked_at: string | null }>(
      'SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id', [userId]);
    return rows.map((r) => ({ id: r.id, userId: r.user_id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
  }
}
