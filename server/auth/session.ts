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

const SqliteStore = makeSqliteStore(session);

/**
 * The store's built-in cleanup timer never stops; keep it from holding the process open and
 * stop it when the app closes.
 */
class LmsSessionStore extends SqliteStore {
  private timer?: NodeJS.Timeout;
  override startInterval(): void {
    this.timer = setInterval(() => this.clearExpiredSessions(), this.expired.intervalMs);
    this.timer.unref();
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

export interface SessionSettings { db: Db; secret: string; secure: boolean; idleMs: number; absoluteMs: number; now: () => Date }

/** Sessions live in the LMS database; the idle timeout rolls with each request, the absolute one does not. */
export function createSessionMiddleware(settings: SessionSettings): { middleware: RequestHandler[]; store: { stop(): void } } {
  const store = new LmsSessionStore({ client: settings.db, expired: { clear: true, intervalMs: 15 * 60_000 } });
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
