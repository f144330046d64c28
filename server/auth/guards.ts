import type { Request, RequestHandler } from 'express';
import type { Role } from '../org/users.repository.js';
import type { AuthService } from './auth.service.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { hasRole } from './principal.js';
import { wantsJson } from '../http/error-handler.js';

/** `Authorization: Bearer <token>` on /api/*: the token's user, no session, no CSRF (no cookies are involved). */
export function bearerToken(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return next();
    if (!req.path.startsWith('/api/')) return next(new UnauthorizedError('Tokens are accepted on /api/ only'));
    const principal = await auth.principalForToken(header.slice(7).trim());
    if (!principal) return next(new UnauthorizedError('Invalid or revoked token'));
    req.user = principal;
    req.authVia = 'token';
    next();
  };
}

/** Longer return paths are dropped (the sign-in page then goes home): a Location header stays small. */
const MAX_NEXT_LENGTH = 2000;

function loginRedirect(req: Request): string {
  const next = req.originalUrl.slice(req.baseUrl.length) || '/';
  if (next.length > MAX_NEXT_LENGTH) return `${req.baseUrl}/login`;
  return `${req.baseUrl}/login?next=${encodeURIComponent(next)}`;
}

export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (wantsJson(req) || req.method !== 'GET') return next(new UnauthorizedError('Sign in required'));
  res.redirect(loginRedirect(req));
};

/** Signed in and holding one of the roles (admin always qualifies), else 403. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireSignIn(req, res, next);
    if (!hasRole(req.user, 'admin', ...roles)) return next(new ForbiddenError('You do not have access to this page'));
    next();
  };
}
