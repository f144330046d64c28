import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { reasonField } from './assignments.schemas.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { Locale } from '../config.js';
import type { Translator } from '../i18n/i18n.js';
import { parseLocale } from '../i18n/i18n.js';
import type { UsersStore } from '../org/users.repository.js';
import type { CoursesStore } from '../courses/courses.repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { formHandler } from '../http/forms.js';
import { parseInput } from '../http/validate.js';
import { contentDisposition } from '../reports/export-filename.js';
import type { CertificateView, CertificationStore } from './certification.repository.js';
import { DEFAULT_CERTIFICATION_POLICY } from './status-rules.js';
import { localDateOf } from './calendar.js';
import { canOpenCertificate } from './certificate-access.js';
import { createCertificateRenderer, findCertificateFont, type CertificateLabels } from './certificate-pdf.js';
import { normalizeSerial, verificationStatus, type VerificationStatus } from './verify-status.js';

export interface CertificatesDeps {
  certification: CertificationStore; users: UsersStore; courses: CoursesStore;
  translator: Translator; timeZone: string; now: () => Date; logger: Logger;
  /** Absolute LMS root for QR codes; null: the origin and mount path of the downloading request. */
  publicUrl: string | null;
  /** config.pdfFont: null looks for a system CJK font. */
  pdfFont: string | null;
  /** Verification look-ups per client address and minute (default 60). */
  verifyPerMinute?: number;
}

export const revokeSchema = z.object({ reason: reasonField });
/** The page's form also needs the tick-box: a revocation cannot be undone, so one stray click must not do it. */
export const revokeFormSchema = revokeSchema.extend({
  confirm: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().refine((v) => v === '1', { message: 'Tick the box to confirm the revocation', params: { code: 'CONFIRM_REQUIRED' } })),
});

type T = (key: string, vars?: object) => string;

