import { hasRole, type Principal } from '../auth/principal.js';
import type { Role } from '../org/users.repository.js';

/** The header's links: each page a role may open (admin opens them all), in one place. */
const NAV: Array<{ href: string; labelKey: string; role: Role | null }> = [
  { href: '/me', labelKey: 'nav.myLearning', role: null },
  { href: '/trainer', labelKey: 'nav.courses', role: 'trainer' },
  { href: '/hr', labelKey: 'nav.reports', role: 'hr' },
  { href: '/hr/roster', labelKey: 'nav.roster', role: 'hr' },
  { href: '/admin', labelKey: 'nav.admin', role: 'admin' },
];

export function navFor(user: Principal, t: (key: string) => string): Array<{ href: string; label: string }> {
  return NAV.filter((item) => item.role === null || hasRole(user, 'admin', item.role)).map((item) => ({ href: item.href, label: t(item.labelKey) }));
}
