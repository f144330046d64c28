import { hasRole, type Principal } from '../auth/principal.js';
import type { Role } from '../org/users.repository.js';

/** The header's links: each page a role may open (admin opens them all), in one place. */
const NAV: Array<{ href: string; labelKey: string; roles: Role[] }> = [
  { href: '/me', labelKey: 'nav.myLearning', roles: [] },
  { href: '/me/certificates', labelKey: 'learner.certificates.nav', roles: [] },
  { href: '/trainer', labelKey: 'nav.courses', roles: ['trainer'] },
  { href: '/trainer/question-banks', labelKey: 'exams.banks.title', roles: ['trainer'] },
  { href: '/assignments', labelKey: 'nav.assignments', roles: ['trainer', 'hr'] },
  { href: '/hr', labelKey: 'nav.reports', roles: ['hr'] },
  { href: '/hr/people', labelKey: 'people.nav', roles: ['hr'] },
  { href: '/hr/roster', labelKey: 'nav.roster', roles: ['hr'] },
  { href: '/admin/invitations', labelKey: 'signin.invite.nav', roles: ['hr'] },
  { href: '/admin', labelKey: 'nav.admin', roles: ['admin'] },
];

export function navFor(user: Principal, t: (key: string) => string): Array<{ href: string; label: string }> {
  return NAV.filter((item) => item.roles.length === 0 || hasRole(user, 'admin', ...item.roles)).map((item) => ({ href: item.href, label: t(item.labelKey) }));
}
