import session from 'express-session';
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

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * Sessions in the LMS database (table `sessions`: sid, sess JSON, expire ISO instant), with the
 * statements prepared once. The rolling idle expiry is written at most once per TOUCH_INTERVAL_MS
 * per session: a session may therefore end up to that much *before* its idle timeout, never after.
 * `clock` is the one express-session uses for cookie expiry (wall time), injectable for tests.
 */
export class SqliteSessionStore extends session.Store {
  private readonly stmts;
  /** sid → when its expiry was last written, so touches inside the interval skip the write. */
  private readonly writtenAt = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: Db, private readonly clock: () => number = Date.now, private readonly fallbackMaxAgeMs = 86_400_000) {
    super();
    db.exec('CREATE TABLE IF NOT EXISTS sessions (sid TEXT NOT NULL PRIMARY KEY, sess JSON NOT NULL, expire TEXT NOT NULL)');
    this.stmts = {
      get: db.prepare('SELECT sess FROM sessions WHERE sid = ? AND expire > ?').pluck(),
      set: db.prepare('INSERT OR REPLACE INTO sessions (sid, sess, expire) VALUES (?, ?, ?)'),
      touch: db.prepare('UPDATE sessions SET expire = ? WHERE sid = ? AND expire > ?'),
      destroy: db.prepare('DELETE FROM sessions WHERE sid = ?'),
      clearExpired: db.prepare('DELETE FROM sessions WHERE expire <= ?'),
    };
  }

  /** Now + the cookie's lifetime (express-session has just rolled it), on this store's clock. */
  private expiryOf(sess: session.SessionData): string {
    const maxAge = sess.cookie?.originalMaxAge;
    return new Date(this.clock() + (typeof maxAge === 'number' ? maxAge : this.fallbackMaxAgeMs)).toISOString();
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    let json: string | undefined;
    try {
      json = this.stmts.get.get(sid, new Date(this.clock()).toISOString()) as string | undefined;
    } catch (error) {
      callback(error);
      return;
    }
    callback(undefined, json ? (JSON.parse(json) as session.SessionData) : null);
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    try {
      this.stmts.set.run(sid, JSON.stringify(sess), this.expiryOf(sess));
      this.writtenAt.set(sid, this.clock());
    } catch (error) {
      callback?.(error);
      return;
    }
    callback?.();
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    const now = this.clock();
    const last = this.writtenAt.get(sid);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    try {
      this.stmts.touch.run(this.expiryOf(sess), sid, new Date(now).toISOString());
      this.writtenAt.set(sid, now);
    } catch (error) {
      callback?.(error);
      return;
    }
    callback?.();
  }

  override destroy(sid: string, callback?: Callback): void {
    this.writtenAt.delete(sid);
    try {
      this.stmts.destroy.run(sid);
    } catch (error) {
      callback?.(error);
      return;
    }
    callback?.();
  }

  clearExpired(): void {
    const now = this.clock();
    this.stmts.clearExpired.run(new Date(now).toISOString());
    // Entries past the interval would be written on the next touch anyway: forget them.
    for (const [sid, at] of this.writtenAt) if (now - at >= TOUCH_INTERVAL_MS) this.writtenAt.delete(sid);
  }

  /** Clears expired sessions now and then; the timer never holds the process open. */
  start(): void {
    this.timer = setInterval(() => this.clearExpired(), CLEAR_EXPIRED_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

export interface SessionSettings {
  db: Db; secret: string; secure: boolean; idleMs: number; absoluteMs: number; now: () => Date;
  /** The session store's clock: the wall clock, like express-session's cookie expiry (tests pass their own). */
  storeClock?: () => number;
}

/** Sessions live in the LMS database; the idle timeout rolls with each request, the absolute one does not. */
export function createSessionMiddleware(settings: SessionSettings): { middleware: RequestHandler[]; store: { stop(): void } } {
  const store = new SqliteSessionStore(settings.db, settings.storeClock);
  store.start();
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
