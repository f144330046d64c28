import type { Request } from 'express';
import type { Principal } from './principal.js';

/**
 * Starts the LMS session for a resolved principal, the same way for every method: passport's
 * logIn regenerates the session id (fixation protection) and stores only the user id.
 * `extra` is kept in the fresh session (e.g. the OIDC id token for RP-initiated logout).
 */
export function establishSession(req: Request, principal: Principal, now: Date, extra: Partial<import('express-session').SessionData> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    req.logIn(principal, (error) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      req.session.signedInAt = now.getTime();
      Object.assign(req.session, extra);
      resolve();
    });
  });
}
