import { canSeeBranch, hasRole, reportingScopes, type Principal } from '../auth/principal.js';

/**
 * Who may download a certificate (DESIGN §7): its holder, trainers, admin, and hr whose scope
 * covers the holder's current branch (whole-bank hr: every holder). Everyone else is told it
 * does not exist.
 */
export function canOpenCertificate(principal: Principal, holder: { userId: number; branchPath: string | null }): boolean {
  if (principal.id === holder.userId || hasRole(principal, 'admin', 'trainer')) return true;
  if (!hasRole(principal, 'hr')) return false;
  return holder.branchPath === null ? reportingScopes(principal) === null : canSeeBranch(principal, holder.branchPath);
}
