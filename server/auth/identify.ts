/**
 * Plugin pass-through: a host that has already signed the person in tells the LMS who they are
 * with `identify(req)`. The LMS still keeps its own session, roles and scope: it opens an LMS
 * session on the first request, and opens another (or ends it) when the host's answer changes.
 */
import type { Request, RequestHandler } from 'express';
import type { SignInService, ExternalIdentity } from './sign-in.service.js';
import type { Logger } from '../logger.js';
import { SignInRefusedError } from './sign-in.service.js';
import { establishSession } from './establish-session.js';
import { renderSignInProblem } from './sign-in-problem.js';
import { wantsJson } from '../http/error-handler.js';

export type HostIdentity = ExternalIdentity | null | undefined;
export type IdentifyFn = (req: Request) => HostIdentity | Promise<HostIdentity>;

declare module 'express-session' {
  interface SessionData {
    /** Set when the host's identify() opened this session: whom the host named then. */
    hostIdentity?: string;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request { lmsHostIdentity?: HostIdentity; lmsHostRefusal?: SignInRefusedError }
  }
}

/** Request fields a host's express-session and passport set, which the LMS must not share. */
const HOST_FIELDS = ['session', 'sessionID', 'sessionStore', 'user'] as const;

/**
 * First middleware of the LMS: asks the host's identify() while the host's own fields are still on
 * the request, then hides those fields so the LMS's session and passport start clean (express-session
 * would otherwise reuse the host's session, and LMS sign-ins would overwrite the host's user). The
 * host's fields are put back around the host's own response hooks (its session save and cookie), so
 * each session middleware sees only its own session.
 */
export function isolateFromHost(identify: IdentifyFn | null): RequestHandler {
  return async (req, res, next) => {
    if (identify) {
      try {
        req.lmsHostIdentity = normalise(await identify(req));
      } catch (error) {
        return next(error);
      }
    }
    const fields = req as unknown as Record<string, unknown>;
    if (!HOST_FIELDS.some((k) => fields[k] !== undefined)) return next();
    const host = Object.fromEntries(HOST_FIELDS.map((k) => [k, fields[k]]));
    for (const k of HOST_FIELDS) delete fields[k];
    const asHost = <T>(run: () => T): T => {
      const own = Object.fromEntries(HOST_FIELDS.map((k) => [k, fields[k]]));
      Object.assign(fields, host);
      try {
        return run();
      } finally {
        for (const k of HOST_FIELDS) {
          if (own[k] === undefined) delete fields[k];
          else fields[k] = own[k];
        }
      }
    };
    const hostWriteHead = res.writeHead;
    const hostEnd = res.end;
    res.writeHead = function writeHead(this: typeof res, ...args: unknown[]) {
      return asHost(() => (hostWriteHead as (...a: unknown[]) => typeof res).apply(this, args));
    } as typeof res.writeHead;
    res.end = function end(this: typeof res, ...args: unknown[]) {
      // Headers first, while the LMS's fields are in place: its cookie listener fires on writeHead.
      if (!this.headersSent) (this as unknown as { _implicitHeader(): void })._implicitHeader();
      return asHost(() => (hostEnd as (...a: unknown[]) => typeof res).apply(this, args));
    } as typeof res.end;
    next();
  };
}

/**
 * After the LMS session is read: opens the LMS session for the host's person when there is none
 * or when the host now names someone else; ends a host-opened session once the host names nobody.
 * People signed in through the LMS's own page are left alone when the host names nobody.
 */
export function signInFromHost(deps: { signIn: SignInService; now: () => Date; logger: Logger }): RequestHandler {
  return async (req, res, next) => {
    if (req.authVia === 'token' || req.lmsHostIdentity === undefined) return next();
    const identity = req.lmsHostIdentity;
    const key = identity ? identityKey(identity) : null;
    try {
      if (!identity) {
        if (req.user && req.session.hostIdentity) await endSession(req);
        return next();
      }
      if (req.user && req.session.hostIdentity === key) return next();
      const principal = await deps.signIn.resolve(identity, 'host', { ip: req.ip ?? 'unknown' });
      if (req.user?.id === principal.id) {
        req.session.hostIdentity = key!;
        return next();
      }
      await establishSession(req, principal, deps.now(), { hostIdentity: key! });
      next();
    } catch (error) {
      if (!(error instanceof SignInRefusedError)) return next(error);
      deps.logger.warn({ problem: error.problem, reqId: req.id }, '[auth] host identity refused');
      if (req.user) await endSession(req).catch(() => undefined);
      req.lmsHostRefusal = error;
      next();
    }
  };
}

/** After the request's language is known: the page (or JSON error) for a host identity the LMS refused. */
export const hostRefusalPage: RequestHandler = (req, res, next) => {
  const refusal = req.lmsHostRefusal;
  if (!refusal) return next();
  if (wantsJson(req)) return next(refusal);
  renderSignInProblem(res, refusal.problem, refusal.status);
};

/** What the host returned, as the LMS reads it (numbers as text; anything else, or empty, is nobody). */
function normalise(identity: HostIdentity): HostIdentity {
  if (!identity || typeof identity !== 'object') return null;
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).trim().slice(0, 128) : '');
  if ('employeeNo' in identity && text(identity.employeeNo)) return { employeeNo: text(identity.employeeNo) };
  if ('username' in identity && text(identity.username)) return { username: text(identity.username) };
  return null;
}

function identityKey(identity: ExternalIdentity): string {
  return 'employeeNo' in identity ? `employeeNo:${identity.employeeNo}` : `username:${identity.username}`;
}

function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.logOut((error) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      req.session.regenerate((e) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve()));
    });
  });
}
