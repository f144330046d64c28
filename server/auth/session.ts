import session from 'express-session';
import makeSqliteStore from 'better-sqlite3-session-store';
import type { RequestHandler } from 'express';
import type { Db } from '../db/open-database.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { LmsDatabase } from '../db/database.js';
import { PgSessionStore } from './session-store.pg.js';

declare module 'express-session' {
  interface SessionData {
    signedInAt?: number;
    passport?: { user?: number };
  }
}

import { TOUCH_INTERVAL_MS } from './session-timing.js';

export { TOUCH_INTERVAL_MS };
const CLEAR_EXPIRED_INTERVAL_MS = 15 * 60_000;

const SqliteStore = makeSqliteStore(session);
type Callback = (error?: unknown) => void;

/**
 * The maintained better-sqlite3 store (table `sessions`), with these changes: its cleanup timer
 * never holds the process open and stops with the app; the rolling idle expiry is written at most
 * once per TOUCH_INTERVAL_MS per session — every request used to cost a second durable write — so
 * a session may end up to that much before its idle timeout, never after; and the session read
 * that every request makes runs a statement prepared once. `read` and `rollIfDue` serve the commit
 * path's session reader (session-reader.ts). `clock` times the throttle only (injectable for
 * tests); expiry itself is the store's wall-clock comparison.
 */
export class LmsSessionStore extends SqliteStore {
  // `declare`: the base constructor starts the timer (startInterval) before a field initialiser would run and reset it.
  declare private timer: NodeJS.Timeout | undefined;
  /** sid → when its expiry was last written, so touches inside the interval skip the write. */
  private readonly writtenAt = new Map<string, number>();

  private readonly selectLive;
  private readonly updateExpiry;

  /**
   * `groupCommit`: where rollIfDue writes (the write then shares the next group transaction and its
   * fsync instead of paying one of its own on the event loop); without it, a transaction of its own.
   */
  constructor(db: Db, private readonly clock: () => number = Date.now, private readonly groupCommit?: GroupCommit) {
    super({ client: db, expired: { clear: true, intervalMs: CLEAR_EXPIRED_INTERVAL_MS } });
    this.selectLive = db.prepare(`SELECT sess FROM sessions WHERE sid = ? AND datetime('now') < datetime(expire)`);
    // The store's own touch statement, prepared once (the store prepares it on every call).
    this.updateExpiry = db.prepare(`UPDATE sessions SET expire = @expire WHERE sid = @sid AND datetime('now') < datetime(expire)`);
  }

  /** As the store's own `get` (same query, same answer), with the statement prepared once. */
  override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
    let found: session.SessionData | null;
    try {
      found = this.read(sid);
    } catch (error) {
      callback(error);
      return;
    }
    callback(null, found);
  }

  /** The live (not idle-expired) session, synchronously. */
  read(sid: string): session.SessionData | null {
    const row = this.selectLive.get(sid) as { sess: string } | undefined;
    return row ? (JSON.parse(row.sess) as session.SessionData) : null;
  }

  override startInterval(): void {
    this.timer = setInterval(() => this.clearExpiredSessions(), this.expired.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    this.writtenAt.set(sid, this.clock());
    super.set(sid, sess, callback);
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    if (!this.touchDue(sid)) {
      callback?.();
      return;
    }
    super.touch(sid, sess, callback);
  }

  /**
   * touch() for a session read without express-session (session-reader.ts): rolls the idle expiry
   * to `expires` when a write is due; true when it wrote, so the caller re-issues the cookie.
   */
  rollIfDue(sid: string, sess: session.SessionData, expires: Date): boolean {
    if (!this.touchDue(sid)) return false;
    const entry = { sid, expire: expires.toISOString() };
    if (!this.groupCommit) this.updateExpiry.run(entry);
    // A roll that fails costs nothing but an earlier idle expiry (at most TOUCH_INTERVAL_MS): forget it.
    else this.groupCommit.run(() => this.updateExpiry.run(entry)).catch(() => this.writtenAt.delete(sid));
    return true;
  }

  /** True (and counted as written) when the session's expiry has not been written for TOUCH_INTERVAL_MS. */
  private touchDue(sid: string): boolean {
    const now = this.clock();
    const last = this.writtenAt.get(sid);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return false;
    this.writtenAt.set(sid, now);
    if (this.writtenAt.size > 100_000) this.writtenAt.clear(); // bounded: forgetting only costs one write
    return true;
  }

  override destroy(sid: string, callback?: Callback): void {
    this.writtenAt.delete(sid);
    super.destroy(sid, callback);
  }
}

/** What the commit path's session reader (session-reader.ts) needs of either store. */
export interface SessionReadStore {
  read(sid: string): session.SessionData | null | Promise<session.SessionData | null>;
  rollIfDue(sid: string, sess: session.SessionData, expires: Date): boolean;
  stop(): void;
}

export interface SessionSettings {
  database: LmsDatabase; secret: string; secure: boolean; idleMs: number; absoluteMs: number; now: () => Date;
  /** Times the touch throttle (wall clock by default; tests pass their own). */
  storeClock?: () => number;
  /** Session-reader rolls join the group transaction (see LmsSessionStore). */
  groupCommit?: GroupCommit;
}

export const SESSION_COOKIE = 'lms.sid';

/** The session cookie's attributes, for express-session and for the commit path's re-issue (session-reader.ts). */
export const sessionCookieOptions = (settings: Pick<SessionSettings, 'secure'>) =>
  ({ path: '/', httpOnly: true, sameSite: 'lax', secure: settings.secure }) as const;

/** Sessions end this long after sign-in however active they are. */
export function pastAbsoluteTimeout(sess: session.SessionData, settings: Pick<SessionSettings, 'absoluteMs' | 'now'>): boolean {
  const started = sess.signedInAt;
  return Boolean(started && settings.now().getTime() - started > settings.absoluteMs);
}

/** Sessions live in the LMS database (SQLite or PostgreSQL); the idle timeout rolls with each request, the absolute one does not. */
export function createSessionMiddleware(settings: SessionSettings): { middleware: RequestHandler[]; store: (LmsSessionStore | PgSessionStore) & SessionReadStore } {
  const { database } = settings;
  // On PostgreSQL every node reads and writes the same sessions table.
  const store = database.dialect === 'postgres' ? new PgSessionStore(database.pool, settings.storeClock) : new LmsSessionStore(database.db, settings.storeClock, settings.groupCommit);
  const sessionMiddleware = session({
    name: SESSION_COOKIE,
    secret: settings.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { ...sessionCookieOptions(settings), maxAge: settings.idleMs },
  });
  const absoluteTimeout: RequestHandler = (req, _res, next) => {
    if (req.session && pastAbsoluteTimeout(req.session, settings)) {
      // A fresh, empty session: the user signs in again.
      req.session.regenerate((error) => next(error));
      return;
    }
    next();
  };
  return { middleware: [sessionMiddleware, absoluteTimeout], store };
}
