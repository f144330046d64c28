// Query strings of the report exports and dashboard pages, validated at the boundary.
import { z } from 'zod';
import { CERTIFICATION_STATUSES } from '../certification/status-rules.js';
import { REPORT_FORMATS, type ReportFormat } from './report-writer.js';

const code = z.string().trim().min(1).max(64);
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD');
const format = z.enum(REPORT_FORMATS as [ReportFormat, ...ReportFormat[]]).default('csv');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const certificationExportQuery = z.object({
  branch: code,
  subBranches: flag.default(true),
  course: code.optional(),
  status: z.enum(CERTIFICATION_STATUSES).optional(),
  asOf: localDate.optional(),
  format,
});

export const branchExportQuery = z.object({
  root: code,
  asOf: localDate.optional(),
  format,
});

export const dashboardQuery = z.object({
  asOf: z.union([localDate, z.literal('')]).optional().transform((v) => v || undefined),
  after: z.string().max(64).optional(),
});
