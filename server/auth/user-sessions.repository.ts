import type { Db } from '../db/open-database.js';
import type { Statement } from 'better-sqlite3';

/**
 * Ends a person's sessions in the session table (passport keeps `{passport: {user: id}}` in each).
 * Used when a password is set from a link: whoever held the old one is signed out.
 */
export class UserSessionsRepository {
  private endOthers: Statement | null = null;

  constructor(private readonly db: Db) {}

  /** Every session of the user except `keepSid` (the current one, if any); the number ended. */
  async endSessionsOf(userId: number, keepSid: string | null): Promise<number> {
    // The session store creates its table when the web app starts; the CLI has none to end.
    if (!this.endOthers) {
      const exists = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'`).get();
      if (!exists) return 0;
      this.endOthers = this.db.prepare(`DELETE FROM sessions WHERE json_extract(sess, '$.passport.user') = ? AND sid IS NOT ?`);
    }
    return this.endOthers.run(userId, keepSid).changes;
  }
}
