import type { Request, RequestHandler } from 'express';
import type { Authenticator } from './passport.js';
import type { UsersStore } from '../org/users.repository.js';
import { TooManyRequestsError } from '../errors.js';
import { SignInBusyError } from './password-check-queue.js';
import { homePathFor } from './principal.js';
import { safeLocalPath } from '../http/validate.js';
import { parseLocale } from '../i18n/i18n.js';
import { LOCALE_COOKIE } from '../http/locals.js';
import { wantsJson } from '../http/error-handler.js';

const FAILURE_CODES: Record<number, string> = { 400: 'LOGIN_MISSING', 401: 'LOGIN_FAILED', 429: 'TOO_MANY_REQUESTS', 503: 'SIGN_IN_BUSY' };

export interface AuthHandlerDeps {
  passport: Authenticator; users: UsersStore; now: () => Date; secureCookies: boolean;
  /** Where to send the browser after the LMS session ends (the identity provider's logout), or null for the sign-in page. */
  signOutRedirect?: (req: Request) => Promise<string | null>;
}

export function authHandlers(deps: AuthHandlerDeps) {
  const showLogin: RequestHandler = (req, res) => {
    if (req.user) return res.redirect(res.locals.baseUrl + homePathFor(req.user));
    res.render('auth/login', { title: res.locals.t('login.title'), next: safeLocalPath(req.query.next) ?? '' });
  };

  const login: RequestHandler = (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const target = safeLocalPath(body.next);
    const fail = (status: number, messageKey: string, vars?: object) => {
      const message = res.locals.t(messageKey, vars);
      if (wantsJson(req)) return res.status(status).json({ error: { code: FAILURE_CODES[status] ?? 'LOGIN_FAILED', message, problems: [] } });
      return res.status(status).render('auth/login', { title: res.locals.t('login.title'), error: message, username, next: target ?? '' });
    };
    if (!username || typeof body.password !== 'string' || !body.password) return fail(400, 'login.missing');
    deps.passport.authenticate('local', (error: unknown, user: Express.User | false) => {
      if (error instanceof TooManyRequestsError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        return fail(429, 'login.throttled', { minutes: Math.ceil(error.retryAfterSeconds / 60) });
      }
      if (error instanceof SignInBusyError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        return fail(503, 'signInGuard.busy', { seconds: error.retryAfterSeconds });
      }
      if (error) return next(error);
      if (!user) return fail(401, 'login.failed');
      // passport's logIn regenerates the session id (fixation protection) before storing the user id.
      req.logIn(user, (loginError) => {
        if (loginError) return next(loginError);
        req.session.signedInAt = deps.now().getTime();
        res.redirect(res.locals.baseUrl + (target ?? homePathFor(user)));
      });
    })(req, res, next);
  };

  const logout: RequestHandler = async (req, res, next) => {
    const external = (await deps.signOutRedirect?.(req)) ?? null;
    req.logOut((error) => {
      if (error) return next(error);
      req.session.destroy(() => {
        res.clearCookie('lms.sid');
        res.redirect(external ?? `${res.locals.baseUrl}/login`);
      });
    });
  };

  const setLanguage: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const locale = parseLocale(body.locale) ?? 'zh-CN';
    res.cookie(LOCALE_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, maxAge: 365 * 86_400_000 });
    if (req.user) await deps.users.setLocale(req.user.id, locale);
    res.redirect(res.locals.baseUrl + (safeLocalPath(body.next) ?? '/'));
  };

  const home: RequestHandler = (req, res) => {
    res.redirect(res.locals.baseUrl + (req.user ? homePathFor(req.user) : '/login'));
  };

  return { showLogin, login, logout, setLanguage, home };
}
