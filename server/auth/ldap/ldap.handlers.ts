import type { RequestHandler } from 'express';
import type { LdapSignInService } from './ldap-sign-in.service.js';
import type { Logger } from '../../logger.js';
import { DirectoryUnavailableError } from './ldap-directory.js';
import { SignInRefusedError } from '../sign-in.service.js';
import { renderSignInProblem, problemStatus } from '../sign-in-problem.js';
import { establishSession } from '../establish-session.js';
import { homePathFor } from '../principal.js';
import { safeLocalPath } from '../../http/validate.js';
import { TooManyRequestsError } from '../../errors.js';

export interface LdapHandlerDeps { ldap: LdapSignInService; now: () => Date; logger: Logger }

export function ldapHandlers(deps: LdapHandlerDeps) {
  const login: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const target = safeLocalPath(body.next);
    // Wrong name or password: the sign-in page again, with one generic message, as for local accounts.
    const again = (status: number, key: string, vars?: object) => res.status(status).render('auth/login', {
      title: res.locals.t('login.title'), ldapError: res.locals.t(key, vars), ldapUsername: username, next: target ?? '',
    });
    if (!username || !password) return again(400, 'login.missing');
    try {
      const principal = await deps.ldap.authenticate(username, password, req.ip ?? 'unknown');
      await establishSession(req, principal, deps.now());
      res.redirect(res.locals.baseUrl + (target ?? homePathFor(principal)));
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        return again(429, 'login.throttled', { minutes: Math.ceil(error.retryAfterSeconds / 60) });
      }
      if (error instanceof SignInRefusedError && error.problem === 'WRONG_CREDENTIALS') return again(401, 'login.failed');
      if (error instanceof SignInRefusedError) return renderSignInProblem(res, error.problem, problemStatus(error));
      if (error instanceof DirectoryUnavailableError) {
        deps.logger.warn({ reason: error.message, reqId: req.id }, '[auth] LDAP directory unavailable');
        return renderSignInProblem(res, 'DIRECTORY_UNREACHABLE', 503);
      }
      throw error;
    }
  };
  return { login };
}
