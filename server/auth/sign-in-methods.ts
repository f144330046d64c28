/**
 * The deployment's choice of sign-in methods, as the sign-in page shows them, and the break-glass
 * rule: with local passwords off, /login?local=1 still shows the password form and accepts
 * administrators only, so an admin can get in when the identity provider or directory is down.
 */
import type { RequestHandler } from 'express';
import type { SignInConfig } from './sign-in-config.js';
import type { AuthService } from './auth.service.js';
import type { AuditStore } from '../audit/audit.repository.js';
import { establishSession } from './establish-session.js';
import { homePathFor, isAdmin } from './principal.js';
import { safeLocalPath } from '../http/validate.js';
import { TooManyRequestsError } from '../errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      signInMethods?: { local: boolean; breakGlass: boolean; oidc: { label: string | null } | null; ldap: { label: string | null } | null; canReset: boolean };
    }
  }
}

export function signInMethodsLocals(config: SignInConfig, canReset: () => boolean): RequestHandler {
  return (req, res, next) => {
    const breakGlass = !config.local && req.query.local === '1';
    res.locals.signInMethods = {
      local: config.local || breakGlass, breakGlass,
      oidc: config.oidc ? { label: config.oidc.label } : null,
      ldap: config.ldap ? { label: config.ldap.label } : null,
      canReset: config.local && canReset(),
    };
    next();
  };
}

/** POST /login while local passwords are off: administrators only (anyone else gets the generic failure). */
export function breakGlassLogin(deps: { auth: AuthService; audit: AuditStore; now: () => Date }): RequestHandler {
  return async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const target = safeLocalPath(body.next);
    res.locals.signInMethods = { ...res.locals.signInMethods!, local: true, breakGlass: true };
    const fail = (status: number, key: string, vars?: object) => res.status(status).render('auth/login', {
      title: res.locals.t('login.title'), error: res.locals.t(key, vars), username, next: target ?? '',
    });
    if (!username || !password) return fail(400, 'login.missing');
    try {
      const principal = await deps.auth.authenticate(username, password, req.ip ?? 'unknown');
      if (!principal) return fail(401, 'login.failed');
      if (!isAdmin(principal)) {
        await deps.audit.append({ actorId: principal.id, action: 'auth.login_refused', subject: `user:${principal.id}`, details: { method: 'local', problem: 'METHOD_OFF', ip: req.ip } });
        return fail(401, 'login.failed');
      }
      await establishSession(req, principal, deps.now());
      res.redirect(res.locals.baseUrl + (target ?? homePathFor(principal)));
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      fail(429, 'login.throttled', { minutes: Math.ceil(error.retryAfterSeconds / 60) });
    }
  };
}
