import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';

export type SessionEndReason = 'password_reset' | 'role_revoked' | 'left';

/**
 * A user's open sessions, found through the sessions table's index on the signed-in user id (the
 * id passport keeps in the session). Ending them signs the person out on every device at once.
 */
export class UserSessionsRepository {
  private readonly deleteForUser;

  constructor(private readonly deps: { db: Db; audit: AuditRepository }) {
    this.deleteForUser = deps.db.prepare(`DELETE FROM sessions WHERE json_extract(sess, '$.passport.user') = ?`);
  }

  /** Deletes every session of the user; audited when there were any. Returns how many ended. */
  async endAll(userId: number, reason: SessionEndReason, actor: { actorId: number | null }): Promise<number> {
    const { db, audit } = this.deps;
    return db.transaction(() => {
      const ended = this.deleteForUser.run(userId).changes;
      if (ended > 0) audit.appendInTransaction({ actorId: actor.actorId, action: 'auth.sessions_ended', subject: `user:${userId}`, details: { reason, sessions: ended } });
      return ended;
    })();
  }
}
