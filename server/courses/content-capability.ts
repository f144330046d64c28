// Capability URLs for package content on its own origin. The content server carries no session,
// so the URL itself says what may be read: one course version, for one launch, until a time,
// framed by one LMS origin. HMAC-signed with a key derived from the session secret (pure module).
import crypto from 'node:crypto';

export interface ContentCapability {
  versionId: number;
  /** Who it was minted for: a launch (hash prefix of its token) or a previewing trainer. */
  subject: string;
  /** The LMS origin allowed to frame the content and to receive its API calls. */
  lmsOrigin: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface CapabilitySigner {
  sign(capability: ContentCapability): string;
  /** The capability, or null when forged, malformed or expired at `now`. */
  verify(token: string, now: Date): ContentCapability | null;
}

const MAX_TOKEN_LENGTH = 1024;

export function createCapabilitySigner(sessionSecret: string): CapabilitySigner {
  // A separate key: a content URL can never be replayed as a session cookie signature or vice versa.
  const key = crypto.createHmac('sha256', sessionSecret).update('lms-content-capability-v1').digest();
  const mac = (payload: string) => crypto.createHmac('sha256', key).update(payload).digest('base64url');
  return {
    sign(capability) {
      const payload = Buffer.from(JSON.stringify({ v: capability.versionId, s: capability.subject, o: capability.lmsOrigin, e: capability.expiresAt })).toString('base64url');
      return `${payload}.${mac(payload)}`;
    },
    verify(token, now) {
      if (token.length > MAX_TOKEN_LENGTH) return null;
      const [payload, signature, ...rest] = token.split('.');
      if (!payload || !signature || rest.length > 0) return null;
      const expected = Buffer.from(mac(payload));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      const { v, s, o, e } = (body ?? {}) as Record<string, unknown>;
      if (!Number.isSafeInteger(v) || typeof s !== 'string' || typeof o !== 'string' || typeof e !== 'number') return null;
      if (e <= now.getTime()) return null;
      return { versionId: v as number, subject: s, lmsOrigin: o, expiresAt: e };
    },
  };
}

/** `https://lms.example.com` from a configured URL; throws on anything that is not an http(s) origin. */
export function toOrigin(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${what} must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${what} must be an http(s) URL, got ${JSON.stringify(url)}`);
  return parsed.origin;
}
