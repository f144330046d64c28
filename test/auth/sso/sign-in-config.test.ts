import { expect } from 'chai';
import { resolveSignInConfig } from '../../../server/auth/sign-in-config.js';
import { signInFromEnv } from '../../../server/auth/sign-in-env.js';
import { settingsFromEnv } from '../../../server/env-options.js';
import { safeLocalPath } from '../../../server/http/validate.js';

describe('sign-in settings', () => {
  it('reads LMS_OIDC_* and LMS_LDAP_* into options, with the callback under the public URL', () => {
    const options = signInFromEnv({
      LMS_SIGNIN_LOCAL: '0', LMS_OIDC_ISSUER: 'https://idp.bank.example/realms/staff', LMS_OIDC_CLIENT_ID: 'lms', LMS_OIDC_CLIENT_SECRET: 's3cret',
      LMS_OIDC_CLAIM: 'employee_number', LMS_OIDC_CLOCK_TOLERANCE: '90',
      LMS_LDAP_URL: 'ldaps://dc1.bank.example', LMS_LDAP_BASE_DN: 'dc=bank,dc=example', LMS_LDAP_FILTER: '(sAMAccountName={username})', LMS_LDAP_TIMEOUT_MS: '3000',
    }, 'https://lms.bank.example/training/');
    const config = resolveSignInConfig(options);
    expect(config.local).to.equal(false);
    expect(config.oidc).to.include({ redirectUri: 'https://lms.bank.example/training/auth/oidc/callback', claim: 'employee_number', matchBy: 'employeeNo', clockToleranceSeconds: 90, postLogoutRedirectUri: 'https://lms.bank.example/training/login' });
    expect(config.ldap).to.include({ url: 'ldaps://dc1.bank.example', filter: '(sAMAccountName={username})', attribute: 'employeeNumber', timeoutMs: 3000, rejectUnauthorized: true });
    expect(settingsFromEnv({ LMS_DATA_DIR: '/tmp/lms-env-test', LMS_SESSION_SECRET: 'x'.repeat(32) }).options.signIn).to.deep.include({ local: true, oidc: undefined, ldap: undefined });
  });

  it('refuses unsafe or unusable settings at start-up with a clear message', () => {
    expect(() => resolveSignInConfig({ oidc: { issuer: 'http://idp.example', clientId: 'x', redirectUri: 'https://lms/cb' } })).to.throw(/issuer must start with https:/);
    expect(() => resolveSignInConfig({ oidc: { issuer: 'https://idp.example', clientId: 'x', redirectUri: 'https://lms/cb', clockToleranceSeconds: 3600 } })).to.throw(/clockToleranceSeconds/);
    expect(() => resolveSignInConfig({ ldap: { url: 'ldap://dc', baseDn: 'dc=x', filter: '(uid=*)' } })).to.throw(/\{username\}/);
    expect(() => resolveSignInConfig({ ldap: { url: 'http://dc', baseDn: 'dc=x' } })).to.throw(/ldap:\/\/ or ldaps:\/\//);
  });

  it('keeps next= on the LMS: no other host, no scheme, no control characters browsers would drop', () => {
    expect(safeLocalPath('/me?tab=1')).to.equal('/me?tab=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', '/\t/evil.example', '/\n/evil.example', 'me']) {
      expect(safeLocalPath(bad), JSON.stringify(bad)).to.equal(null);
    }
  });
});
