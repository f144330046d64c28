/**
 * What the public verification page may say about a certificate, and nothing more. Pure.
 * Validity comes from the status rules (valid through the end of the local expiry date);
 * a revocation wins over everything.
 */
import { computeCertificationStatus, type CertificateFacts, type CertificationPolicy } from './status-rules.js';
import { isSerialShaped } from './serial.js';

export const VERIFICATION_STATUSES = ['valid', 'expired', 'revoked', 'not_found'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export function verificationStatus(certificate: CertificateFacts | null, asOf: Date, policy: CertificationPolicy): VerificationStatus {
  if (!certificate) return 'not_found';
  if (certificate.revokedAt !== null) return 'revoked';
  // The certificate alone, as if it were the holder's only record: certified/expiring = valid now,
  // expired = lapsed; anything else means it was not issued yet at `asOf`.
  const { status } = computeCertificationStatus({
    enrollment: { assignedAt: certificate.issuedAt, dueAt: null }, certificates: [certificate], attempts: [], userStatus: 'active',
  }, asOf, policy);
  if (status === 'certified' || status === 'expiring') return 'valid';
  return status === 'expired' ? 'expired' : 'not_found';
}

/**
 * A serial as typed from paper: any case, spaces, with or without dashes, and the letters Crockford
 * base32 reads as digits (O → 0, I/L → 1). Null when it cannot be a serial.
 */
export function normalizeSerial(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== 12) return null;
  const serial = `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
  return isSerialShaped(serial) ? serial : null;
}
