/**
 * Evidence downloads for hr (their branch subtree) and admin: one employee's file in one course
 * as JSON or PDF, and a branch subtree's files as one streamed zip. Each download is audited.
 */
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Locale } from '../config.js';
import type { Logger } from '../logger.js';
import type { Translator } from '../i18n/i18n.js';
import { parseLocale } from '../i18n/i18n.js';
import { parseInput } from '../http/validate.js';
import { contentDisposition } from '../reports/export-filename.js';
import { findCertificateFont } from '../certification/certificate-pdf.js';
import { localDateOf } from '../certification/calendar.js';
import type { EvidenceLabels, EvidenceRenderer } from './evidence-pdf.js';
import { createPdfWorkerRenderer } from './evidence-pdf-pool.js';
import { streamZip } from './evidence-zip.js';
import { IDLE_CUT_SECONDS } from '../scorm/learning-time.js';
import type { EvidenceService } from './evidence.service.js';
import type { EvidenceRecord } from './evidence.types.js';

export interface EvidenceHandlerDeps {
  evidence: EvidenceService; translator: Translator; timeZone: string; now: () => Date; logger: Logger;
  /** config.pdfFont (null: the system CJK font). */
  pdfFont: string | null;
}

const LABEL_KEYS: Array<keyof EvidenceLabels> = [
  'title', 'employee', 'employeeNo', 'branch', 'position', 'course', 'status', 'asOf', 'due', 'expires', 'assignment', 'assignedAt', 'source',
  'attempts', 'attempt', 'started', 'finished', 'result', 'score', 'tries', 'try', 'learningTime', 'measured', 'reported', 'launches',
  'idleCut', 'certificates', 'serial', 'issued', 'revoked', 'exam', 'noExam', 'paper', 'answer', 'correct', 'mark', 'audit', 'auditHead',
  'generated', 'none',
];

const identifier = z.string().trim().min(1).max(64);
const zipQuery = z.object({ course: identifier, lang: z.enum(['zh-CN', 'en']).optional() });

/** A name safe in a zip entry and a download on every system. */
const safeName = (value: string | null) => (value ?? 'unknown').replace(/[^\p{L}\p{N}._-]/gu, '_').slice(0, 64);
const fileBase = (record: EvidenceRecord) => `${safeName(record.employee.employeeNo)}-${safeName(record.course.code)}`;

export function evidenceHandlers(deps: EvidenceHandlerDeps) {
  const { evidence, logger } = deps;
  const font = findCertificateFont(deps.pdfFont);
  // Drawn in a worker thread: a few pages of CJK layout take longer than a request may hold the loop.
  const pool = font ? createPdfWorkerRenderer(font) : null;
  const renderer: EvidenceRenderer | null = pool;

  const localeOf = (req: Request, res: Response): Locale => parseLocale(req.query.lang) ?? res.locals.locale;
  const labelsFor = (locale: Locale): EvidenceLabels => {
    const t = deps.translator.forLocale(locale) as (key: string, vars?: object) => string;
    return Object.fromEntries(LABEL_KEYS.map((k) => [k, t(`evidence.pdf.${k}`, { minutes: IDLE_CUT_SECONDS / 60 })])) as EvidenceLabels;
  };
  const recordOf = (req: Request) => evidence.forEmployee(req.user!, String(req.params.employeeNo).slice(0, 64), String(req.params.courseCode).slice(0, 64));

  const json: RequestHandler = async (req, res) => {
    const record = await recordOf(req);
    await evidence.auditExport(req.user!, `user:${record.employee.userId}`, { employeeNo: record.employee.employeeNo, course: record.course.code, format: 'json' });
    res.setHeader('Content-Disposition', contentDisposition(`${fileBase(record)}.json`, `${fileBase(record)}.json`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(record);
  };

  const noFont = (res: Response) => {
    res.status(503).render('errors/error', { title: res.locals.t('errors.title'), status: 503, message: res.locals.t('certificate.pdf.noFont') });
  };

  const pdf: RequestHandler = async (req, res) => {
    const record = await recordOf(req);
    if (!renderer) return noFont(res);
    const locale = localeOf(req, res);
    const body = await renderer.render(record, labelsFor(locale), locale, deps.timeZone);
    await evidence.auditExport(req.user!, `user:${record.employee.userId}`, { employeeNo: record.employee.employeeNo, course: record.course.code, format: 'pdf' });
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(`${fileBase(record)}.pdf`, `${fileBase(record)}.pdf`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(body);
  };

  /** Everything is checked (scope, course, query) before the first byte; then people stream in. */
  const branchZip: RequestHandler = async (req, res) => {
    const query = parseInput(zipQuery, req.query);
    const { branch, course } = await evidence.prepareBranch(req.user!, String(req.params.code).slice(0, 64), query.course);
    if (!renderer) return noFont(res);
    const locale: Locale = query.lang ?? res.locals.locale;
    const labels = labelsFor(locale);
    const name = `evidence-${safeName(branch.code)}-${safeName(course.code)}-${localDateOf(deps.now(), deps.timeZone)}.zip`;
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', contentDisposition(name, name));
    res.setHeader('Cache-Control', 'private, no-store');
    const zip = streamZip(res, deps.now());
    let people = 0;
    try {
      people = await evidence.forEachInBranch(req.user!, branch.path, course, async (record) => {
        const folder = safeName(record.employee.branchCode);
        await zip.add(`${folder}/${fileBase(record)}.json`, JSON.stringify(record, null, 2));
        await zip.add(`${folder}/${fileBase(record)}.pdf`, await renderer.render(record, labels, locale, deps.timeZone));
      }, zip.isClosed);
      if (!zip.isClosed()) await zip.end();
    } catch (error) {
      // A cut zip must not look complete.
      logger.warn({ err: error }, '[evidence] branch zip stopped before the end');
      res.destroy();
    } finally {
      await evidence.auditExport(req.user!, `branch:${branch.code}`, { course: course.code, format: 'zip', people, complete: !zip.isClosed() || res.writableFinished });
    }
  };

  return { json, pdf, branchZip, close: async () => { await pool?.close(); } };
}
