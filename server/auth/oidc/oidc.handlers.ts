import type { Request, RequestHandler } from 'express';
import type { OidcClient, PendingOidc } from './oidc-client.js';
import type { OidcConfig } from '../sign-in-config.js';
import type { SignInService } from '../sign-in.service.js';
import type { Logger } from '../../logger.js';
import { SignInRefusedError } from '../sign-in.service.js';
import { renderSignInProblem, problemStatus } from '../sign-in-problem.js';
import { establishSession } from '../establish-session.js';
import { homePathFor } from '../principal.js';
import { safeLocalPath } from '../../http/validate.js';

declare module 'express-session' {
  interface SessionData {
    /** Sign-ins started and not yet come back, by state (a few tabs at once). */
    oidcPending?: Record<string, PendingOidc>;
    /** Kept for RP-initiated logout (id_token_hint). */
    oidcIdToken?: string;
  }
}

/** A started sign-in must come back within this time. */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 5;

export interface OidcHandlerDeps { oidc: OidcClient; config: OidcConfig; signIn: SignInService; now: () => Date; logger: Logger }

export function oidcHandlers(deps: OidcHandlerDeps) {
  const { oidc, config, signIn, logger } = deps;

  const fail = (req: Request, res: Parameters<RequestHandler>[1], error: unknown) => {
    const refused = error instanceof SignInRefusedError ? error : new SignInRefusedError('TOKEN_INVALID');
    // The cause names the check that failed (never the token itself).
    const cause = (refused.cause ?? error) as { message?: string; code?: string } | undefined;
    logger.warn({ problem: refused.problem, reason: cause?.code ?? cause?.message, reqId: req.id }, '[auth] OIDC sign-in refused');
    renderSignInProblem(res, refused.problem, problemStatus(refused));
  };

  const start: RequestHandler = async (req, res) => {
    try {
      const { url, state, pending } = await oidc.start(safeLocalPath(req.query.next));
      const now = deps.now().getTime();
      const live = Object.entries(req.session.oidcPending ?? {}).filter(([, p]) => now - p.startedAt < PENDING_TTL_MS).slice(-(MAX_PENDING - 1));
      req.session.oidcPending = Object.fromEntries([...live, [state, pending]]);
      req.session.save((error) => (error ? fail(req, res, error) : res.redirect(url)));
    } catch (error) {
      fail(req, res, error);
    }
  };

  const callback: RequestHandler = async (req, res) => {
    try {
      const state = typeof req.query.state === 'string' ? req.query.state : '';
      const pending = state ? req.session.oidcPending?.[state] : undefined;
      // One use per state: a replayed or forged callback finds nothing.
      if (pending) delete req.session.oidcPending![state];
      if (!pending || deps.now().getTime() - pending.startedAt > PENDING_TTL_MS) throw new SignInRefusedError('STATE_MISMATCH', 400);
      const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      const result = await oidc.finish(pending, state, search);
      const value = result.claims[config.claim];
      if ((typeof value !== 'string' && typeof value !== 'number') || String(value).length === 0 || String(value).length > 128) {
        throw new SignInRefusedError('CLAIM_MISSING');
      }
      const key = String(value);
      const principal = await signIn.resolve(config.matchBy === 'employeeNo' ? { employeeNo: key } : { username: key }, 'oidc', {
        ip: req.ip ?? 'unknown', createInBranch: config.createUnknownInBranch,
        profile: { name: stringClaim(result.claims.name), email: stringClaim(result.claims.email) },
      });
      await establishSession(req, principal, deps.now(), result.idToken ? { oidcIdToken: result.idToken } : {});
      res.redirect(res.locals.baseUrl + (pending.next ?? homePathFor(principal)));
    } catch (error) {
      fail(req, res, error);
    }
  };

  return { start, callback };
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
