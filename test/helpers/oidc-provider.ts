/**
 * A real OpenID provider (`oidc-provider`, a certified implementation) on 127.0.0.1 for sign-in
 * tests. Accounts are seeded by id; the login step is a plain URL (`/interaction/<uid>?login=<id>`)
 * instead of a form, and consent is granted automatically, so a test drives the browser flow with
 * supertest: follow each redirect by hand, carrying the provider's cookies in its own agent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export interface ProviderSettings {
  /** accountId → claims (e.g. { employee_number: 'E000001', name: '…' }). */
  accounts: Record<string, Record<string, unknown>>;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** ID token lifetime in seconds (default 60). */
  idTokenTtl?: number;
}

export async function startOidcProvider(settings: ProviderSettings): Promise<TestProvider> {
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'lms-test';
  const clientSecret = 'lms-test-secret-0123456789-abcdefghij';
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId, client_secret: clientSecret, redirect_uris: [settings.redirectUri],
      post_logout_redirect_uris: [settings.postLogoutRedirectUri], response_types: ['code'], grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    findAccount: (_ctx: unknown, sub: string) => {
      const claims = settings.accounts[sub];
      return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'employee_number'], email: ['email'] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Consent is not what these tests are about: every client gets what it asked for.
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string }; provider: Provider } }) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      grant.addOIDCClaims(['employee_number', 'preferred_username', 'name', 'email']);
      await grant.save();
      return grant;
    },
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
    ttl: { IdToken: settings.idTokenTtl ?? 60, AuthorizationCode: 60, AccessToken: 300, Interaction: 300, Session: 3600, Grant: 3600 },
  });
  const callback = provider.callback();
  handler = (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
    if (!match) return callback(req, res);
    // The login step: ?login=<accountId> signs that account in at the provider.
    void (async () => {
      try {
        await provider.interactionDetails(req, res);
        await provider.interactionFinished(req, res, { login: { accountId: url.searchParams.get('login') ?? '' } }, { mergeWithLastSubmission: false });
      } catch (error) {
        res.statusCode = 400;
        res.end(String(error));
      }
    })();
  };
  return {
    issuer, clientId, clientSecret,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
