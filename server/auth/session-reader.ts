import crypto from 'node:crypto';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import signature from 'cookie-signature';
import type { RequestHandler } from 'express';
import type { AuthService } from './auth.service.js';
import { pastAbsoluteTimeout, SESSION_COOKIE, sessionCookieOptions, type SessionReadStore, type SessionSettings } from './session.js';

/**
 * Signs in a request from its session cookie without express-session's per-request work (a
 * Session object, hashing it twice, re-signing the cookie): for the SCORM commit endpoint, which
 * every learner calls every few seconds. Same cookie (name, secret, signature), same store row and
 * idle expiry, same absolute timeout, same principal as passport's; the idle expiry rolls as the
 * store's throttled touch rolls it, re-issuing the cookie when it does. It only ever reads a session:
 * when anything is not plainly valid it calls `next('route')`, and the request goes through the full
 * session and passport chain instead, which answers it exactly as before.
 */
export function signInFromSessionCookie(deps: {
  store: SessionReadStore; auth: AuthService; settings: Pick<SessionSettings, 'secret' | 'secure' | 'idleMs' | 'absoluteMs' | 'now'>;
  /**
   * Also require the session's CSRF token in X-CSRF-Token, computed as csrf.ts computes it from
   * the session id (a request without it takes the full chain, which refuses it): for fetch calls
   * such as exam answers.
   */
  csrfTokenFor?: (sessionId: string) => string;
}): RequestHandler {
  const { store, auth, settings } = deps;
  return async (req, res, next) => {
    const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
    const sid = raw?.startsWith('s:') ? signature.unsign(raw.slice(2), settings.secret) : false;
    const sess = sid ? await store.read(sid) : null;
    const userId = sess && !pastAbsoluteTimeout(sess, settings) ? sess.passport?.user : undefined;
    const principal = typeof userId === 'number' ? await auth.loadPrincipal(userId) : null;
    if (!sid || !sess || !principal) return next('route');
    if (deps.csrfTokenFor && !csrfMatches(req.headers['x-csrf-token'], deps.csrfTokenFor(sid))) return next('route');
    // Wall clock, as express-session's rolling cookie: the store compares expiries with SQLite's now.
    const expires = new Date(Date.now() + settings.idleMs);
    if (store.rollIfDue(sid, sess, expires)) {
      res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, `s:${signature.sign(sid, settings.secret)}`, { ...sessionCookieOptions(settings), expires }));
    }
    req.user = principal;
    next();
  };
}

function csrfMatches(given: unknown, expected: unknown): boolean {
  if (typeof given !== 'string' || typeof expected !== 'string' || given.length !== expected.length || given.length === 0) return false;
  return crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
