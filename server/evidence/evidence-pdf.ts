/**
 * The evidence file as a PDF (A4 portrait, as many pages as the record needs): the same record as
 * the JSON, for people who read paper. No Express, no database: labels come translated and times
 * are shown in the configured zone. Chinese uses the certificate's CJK font, parsed once.
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { Locale } from '../config.js';
import { currentFont, type CertificateFontSpec, type ParsedFont } from '../certification/certificate-pdf.js';
import { formatLocalDateTime } from '../certification/calendar.js';
import { formatDuration } from '../http/view-helpers/duration.js';
import type { AuditPosition, EvidenceRecord } from './evidence.types.js';

/** Translated words the PDF prints (the locale file's `evidence.pdf.*`). */
export type EvidenceLabels = Record<
  'title' | 'employee' | 'employeeNo' | 'branch' | 'position' | 'course' | 'status' | 'asOf' | 'due' | 'expires' | 'assignment' | 'assignedAt' | 'source'
  | 'attempts' | 'attempt' | 'started' | 'finished' | 'result' | 'score' | 'tries' | 'try' | 'learningTime' | 'measured' | 'reported' | 'launches'
  | 'idleCut' | 'certificates' | 'serial' | 'issued' | 'revoked' | 'exam' | 'noExam' | 'paper' | 'answer' | 'correct' | 'mark' | 'audit' | 'auditHead'
  | 'generated' | 'none',
  string
>;

export interface EvidenceRenderer { render(record: EvidenceRecord, labels: EvidenceLabels, locale: Locale, timeZone: string): Promise<Buffer> }

const FONT = 'evidence-cjk';
const INK = '#1f2933';
const MUTED = '#52606d';
const ACCENT = '#8a1c1c';

export function createEvidenceRenderer(font: CertificateFontSpec): EvidenceRenderer {
  let parsed: ParsedFont | null = null;
  let data: Buffer | null = null;
  return {
    async render(record, labels, locale, timeZone) {
      data ??= parsed ? null : await fs.promises.readFile(font.file);
      const doc = new PDFDocument({
        size: 'A4', margin: 48, lang: locale, displayTitle: true, bufferPages: false,
        info: { Title: `${labels.title} ${record.employee.employeeNo ?? ''} ${record.course.code}`, Subject: record.course.title },
      });
      const chunks: Buffer[] = [];
      const finished = new Promise<Buffer>((resolve, reject) => {
        doc.on('data', (chunk: Buffer) => chunks.push(chunk));
        doc.on('end', () => resolve(Buffer.concat(chunks)));
        doc.on('error', reject);
      });
      doc.registerFont(FONT, (parsed ?? data) as Buffer, font.face ?? undefined);
      doc.font(FONT);
      if (!parsed) {
        parsed = currentFont(doc);
        if (parsed) data = null;
      }
      drawEvidence(doc, record, labels, (iso) => (iso ? formatLocalDateTime(new Date(iso), timeZone) : '—'));
      doc.end();
      return finished;
    },
  };
}

