/**
 * Which sign-in methods a deployment offers and how each is reached. Options come from the host
 * (createLms) or, standalone, from LMS_* variables (env-options.ts); this file checks them once.
 */
import fs from 'node:fs';

/** Which roster field the provider's value names. */
export type MatchBy = 'employeeNo' | 'username';

export interface OidcOptions {
  /** Issuer URL; its /.well-known/openid-configuration is read at the first sign-in. */
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The LMS callback as registered at the provider: `<public URL>/auth/oidc/callback`. */
  redirectUri: string;
  /** The ID token / userinfo claim naming the employee (default `preferred_username`). */
  claim?: string;
  /** Whether the claim holds the employee number (default) or the LMS username. */
  matchBy?: MatchBy;
  /** Default `openid profile`. */
  scope?: string;
  /** Button text on the sign-in page (default: "company account"). */
  label?: string;
  /** Where the provider sends people after RP-initiated logout (default: the LMS sign-in page, derived from redirectUri). */
  postLogoutRedirectUri?: string;
  /** Unknown subjects become employees in this branch; off (refused) unless set. */
  createUnknownInBranch?: string;
  /** Tolerated clock difference with the provider, in seconds (default 60, at most 300). */
  clockToleranceSeconds?: number;
  /** Allow an http:// issuer (tests, labs). Production issuers are https://. */
  allowHttp?: boolean;
  /** Seconds to wait for the provider's endpoints (default 10). */
  timeoutSeconds?: number;
}

export interface LdapOptions {
  /** ldap://host:389 or ldaps://host:636 */
  url: string;
  /** Account used to search for the person; omitted: anonymous search. */
  bindDn?: string;
  bindPassword?: string;
  baseDn: string;
  /** Search filter with `{username}` where the typed name goes (escaped), e.g. `(sAMAccountName={username})`. */
  filter?: string;
  /** Attribute naming the employee (default `employeeNumber`). */
  attribute?: string;
  matchBy?: MatchBy;
  /** Upgrade ldap:// with StartTLS before binding. */
  startTls?: boolean;
  /** PEM file of the CA that signed the directory's certificate. */
  caFile?: string;
  /** Default true; false only for labs. */
  rejectUnauthorized?: boolean;
  /** Milliseconds for connecting and for each operation (default 5000). */
  timeoutMs?: number;
  label?: string;
}

export interface SignInOptions {
  /** Local passwords for everyone (default true). Off: only admins, through /login?local=1 (break-glass). */
  local?: boolean;
  oidc?: OidcOptions;
  ldap?: LdapOptions;
  /** Invitation links expire after this many days (default 14). */
  invitationDays?: number;
  /** Reset links expire after this many hours (default 2). */
  resetHours?: number;
}

export interface OidcConfig extends Required<Omit<OidcOptions, 'clientSecret' | 'createUnknownInBranch' | 'label'>> {
  clientSecret: string | null; createUnknownInBranch: string | null; label: string | null;
}

export interface LdapConfig extends Required<Omit<LdapOptions, 'bindDn' | 'bindPassword' | 'caFile' | 'label'>> {
  bindDn: string | null; bindPassword: string | null; ca: string | null; label: string | null;
}

export interface SignInConfig {
  local: boolean;
  oidc: OidcConfig | null;
  ldap: LdapConfig | null;
  invitationTtlMs: number;
  resetTtlMs: number;
}

export function resolveSignInConfig(options: SignInOptions = {}): SignInConfig {
  return {
    local: options.local ?? true,
    oidc: options.oidc ? resolveOidc(options.oidc) : null,
    ldap: options.ldap ? resolveLdap(options.ldap) : null,
    invitationTtlMs: positive(options.invitationDays ?? 14, 'signIn.invitationDays') * 86_400_000,
    resetTtlMs: positive(options.resetHours ?? 2, 'signIn.resetHours') * 3_600_000,
  };
}

function resolveOidc(o: OidcOptions): OidcConfig {
  const allowHttp = o.allowHttp ?? false;
  const issuer = url(o.issuer, 'signIn.oidc.issuer', allowHttp ? ['https:', 'http:'] : ['https:']);
  const redirectUri = url(o.redirectUri, 'signIn.oidc.redirectUri', ['https:', 'http:']);
  if (!o.clientId) throw new Error('createLms: signIn.oidc.clientId is required');
  const tolerance = o.clockToleranceSeconds ?? 60;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 300) throw new Error('createLms: signIn.oidc.clockToleranceSeconds must be 0–300');
  return {
    issuer, clientId: o.clientId, clientSecret: o.clientSecret || null, redirectUri,
    claim: o.claim || 'preferred_username', matchBy: matchBy(o.matchBy, 'signIn.oidc.matchBy'),
    scope: o.scope || 'openid profile', label: o.label || null,
    postLogoutRedirectUri: o.postLogoutRedirectUri || redirectUri.replace(/\/auth\/oidc\/callback$/, '/login'),
    createUnknownInBranch: o.createUnknownInBranch || null,
    clockToleranceSeconds: tolerance, allowHttp, timeoutSeconds: positive(o.timeoutSeconds ?? 10, 'signIn.oidc.timeoutSeconds'),
  };
}

function resolveLdap(o: LdapOptions): LdapConfig {
  url(o.url, 'signIn.ldap.url', ['ldap:', 'ldaps:']);
  if (!o.baseDn) throw new Error('createLms: signIn.ldap.baseDn is required');
  const filter = o.filter || '(sAMAccountName={username})';
  if (!filter.includes('{username}')) throw new Error('createLms: signIn.ldap.filter must contain {username}');
  return {
    url: o.url, bindDn: o.bindDn || null, bindPassword: o.bindPassword ?? null, baseDn: o.baseDn, filter,
    attribute: o.attribute || 'employeeNumber', matchBy: matchBy(o.matchBy, 'signIn.ldap.matchBy'),
    startTls: o.startTls ?? false, ca: o.caFile ? fs.readFileSync(o.caFile, 'utf8') : null,
    rejectUnauthorized: o.rejectUnauthorized ?? true, timeoutMs: positive(o.timeoutMs ?? 5000, 'signIn.ldap.timeoutMs'),
    label: o.label || null,
  };
}

function url(value: string, name: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`createLms: ${name} is not a URL`);
  }
  if (!protocols.includes(parsed.protocol)) throw new Error(`createLms: ${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return value;
}

function matchBy(value: string | undefined, name: string): MatchBy {
  if (value === undefined || value === 'employeeNo' || value === 'username') return value ?? 'employeeNo';
  throw new Error(`createLms: ${name} must be employeeNo or username`);
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`createLms: ${name} must be a positive number`);
  return value;
}
