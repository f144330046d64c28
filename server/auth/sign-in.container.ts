/**
 * The sign-in parts built from config (called by container.ts): the one door, OIDC and LDAP when
 * configured, and the invitation / reset links. Kept here so the composition root stays short.
 */
import type { LmsConfig } from '../config.js';
import type { UsersStore } from '../org/users.repository.js';
import type { BranchesStore } from '../org/branches.repository.js';
import type { AuditStore } from '../audit/audit.repository.js';
import type { OrgService } from '../org/org.service.js';
import type { AuthService } from './auth.service.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Mailer } from '../notify/mailer.js';
import { SignInService } from './sign-in.service.js';
import { OidcClient } from './oidc/oidc-client.js';
import { LdapDirectory } from './ldap/ldap-directory.js';
import { LdapSignInService } from './ldap/ldap-sign-in.service.js';
import type { PasswordTokensStore } from './invitations/password-tokens.repository.js';
import { PasswordLinksService } from './invitations/password-links.service.js';
import type { UserSessionsStore } from './user-sessions.repository.js';
import { createTranslator } from '../i18n/i18n.js';
import { createSmtpMailer } from '../notify/mailer.js';

export function signInParts(deps: {
  config: LmsConfig; tokens: PasswordTokensStore; users: UsersStore; branches: BranchesStore; audit: AuditStore;
  auth: AuthService; org: OrgService; throttle: LoginThrottle; sessions: UserSessionsStore;
}) {
  const { config, tokens, users, audit, auth, org, throttle, sessions } = deps;
  const { now, signIn: settings } = config;
  const door = new SignInService({ users, audit, auth, org });
  const oidc = settings.oidc ? new OidcClient(settings.oidc, now) : null;
  const ldap = settings.ldap
    ? new LdapSignInService({ directory: new LdapDirectory(settings.ldap), config: settings.ldap, throttle, signIn: door, audit })
    : null;
  // Invitation runs send thousands of mails: a pooled SMTP connection, not one connection per mail.
  const mailer: Mailer | null = config.smtpUrl ? createSmtpMailer(pooled(config.smtpUrl), config.mailFrom) : null;
  const links = new PasswordLinksService({
    tokens, sessions, auth, mailer,
    translator: createTranslator(config.defaultLocale), defaultLocale: config.defaultLocale, timeZone: config.timeZone,
    publicUrl: config.publicUrl, invitationTtlMs: settings.invitationTtlMs, resetTtlMs: settings.resetTtlMs, now, logger: config.logger,
  });
  return { door, oidc, ldap, links, sessions, close: () => mailer?.close() };
}

/** nodemailer reads transport options from the URL's query: keep a few connections open and reuse them. */
function pooled(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', '4');
  return url.href;
}