function drawEvidence(doc: PDFKit.PDFDocument, r: EvidenceRecord, l: EvidenceLabels, time: (iso: string | null) => string): void {
  const heading = (text: string) => doc.moveDown(0.6).fillColor(ACCENT).fontSize(13).text(text).fillColor(INK).fontSize(10);
  const line = (text: string, color = INK) => doc.fillColor(color).fontSize(10).text(text).fillColor(INK);
  const field = (label: string, value: string | number | null) => line(`${label}: ${value === null || value === '' ? '—' : String(value)}`);
  const audit = (positions: AuditPosition[], indent = '') => {
    for (const p of positions) line(`${indent}${l.audit} #${p.id} ${p.action} ${time(p.at)} ${p.hash.slice(0, 16)}…`, MUTED);
  };

  doc.fillColor(ACCENT).fontSize(18).text(l.title, { align: 'center' }).fillColor(INK);
  doc.fontSize(9).fillColor(MUTED).text(`${l.generated}: ${time(r.generatedAt)}${r.generatedBy ? ` · ${r.generatedBy.name}` : ''}`, { align: 'center' }).fillColor(INK);

  heading(l.employee);
  field(l.employee, r.employee.name);
  field(l.employeeNo, r.employee.employeeNo);
  field(l.branch, [r.employee.branchCode, r.employee.branchName].filter(Boolean).join(' '));
  field(l.position, r.employee.position);

  heading(l.course);
  field(l.course, `${r.course.code} ${r.course.title}`);
  field(l.status, r.status ? `${r.status.status} (${l.asOf} ${r.status.asOf})` : null);
  if (r.status?.dueDate) field(l.due, r.status.dueDate);
  if (r.status?.expiryDate) field(l.expires, r.status.expiryDate);

  heading(l.assignment);
  field(l.source, r.assignment.source);
  field(l.assignedAt, time(r.assignment.assignedAt));
  field(l.due, r.assignment.dueAt ? time(r.assignment.dueAt) : null);
  audit(r.assignment.audit);

  heading(`${l.learningTime}`);
  field(l.measured, formatDuration(r.learningTime.measuredSeconds));
  field(l.reported, formatDuration(r.learningTime.scormSeconds));
  field(l.launches, r.learningTime.launches);
  line(l.idleCut, MUTED);

  heading(l.attempts);
  if (r.attempts.length === 0) line(l.none, MUTED);
  for (const a of r.attempts) {
    doc.moveDown(0.3);
    line(`${l.attempt} #${a.number} · ${l.started} ${time(a.startedAt)} · ${l.finished} ${time(a.finishedAt)}`);
    line(`  ${l.result}: ${a.completionStatus} / ${a.successStatus} · ${l.score}: ${a.score ?? '—'} · ${l.tries}: ${a.triesCount}`);
    line(`  ${l.learningTime}: ${l.measured} ${formatDuration(a.learningTime.measuredSeconds)} · ${l.reported} ${formatDuration(a.learningTime.scormSeconds)} · ${l.launches} ${a.learningTime.launches}`);
    audit(a.audit, '  ');
    for (const t of a.tries) {
      line(`  ${l.try} ${t.tryNumber} (${t.sco}) · ${time(t.recordedAt)} · ${t.successStatus} · ${l.score}: ${t.score ?? t.scoreRaw ?? '—'}`);
      for (const i of t.interactions) line(`      ${i.id}: ${i.response ?? ''} (${i.result ?? ''})`, MUTED);
      audit(t.audit, '    ');
    }
  }

  heading(l.exam);
  if (r.exam.attempts.length === 0) line(l.noExam, MUTED);
  for (const e of r.exam.attempts) {
    line(`${l.attempt} #${e.number} · ${l.started} ${time(e.startedAt)} · ${l.finished} ${time(e.submittedAt)} · ${l.score}: ${e.score ?? '—'}`);
    for (const q of e.paper) {
      line(`  ${q.stem}`);
      line(`    ${l.answer}: ${q.answer.join(', ') || '—'} · ${l.correct}: ${q.correct.join(', ')} · ${l.mark}: ${q.mark}/${q.maxMark}`, MUTED);
    }
    audit(e.audit, '  ');
  }

  heading(l.certificates);
  if (r.certificates.length === 0) line(l.none, MUTED);
  for (const c of r.certificates) {
    line(`${l.serial} ${c.serial} · ${l.issued} ${time(c.issuedAt)} · ${l.expires} ${c.expiresAt} · ${l.score}: ${c.score ?? '—'}`);
    if (c.revokedAt) line(`  ${l.revoked}: ${time(c.revokedAt)} ${c.revokedReason ?? ''}`, ACCENT);
    audit(c.audit, '  ');
  }

  if (r.auditHead) {
    doc.moveDown(0.8);
    line(`${l.auditHead}: #${r.auditHead.id} ${r.auditHead.hash}`, MUTED);
  }
}
