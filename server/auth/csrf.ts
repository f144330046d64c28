import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';

/**
 * Synchroniser-token CSRF: forms send `_csrf`, fetch sends `X-CSRF-Token`; multipart forms put it in
 * the query string because their body is parsed later. Token-authenticated API calls carry no
 * cookie and the SCORM commit carries its own per-launch token, so both are exempt.
 */
export function createCsrf(exempt: (path: string) => boolean): { protect: RequestHandler; exposeToken: RequestHandler } {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string') return header;
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      return typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
    },
    skipCsrfProtection: (req) => req.authVia === 'token' || exempt(req.path),
    errorConfig: { statusCode: 403, message: 'Invalid or missing CSRF token', code: 'CSRF_INVALID' },
  });
  // A getter, so only pages that render (and so may hold a form) create the token and the session.
  const exposeToken: RequestHandler = (req, res, next) => {
    Object.defineProperty(res.locals, 'csrfToken', { get: () => generateToken(req), enumerable: true, configurable: true });
    next();
  };
  return { protect: csrfSynchronisedProtection, exposeToken };
}
