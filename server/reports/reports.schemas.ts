// Query strings of the report exports and dashboard pages, validated at the boundary.
import { z } from 'zod';
import { endOfLocalDay } from '../certification/calendar.js';
import { CERTIFICATION_STATUSES } from '../certification/status-rules.js';
import { REPORT_FORMATS, type ReportFormat } from './report-writer.js';

const code = z.string().trim().min(1).max(64);
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD');
const format = z.enum(REPORT_FORMATS as [ReportFormat, ...ReportFormat[]]).default('csv');
/** CSV and XLSX: column names and statuses in words (default) or the stable codes; JSON keys are always codes. */
const headers = z.enum(['words', 'codes']).default('words');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const certificationExportQuery = z.object({
  branch: code,
  subBranches: flag.default(true),
  course: code.optional(),
  status: z.enum(CERTIFICATION_STATUSES).optional(),
  asOf: localDate.optional(),
  format,
  headers,
});

export const branchExportQuery = z.object({
  root: code,
  asOf: localDate.optional(),
  format,
  headers,
});

export const dashboardQuery = z.object({
  asOf: z.union([localDate, z.literal('')]).optional().transform((v) => v || undefined),
  after: z.string().max(64).optional(),
});

/** The dashboard's as-of field as typed (a text field): bounded before anything reads it. */
export const dashboardTypedDate = z.object({
  asOf: z.string().max(32).optional().transform((v) => (v === undefined ? undefined : v.trim() || undefined)),
});

/** 'YYYY-MM-DD' naming a day that exists (2026-02-30 does not). */
export function isLocalDate(text: string, timeZone: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    endOfLocalDay(text, timeZone);
    return true;
  } catch {
    return false;
  }
}
