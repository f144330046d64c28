import type { PublicOf } from '../db/store.js';
import crypto from 'node:crypto';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';

export interface ApiToken { id: number; userId: number; name: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export class ApiTokensRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date }) {
    const { db } = deps;
    this.stmts = {
      insert: db.prepare('INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)'),
      active: db.prepare('SELECT id, user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL'),
      touch: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
      revoke: db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      list: db.prepare('SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id'),
    };
  }

  /** Stores only the hash; the caller shows the token once. Tokens are 256-bit random, so a plain SHA-256 suffices. */
  async create(userId: number, name: string, actor: { actorId: number | null }): Promise<{ id: number; token: string }> {
    const token = `lms_${crypto.randomBytes(32).toString('base64url')}`;
    const { db, audit, now } = this.deps;
    const id = db.transaction(() => {
      const info = this.stmts.insert.run(userId, name, hashToken(token), now().toISOString());
      const tokenId = Number(info.lastInsertRowid);
      audit.appendInTransaction({ actorId: actor.actorId, action: 'token.create', subject: `user:${userId}`, details: { tokenId, name } });
      return tokenId;
    })();
    return { id, token };
  }

  async findUserIdByToken(token: string): Promise<number | null> {
    const row = this.stmts.active.get(hashToken(token)) as { id: number; user_id: number } | undefined;
    if (!row) return null;
    this.stmts.touch.run(this.deps.now().toISOString(), row.id);
    return row.user_id;
  }

  async revoke(tokenId: number, actor: { actorId: number | null }): Promise<boolean> {
    const { db, audit, now } = this.deps;
    return db.transaction(() => {
      const changed = this.stmts.revoke.run(now().toISOString(), tokenId).changes > 0;
      if (changed) audit.appendInTransaction({ actorId: actor.actorId, action: 'token.revoke', subject: `token:${tokenId}` });
      return changed;
    })();
  }

  async listForUser(userId: number): Promise<ApiToken[]> {
    return (this.stmts.list.all(userId) as Array<{ id: number; user_id: number; name: string; created_at: string; last_used_at: string | null; revoked_at: string | null }>)
      .map((r) => ({ id: r.id, userId: r.user_id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
  }
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type ApiTokensStore = PublicOf<ApiTokensRepository>;
