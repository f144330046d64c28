import type { PgClient, PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import type { SessionEndReason, UserSessionsStore } from './user-sessions.repository.js';

/** The signed-in user id inside a session row (the sessions table's index is on this expression). */
const SESSION_USER = `(sess::jsonb #>> '{passport,user}')`;

/** A user's open sessions on PostgreSQL (see user-sessions.repository.ts): ended on every node at once. */
export class PgUserSessionsRepository implements UserSessionsStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository }) {}

  async endAll(userId: number, reason: SessionEndReason, actor: { actorId: number | null }): Promise<number> {
    return this.end((client) => client.query(`DELETE FROM sessions WHERE ${SESSION_USER} = $1`, [String(userId)]), userId, reason, actor);
  }

  async endSessionsOf(userId: number, keepSid: string | null): Promise<number> {
    return this.end((client) => client.query(`DELETE FROM sessions WHERE ${SESSION_USER} = $1 AND sid IS DISTINCT FROM $2::text`, [String(userId), keepSid]),
      userId, 'password_set', { actorId: userId });
  }

  private async end(remove: (client: PgClient) => Promise<{ rowCount: number | null }>, userId: number, reason: SessionEndReason, actor: { actorId: number | null }): Promise<number> {
    const { pool, audit } = this.deps;
    return transaction(pool, async (client) => {
      const ended = (await remove(client)).rowCount ?? 0;
      if (ended > 0) await audit.appendWith(client, { actorId: actor.actorId, action: 'auth.sessions_ended', subject: `user:${userId}`, details: { reason, sessions: ended } });
      return ended;
    });
  }
}
