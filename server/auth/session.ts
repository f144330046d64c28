import session from 'express-session';
import makeSqliteStore from 'better-sqlite3-session-store';
import type { RequestHandler } from 'express';
import type { Db } from '../db/open-database.js';

declare module 'express-session' {
  interface SessionData {
    signedInAt?: number;
    passport?: { user?: number };
  }
}

/** How often a session's rolling expiry is written back at most: each write is an fsync (synchronous=FULL). */
export const TOUCH_INTERVAL_MS = 60_000;
const CLEAR_EXPIRED_INTERVAL_MS = 15 * 60_000;

const SqliteStore = makeSqliteStore(session);
type Callback = (error?: unknown) => void;

/**
 * The maintained better-sqlite3 store (table `sessions`), with two changes: its cleanup timer never
 * holds the process open and stops with the app, and the rolling idle expiry is written at most
 * once per TOUCH_INTERVAL_MS per session — every request used to cost a second durable write. A
 * session may therefore end up to that much before its idle timeout, never after. `clock` times
 * the throttle only (injectable for tests); expiry itself is the store's wall-clock comparison.
 */
export class LmsSessionStore extends SqliteStore {
  private timer?: NodeJS.Timeout;
  /** sid → when its expiry was last written, so touches inside the interval skip the write. */
  private readonly writtenAt = new Map<string, number>();

  /** The store prepares its statement on every call; every request reads its session, so prepare that one once. */
  private readonly selectLive;

  constructor(db: Db, private readonly clock: () => number = Date.now) {
    super({ client: db, expired: { clear: true, intervalMs: CLEAR_EXPIRED_INTERVAL_MS } });
    this.selectLive = db.prepare(`SELECT sess FROM sessions WHERE sid = ? AND datetime('now') < datetime(expire)`);
  }

  /** As the store's own `get` (same query, same answer), with the statement prepared once. */
  override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
    let row: { sess: string } | undefined;
    try {
      row = this.selectLive.get(sid) as { sess: string } | undefined;
    } catch (error) {
      callback(error);
      return;
    }
    callback(null, row ? (JSON.parse(row.sess) as session.SessionData) : null);
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
    const now = this.clock();
    const last = this.writtenAt.get(sid);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    this.writtenAt.set(sid, now);
    if (this.writtenAt.size > 100_000) this.writtenAt.clear(); // bounded: forgetting only costs one write
    super.touch(sid, sess, callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.writtenAt.delete(sid);
    super.destroy(sid, callback);
  }
}

export interface SessionSettings {
  db: Db; secret: string; secure: boolean; idleMs: number; absoluteMs: number; now: () => Date;
  /** Times the touch throttle (wall clock by default; tests pass their own). */
  storeClock?: () => number;
}

/** Sessions live in the LMS database; the idle timeout rolls with each request, the absolute one does not. */
export function createSessionMiddleware(settings: SessionSettings): { middleware: RequestHandler[]; store: { stop(): void } } {
  const store = new LmsSessionStore(settings.db, settings.storeClock);
  const sessionMiddleware = session({
    name: 'lms.sid',
    secret: settings.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: settings.secure, maxAge: settings.idleMs },
  });
  const absoluteTimeout: RequestHandler = (req, _res, next) => {
    const started = req.session?.signedInAt;
    if (started && settings.now().getTime() - started > settings.absoluteMs) {
      // A fresh, empty session: the user signs in again.
      req.session.regenerate((error) => next(error));
      return;
    }
    next();
  };
  return { middleware: [sessionMiddleware, absoluteTimeout], store };
}
