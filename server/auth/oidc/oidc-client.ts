/**
 * OpenID Connect relying party (openid-client 6): authorization code with PKCE, state and nonce.
 * The provider's metadata is discovered once (retried after a failure); each sign-in builds its
 * Configuration with the LMS clock's offset so token times are judged by the same clock as
 * sessions, within the configured tolerance.
 */
import * as client from 'openid-client';
import type { OidcConfig } from '../sign-in-config.js';
import { SignInRefusedError } from '../sign-in.service.js';

/** What the LMS keeps in the visitor's session between the redirect and the callback. */
export interface PendingOidc { verifier: string; nonce: string; next: string | null; startedAt: number }

export interface OidcResult { claims: Record<string, unknown>; idToken: string | null }

export class OidcClient {
  private discovered: Promise<client.ServerMetadata> | null = null;
  private jwks: client.ExportedJWKSCache | undefined;

  constructor(private readonly config: OidcConfig, private readonly now: () => Date) {}

  /** The provider URL to send the browser to, and what to remember until it comes back. */
  async start(next: string | null): Promise<{ url: string; state: string; pending: PendingOidc }> {
    const configuration = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUri, scope: this.config.scope, state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    return { url: url.href, state, pending: { verifier, nonce, next, startedAt: this.now().getTime() } };
  }

  /** Exchanges the code from the callback's query string; the ID token's claims, completed from userinfo when the naming claim is not in it. */
  async finish(pending: PendingOidc, state: string, search: string): Promise<OidcResult> {
    const configuration = await this.configuration();
    const callbackUrl = new URL(this.config.redirectUri);
    callbackUrl.search = search;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.verifier, expectedNonce: pending.nonce, expectedState: state, idTokenExpected: true,
      });
      this.jwks = client.getJwksCache(configuration) ?? this.jwks;
      const claims: Record<string, unknown> = { ...tokens.claims() };
      if (claims[this.config.claim] === undefined && configuration.serverMetadata().userinfo_endpoint) {
        Object.assign(claims, await client.fetchUserInfo(configuration, tokens.access_token, String(claims.sub)));
      }
      return { claims, idToken: tokens.id_token ?? null };
    } catch (error) {
      throw classify(error);
    }
  }

  /** RP-initiated logout at the provider, when it offers an end_session_endpoint. */
  async endSessionUrl(idToken: string | null): Promise<string | null> {
    let configuration: client.Configuration;
    try {
      configuration = await this.configuration();
    } catch {
      return null; // the provider is down: the LMS session still ends
    }
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    const parameters: Record<string, string> = { post_logout_redirect_uri: this.config.postLogoutRedirectUri, client_id: this.config.clientId };
    if (idToken) parameters.id_token_hint = idToken;
    return client.buildEndSessionUrl(configuration, parameters).href;
  }

  private async configuration(): Promise<client.Configuration> {
    const server = await (this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = null;
      throw classify(error);
    }));
    const skew = Math.round((this.now().getTime() - Date.now()) / 1000);
    const configuration = new client.Configuration(server, this.config.clientId, {
      ...(this.config.clientSecret ? { client_secret: this.config.clientSecret } : {}),
      [client.clockSkew]: skew, [client.clockTolerance]: this.config.clockToleranceSeconds,
    }, this.config.clientSecret ? client.ClientSecretPost(this.config.clientSecret) : client.None());
    configuration.timeout = this.config.timeoutSeconds;
    if (this.config.allowHttp) client.allowInsecureRequests(configuration);
    if (this.jwks) client.setJwksCache(configuration, this.jwks);
    return configuration;
  }

  private async discover(): Promise<client.ServerMetadata> {
    const found = await client.discovery(new URL(this.config.issuer), this.config.clientId, undefined, undefined, {
      execute: this.config.allowHttp ? [client.allowInsecureRequests] : [], timeout: this.config.timeoutSeconds,
    });
    return found.serverMetadata();
  }
}

/** A provider error becomes a problem the sign-in page can explain; the cause stays for the log. */
function classify(error: unknown): SignInRefusedError {
  if (error instanceof SignInRefusedError) return error;
  const refused = (problem: ConstructorParameters<typeof SignInRefusedError>[0], status?: number) =>
    Object.assign(new SignInRefusedError(problem, status), { cause: error });
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) return refused('PROVIDER_REFUSED');
  const code = (error as { code?: unknown })?.code;
  const cause = (error as { cause?: unknown })?.cause;
  if (code === 'OAUTH_TIMEOUT' || error instanceof TypeError || cause instanceof TypeError || (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError') {
    return refused('PROVIDER_UNREACHABLE', 503);
  }
  return refused('TOKEN_INVALID');
}
