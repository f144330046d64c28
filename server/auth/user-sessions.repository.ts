import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';

export type SessionEndReason = 'password_reset' | 'role_revoked' | 'left' | 'password_set';

/**
 * A user's open sessions, found through the sessions table's index on the signed-in user id (the
 * id passport keeps in the session). Ending them signs the person out on every device at once.
 */
export class UserSessionsRepository {
  private readonly deleteForUser;
  private readonly deleteOthers;

  constructor(private readonly deps: { db: Db; audit: AuditRepository }) {
    this.deleteForUser = deps.db.prepare(`DELETE FROM sessions WHERE json_extract(sess, '$.passport.user') = ?`);
    this.deleteOthers = deps.db.prepare(`DELETE FROM sessions WHERE json_extract(sess, '$.passport.user') = ? AND sid IS NOT ?`);
  }

  /** Deletes every session of the user; audited when there were any. Returns how many ended. */
  async endAll(userId: number, reason: SessionEndReason, actor: { actorId: number | null }): Promise<number> {
    return this.end(() => this.deleteForUser.run(userId).changes, userId, reason, actor);
  }

  /** Every session of the user except `keepSid` (the one that just set a password, if any). */
  async endSessionsOf(userId: number, keepSid: string | null): Promise<number> {
    return this.end(() => this.deleteOthers.run(userId, keepSid).changes, userId, 'password_set', { actorId: userId });
  }

  private end(remove: () => number, userId: number, reason: SessionEndReason, actor: { actorId: number | null }): number {
    const { db, audit } = this.deps;
    return db.transaction(() => {
      const ended = remove();
      if (ended > 0) audit.appendInTransaction({ actorId: actor.actorId, action: 'auth.sessions_ended', subject: `user:${userId}`, details: { reason, sessions: ended } });
      return ended;
    })();
  }
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type UserSessionsStore = PublicOf<UserSessionsRepository>;
