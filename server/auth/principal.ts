import type { RoleGrant, User } from '../org/users.repository.js';
import { isWithin } from '../shared/branch-path.js';

/** The signed-in user as every guard and handler sees it. */
export interface Principal extends User { roles: RoleGrant[] }

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Principal {}
    interface Request { authVia?: 'session' | 'token' }
  }
}

export function hasRole(principal: Principal, ...roles: RoleGrant['role'][]): boolean {
  return principal.roles.some((g) => roles.includes(g.role));
}

export function isAdmin(principal: Principal): boolean {
  return hasRole(principal, 'admin');
}

/**
 * The branch subtrees this user may report on: null means the whole bank (admin, or hr without
 * scope); an empty list means none.
 */
export function reportingScopes(principal: Principal): string[] | null {
  if (isAdmin(principal)) return null;
  const hr = principal.roles.filter((g) => g.role === 'hr');
  if (hr.some((g) => g.scopePath === null)) return null;
  return hr.map((g) => g.scopePath!).filter(Boolean);
}

export function canSeeBranch(principal: Principal, branchPath: string): boolean {
  const scopes = reportingScopes(principal);
  return scopes === null || scopes.some((scope) => isWithin(branchPath, scope));
}

/** Where each role lands after signing in, most powerful first. */
export function homePathFor(principal: Principal): string {
  if (hasRole(principal, 'admin')) return '/admin';
  if (hasRole(principal, 'hr')) return '/hr';
  if (hasRole(principal, 'trainer')) return '/trainer';
  return '/me';
}
