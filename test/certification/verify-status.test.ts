import { expect } from 'chai';
import { normalizeSerial, verificationStatus } from '../../server/certification/verify-status.js';
import { DEFAULT_CERTIFICATION_POLICY } from '../../server/certification/status-rules.js';

const shanghai = { ...DEFAULT_CERTIFICATION_POLICY, timeZone: 'Asia/Shanghai' };
const newYork = { ...DEFAULT_CERTIFICATION_POLICY, timeZone: 'America/New_York' };
const certificate = { issuedAt: '2026-06-01T02:00:00.000Z', expiresAt: '2027-05-31', revokedAt: null };
const at = (iso: string) => new Date(iso);

describe('verificationStatus', () => {
  it('is not_found without a certificate', () => {
    expect(verificationStatus(null, at('2026-07-01T00:00:00Z'), shanghai)).to.equal('not_found');
  });

  it('is valid through the last millisecond of the local expiry date, expired from the next local midnight', () => {
    // 2027-05-31 ends in Shanghai (UTC+8) at 15:59:59.999Z.
    expect(verificationStatus(certificate, at('2027-05-31T15:59:59.999Z'), shanghai)).to.equal('valid');
    expect(verificationStatus(certificate, at('2027-05-31T16:00:00.000Z'), shanghai)).to.equal('expired');
  });

  it('cuts off in the configured zone (New York, UTC−4 in May)', () => {
    expect(verificationStatus(certificate, at('2027-06-01T03:59:59.999Z'), newYork)).to.equal('valid');
    expect(verificationStatus(certificate, at('2027-06-01T04:00:00.000Z'), newYork)).to.equal('expired');
  });

  it('is valid inside the expiring window too (the public page does not warn)', () => {
    expect(verificationStatus(certificate, at('2027-05-20T00:00:00Z'), shanghai)).to.equal('valid');
  });

  it('says revoked whenever it was revoked, before or after expiry', () => {
    const revoked = { ...certificate, revokedAt: '2026-08-01T00:00:00.000Z' };
    expect(verificationStatus(revoked, at('2026-09-01T00:00:00Z'), shanghai)).to.equal('revoked');
    expect(verificationStatus(revoked, at('2030-01-01T00:00:00Z'), shanghai)).to.equal('revoked');
  });

  it('does not vouch for a certificate before its issue instant', () => {
    expect(verificationStatus(certificate, at('2026-06-01T01:59:59.999Z'), shanghai)).to.equal('not_found');
  });
});

describe('normalizeSerial', () => {
  it('keeps a well-formed serial', () => {
    expect(normalizeSerial('7K3M-9QX2-ABCD')).to.equal('7K3M-9QX2-ABCD');
  });

  it('reads what people type: case, spaces, missing dashes, O/I/L for 0/1', () => {
    expect(normalizeSerial(' 7k3m 9qx2 abcd ')).to.equal('7K3M-9QX2-ABCD');
    expect(normalizeSerial('7k3m9qx2abcd')).to.equal('7K3M-9QX2-ABCD');
    expect(normalizeSerial('O1IL-0000-1111')).to.equal('0111-0000-1111');
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'ABCD-EFGH', 'ABCD-EFGH-JKMN-P', 'UUUU-UUUU-UUUU', '证书证书-证书证书-证书证书', '../../etc/passwd', 'A'.repeat(100), undefined, 42, ['ABCD-EFGH-JKMN']]) {
      expect(normalizeSerial(bad), String(bad)).to.equal(null);
    }
  });
});