export function certificatesHandlers(deps: CertificatesDeps) {
  const { certification, logger } = deps;
  // Validity depends only on the zone's calendar, not on the warning windows.
  const policy = { ...DEFAULT_CERTIFICATION_POLICY, timeZone: deps.timeZone };
  // A configured font that is missing stops startup here; no font at all only disables the PDFs.
  const font = findCertificateFont(deps.pdfFont);
  if (!font) logger.error('[certification] no CJK font found: certificate PDFs are unavailable. Install fonts-noto-cjk or set pdfFont (LMS_PDF_FONT)');
  const renderer = font ? createCertificateRenderer(font) : null;
  // Public page: a scanner cannot walk 60-bit serials, but should not load the database either.
  const verifyLimiter = new RateLimiterMemory({ keyPrefix: 'verify', points: deps.verifyPerMinute ?? 60, duration: 60 });

  const findBySerial = async (raw: unknown): Promise<CertificateView | null> => {
    const serial = normalizeSerial(raw);
    return serial ? certification.findCertificate(serial) : null;
  };
  const statusOf = (c: CertificateView | null): VerificationStatus => verificationStatus(c, deps.now(), policy);
  const localeOf = (req: Request, res: Response): Locale => parseLocale(req.query.lang) ?? res.locals.locale;

  const downloadPdf: RequestHandler = async (req, res) => {
    const certificate = await findBySerial(req.params.serial);
    NotFoundError.assertFound(certificate, 'No such certificate');
    const holder = await deps.users.findById(certificate.userId);
    if (!canOpenCertificate(req.user!, { userId: certificate.userId, branchPath: holder?.branchPath ?? null })) throw new NotFoundError('No such certificate');
    // A revoked certificate's PDF would still look valid on paper.
    if (certificate.revokedAt !== null) throw new NotFoundError('This certificate was revoked');
    if (!renderer) {
      res.status(503).render('errors/error', { title: res.locals.t('errors.title'), status: 503, message: res.locals.t('certificate.pdf.noFont') });
      return;
    }
    const locale = localeOf(req, res);
    const t = deps.translator.forLocale(locale) as T;
    const pdf = await renderer.render({
      locale, issuer: t('app.name'), serial: certificate.serial, holderName: certificate.userName, employeeNo: certificate.employeeNo,
      branchName: certificate.branchName, courseTitle: certificate.courseTitle, score: certificate.score,
      issuedOn: localDateOf(new Date(certificate.issuedAt), policy.timeZone), validUntil: certificate.expiresAt,
      verifyUrl: `${deps.publicUrl ?? requestRoot(req)}/verify/${certificate.serial}`,
    }, pdfLabels(t));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(pdfFileName(t, certificate), `certificate-${certificate.serial}.pdf`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(pdf);
  };

  const verify: RequestHandler = async (req, res) => {
    // The page has no form: rendering must not touch the CSRF getter, which would start a session
    // (a cookie and a database write for every anonymous scan, and no shared caching).
    delete res.locals.csrfToken;
    const locale = localeOf(req, res);
    const page = { layout: false, locale, t: deps.translator.forLocale(locale), title: deps.translator.forLocale(locale)('certificate.verify.title') };
    try {
      await verifyLimiter.consume(req.ip ?? 'unknown');
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      res.setHeader('Retry-After', String(Math.ceil(error.msBeforeNext / 1000)));
      res.status(429).render('certification/verify', { ...page, status: 'too_many' });
      return;
    }
    const certificate = await findBySerial(req.params.serial);
    const status = statusOf(certificate);
    // Only the status, the name and the course (and the expiry while valid): nothing else leaves.
    const shown = status === 'not_found' || !certificate ? {} : {
      holderName: certificate.userName, courseTitle: certificate.courseTitle, validUntil: status === 'valid' ? certificate.expiresAt : null,
    };
    // Same answer for everyone: shared caches may keep it briefly (a revocation shows within a minute).
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.setHeader('Vary', 'Cookie');
    res.status(status === 'not_found' ? 404 : 200).render('certification/verify', { ...page, status, ...shown });
  };

  /** Certificates by serial or by the holder's employee number, newest first. */
  const search = async (q: string): Promise<CertificateView[]> => {
    const found = new Map<string, CertificateView>();
    const bySerial = await findBySerial(q);
    if (bySerial) found.set(bySerial.serial, bySerial);
    const holder = await deps.users.findByEmployeeNo(q);
    if (holder) for (const view of await certification.certificatesOfUser(holder.id)) found.set(view.serial, view);
    return [...found.values()].sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  };

  const adminRow = (c: CertificateView) => ({
    serial: c.serial, holderName: c.userName, employeeNo: c.employeeNo, branchName: c.branchName, courseCode: c.courseCode, courseTitle: c.courseTitle,
    issuedOn: localDateOf(new Date(c.issuedAt), policy.timeZone), validUntil: c.expiresAt, status: statusOf(c),
    revokedAt: c.revokedAt, revokedReason: c.revokedReason,
  });

  const renderAdmin = async (req: Request, res: Response, state: { q: string; values?: unknown; errors?: Record<string, string>; errorSerial?: string }) => {
    const certificates = state.q ? (await search(state.q)).map(adminRow) : [];
    res.render('certification/admin', {
      title: res.locals.t('certificate.admin.title'), q: state.q, certificates, searched: state.q !== '',
      values: state.values ?? {}, errors: state.errors ?? {}, errorSerial: state.errorSerial ?? null,
      revoked: normalizeSerial(req.query.revoked),
    });
  };

  const adminPage: RequestHandler = async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 64) : '';
    await renderAdmin(req, res, { q });
  };

  /** Revokes (audited in the repository); 404 for no such serial, 409 when already revoked. */
  const revoke = async (raw: unknown, reason: string, actorId: number): Promise<CertificateView> => {
    const certificate = await findBySerial(raw);
    NotFoundError.assertFound(certificate, 'No such certificate');
    if (!(await certification.revokeCertificate(certificate.serial, reason, actorId))) throw new ConflictError('This certificate is already revoked', [], 'ALREADY_REVOKED');
    logger.info({ serial: certificate.serial, actorId }, '[certification] certificate revoked');
    return (await certification.findCertificate(certificate.serial))!;
  };

  const revokeForm = formHandler(revokeFormSchema, async (data, req, res) => {
    const certificate = await revoke(req.params.serial, data.reason, req.user!.id);
    res.redirect(`${res.locals.baseUrl}/admin/certificates?q=${encodeURIComponent(certificate.serial)}&revoked=${certificate.serial}`);
  }, async (req, res, state) => {
    // The form shows the list again with the message beside this certificate's reason field.
    const serial = normalizeSerial(req.params.serial) ?? '';
    await renderAdmin(req, res, { q: serial, values: state.values, errors: state.errors, errorSerial: serial });
  });

  const revokeApi: RequestHandler = async (req, res) => {
    const input = parseInput(revokeSchema, req.body ?? {});
    const certificate = await revoke(req.params.serial, input.reason, req.user!.id);
    res.json({ certificate: { serial: certificate.serial, status: statusOf(certificate), revokedAt: certificate.revokedAt, reason: certificate.revokedReason } });
  };

  return { downloadPdf, verify, adminPage, revokeForm, revokeApi };
}

/** The LMS root as the request reached it (scheme, host, mount path), when publicUrl is not set. */
function requestRoot(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

function pdfLabels(t: T): CertificateLabels {
  const keys = ['title', 'intro', 'name', 'employeeNo', 'branch', 'course', 'score', 'issuedOn', 'validUntil', 'serial', 'scanToVerify'] as const;
  return Object.fromEntries(keys.map((k) => [k, t(`certificate.pdf.${k}`)])) as unknown as CertificateLabels;
}

// Characters no file system or header should see in a name (control characters included).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;

/** '证书-张三-消费者权益保护-ABCD-EFGH-JKMN.pdf' / 'certificate-…'. */
function pdfFileName(t: T, c: CertificateView): string {
  return `${[t('certificate.pdf.fileWord'), c.userName, c.courseTitle, c.serial].map((p) => p.replace(UNSAFE, '_').trim()).join('-')}.pdf`;
}
