/**
 * Sign-in options from LMS_* variables (standalone server and CLI). The host of the plugin passes
 * the same options to createLms({ signIn }) instead. Checked by resolveSignInConfig at start-up.
 */
import type { SignInOptions, MatchBy } from './sign-in-config.js';

export function signInFromEnv(env: NodeJS.ProcessEnv, publicUrl: string): SignInOptions {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    local: env.LMS_SIGNIN_LOCAL !== '0',
    invitationDays: number(env.LMS_INVITATION_DAYS),
    resetHours: number(env.LMS_RESET_HOURS),
    oidc: env.LMS_OIDC_ISSUER ? {
      issuer: env.LMS_OIDC_ISSUER,
      clientId: env.LMS_OIDC_CLIENT_ID ?? '',
      clientSecret: env.LMS_OIDC_CLIENT_SECRET || undefined,
      redirectUri: env.LMS_OIDC_REDIRECT_URI || `${base}/auth/oidc/callback`,
      postLogoutRedirectUri: env.LMS_OIDC_POST_LOGOUT_URI || `${base}/login`,
      claim: env.LMS_OIDC_CLAIM || undefined,
      matchBy: (env.LMS_OIDC_MATCH || undefined) as MatchBy | undefined,
      scope: env.LMS_OIDC_SCOPE || undefined,
      label: env.LMS_OIDC_LABEL || undefined,
      createUnknownInBranch: env.LMS_OIDC_CREATE_IN_BRANCH || undefined,
      clockToleranceSeconds: number(env.LMS_OIDC_CLOCK_TOLERANCE),
      timeoutSeconds: number(env.LMS_OIDC_TIMEOUT),
      allowHttp: env.LMS_OIDC_ALLOW_HTTP === '1',
    } : undefined,
    ldap: env.LMS_LDAP_URL ? {
      url: env.LMS_LDAP_URL,
      bindDn: env.LMS_LDAP_BIND_DN || undefined,
      bindPassword: env.LMS_LDAP_BIND_PASSWORD || undefined,
      baseDn: env.LMS_LDAP_BASE_DN ?? '',
      filter: env.LMS_LDAP_FILTER || undefined,
      attribute: env.LMS_LDAP_ATTRIBUTE || undefined,
      matchBy: (env.LMS_LDAP_MATCH || undefined) as MatchBy | undefined,
      startTls: env.LMS_LDAP_START_TLS === '1',
      caFile: env.LMS_LDAP_CA_FILE || undefined,
      rejectUnauthorized: env.LMS_LDAP_REJECT_UNAUTHORIZED !== '0',
      timeoutMs: number(env.LMS_LDAP_TIMEOUT_MS),
      label: env.LMS_LDAP_LABEL || undefined,
    } : undefined,
  };
}

function number(value: string | undefined): number | undefined {
  return value ? Number(value) : undefined;
}
