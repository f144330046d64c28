import { expect } from 'chai';
import { createCapabilitySigner, toOrigin, type ContentCapability } from '../../server/courses/content-capability.js';

describe('content capabilities', () => {
  const now = new Date('2026-06-01T02:00:00Z');
  const capability: ContentCapability = { versionId: 7, subject: 'launch:abc123', lmsOrigin: 'https://lms.example.com', expiresAt: now.getTime() + 60_000 };
  const signer = createCapabilitySigner('a-session-secret-of-some-length');

  it('verifies what it signed, until it expires', () => {
    const token = signer.sign(capability);
    expect(token).to.match(/^[\w-]+\.[\w-]+$/);
    expect(signer.verify(token, now)).to.deep.equal(capability);
    expect(signer.verify(token, new Date(capability.expiresAt))).to.equal(null);
  });

  it('refuses a token signed with another secret, a changed payload or a changed signature', () => {
    const token = signer.sign(capability);
    expect(createCapabilitySigner('another-secret-of-some-length').verify(token, now)).to.equal(null);
    const [payload, signature] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ v: 8, s: 'launch:abc123', o: capability.lmsOrigin, e: capability.expiresAt })).toString('base64url');
    expect(signer.verify(`${otherPayload}.${signature}`, now)).to.equal(null);
    const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
    expect(signer.verify(`${payload}.${flipped}`, now)).to.equal(null);
    for (const junk of ['', '.', 'x', `${payload}.${signature}.x`, 'a'.repeat(5000)]) expect(signer.verify(junk, now), junk.slice(0, 20)).to.equal(null);
  });

  it('reduces configured URLs to their origin and refuses what is not http(s)', () => {
    expect(toOrigin('https://content.example.com:8443/some/path?q=1', 'x')).to.equal('https://content.example.com:8443');
    expect(() => toOrigin('javascript:alert(1)', 'contentOrigin')).to.throw(/contentOrigin/);
    expect(() => toOrigin('not a url', 'contentOrigin')).to.throw(/contentOrigin/);
  });
});
