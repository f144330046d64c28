import session from 'express-session';
import type { PgPool } from '../db/postgres/pool.js';
import { TOUCH_INTERVAL_MS } from './session-timing.js';

const ONE_DAY_MS = 86_400_000;
const CLEAR_EXPIRED_INTERVAL_MS = 15 * 60_000;
type Callback = (error?: unknown) => void;

/**
 * express-session's store on the PostgreSQL `sessions` table (sid, sess, expire), shared by every
 * node: a learner signed in on node A is signed in on node B. Same behaviour as the SQLite store
 * (session.ts): expiry from the cookie's maxAge, the rolling expiry written at most once per
 * TOUCH_INTERVAL_MS per session from this node, expired rows swept every 15 minutes (each node
 * sweeps; a DELETE of expired rows is harmless twice). Expiries are ISO-8601 instants compared
 * with this node's clock, as the SQLite store compares them with its own.
 */
export class PgSessionStore extends session.Store {
  private readonly writtenAt = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pool: PgPool, private readonly clock: () => number = Date.now) {
    super();
    this.timer = setInterval(() => { void this.clearExpired().catch(() => { /* the next sweep tries again */ }); }, CLEAR_EXPIRED_INTERVAL_MS);
    this.timer.unref();
  }

  override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
    this.read(sid).then((found) => callback(null, found), (error: unknown) => callback(error));
  }

  /** The live (not idle-expired) session. */
  async read(sid: string): Promise<session.SessionData | null> {
    const row = (await this.pool.query<{ sess: string | session.SessionData }>('SELECT sess FROM sessions WHERE sid = $1 AND expire > $2', [sid, new Date().toISOString()])).rows[0];
    if (!row) return null;
    return typeof row.sess === 'string' ? (JSON.parse(row.sess) as session.SessionData) : row.sess;
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    this.writtenAt.set(sid, this.clock());
    const expire = new Date(Date.now() + (sess.cookie?.maxAge ?? ONE_DAY_MS)).toISOString();
    this.pool.query(`INSERT INTO sessions (sid, sess, expire) VALUES ($1, $2, $3)
      ON CONFLICT (sid) DO UPDATE SET sess = EXCLUDED.sess, expire = EXCLUDED.expire`, [sid, JSON.stringify(sess), expire])
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    if (!this.touchDue(sid)) {
      callback?.();
      return;
    }
    this.writeExpiry(sid, sess).then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  /** As LmsSessionStore.rollIfDue; the write is not awaited (a failed one only leaves the older expiry). */
  rollIfDue(sid: string, sess: session.SessionData, expires: Date): boolean {
    if (!this.touchDue(sid)) return false;
    void this.writeExpiry(sid, { ...sess, cookie: { ...sess.cookie, expires } }).catch(() => { /* the next touch writes it */ });
    return true;
  }

  override destroy(sid: string, callback?: Callback): void {
    this.writtenAt.delete(sid);
    this.pool.query('DELETE FROM sessions WHERE sid = $1', [sid]).then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async clearExpired(): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE expire < $1', [new Date().toISOString()])).rowCount ?? 0;
  }

  private async writeExpiry(sid: string, sess: session.SessionData): Promise<void> {
    const expire = sess.cookie?.expires ? new Date(sess.cookie.expires).toISOString() : new Date(Date.now() + ONE_DAY_MS).toISOString();
    const at = new Date().toISOString();
    await this.pool.query('UPDATE sessions SET expire = $1 WHERE sid = $2 AND expire > $3', [expire, sid, at]);
  }

  private touchDue(sid: string): boolean {
    const now = this.clock();
    const last = this.writtenAt.get(sid);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return false;
    this.writtenAt.set(sid, now);
    if (this.writtenAt.size > 100_000) this.writtenAt.clear();
    return true;
  }
}
