import crypto from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';

declare module 'express-session' {
  interface SessionData { csrfBound?: true }
}

/**
 * Synchroniser-token CSRF: forms send `_csrf`, fetch sends `X-CSRF-Token`; multipart forms put it in
 * the query string because their body is parsed later. Token-authenticated API calls carry no
 * cookie and the SCORM commit carries its own per-launch token, so both are exempt.
 *
 * The token is an HMAC of the session id, not a random value stored in the session: it is the same
 * for every page of a session without being written, so two pages rendered at once for a fresh
 * session (each saving the session as it read it) cannot replace each other's token. It changes
 * whenever the id does (sign-in regenerates it).
 */
export function createCsrf(exempt: (path: string) => boolean, secret: string): {
  protect: RequestHandler; exposeToken: RequestHandler;
  /** The token of a session by its id, for the fast lanes that read a session without express-session (session-reader.ts). */
  tokenForSessionId: (sessionId: string) => string;
} {
  const key = crypto.createHmac('sha256', secret).update('lms csrf key').digest();
  const tokenForSessionId = (sessionId: string) => crypto.createHmac('sha256', key).update(sessionId).digest('base64url');
  const tokenFor = (req: Request) => (req.session ? tokenForSessionId(req.sessionID) : undefined);
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string') return header;
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      return typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
    },
    getTokenFromState: tokenFor,
    storeTokenInState: () => {},
    skipCsrfProtection: (req) => req.authVia === 'token' || exempt(req.path),
    errorConfig: { statusCode: 403, message: 'Invalid or missing CSRF token', code: 'CSRF_INVALID' },
  });
  // A getter, so only pages that render (and so may hold a form) mark a new session to be kept. A
  // signed-in session is stored already and is never modified here, so once a user's sessions are
  // ended (user-sessions.repository.ts) no page still rendering can write one back.
  const exposeToken: RequestHandler = (req, res, next) => {
    Object.defineProperty(res.locals, 'csrfToken', {
      get: () => {
        if (req.session && !req.user && !req.session.csrfBound) req.session.csrfBound = true;
        return generateToken(req);
      },
      enumerable: true, configurable: true,
    });
    next();
  };
  return { protect: csrfSynchronisedProtection, exposeToken, tokenForSessionId };
}
