/**
 * `lms export --branch CODE [--sub-branches] [--course CODE] [--status S] [--as-of YYYY-MM-DD]
 *  [--format csv|xlsx|json] [--report certifications|branches] [--out FILE]` — the same service
 * and files as the web export, run by an operator for the whole bank (audited with no actor).
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Container } from '../container.js';
import { AppError } from '../errors.js';
import { CERTIFICATION_STATUSES } from '../certification/status-rules.js';
import { REPORT_FORMATS, type ReportFormat } from './report-writer.js';

export const EXPORT_HELP = 'export --branch CODE [--sub-branches] [--course CODE] [--status S] [--as-of YYYY-MM-DD] [--format csv|xlsx|json] [--report certifications|branches] [--out FILE]';

const options = z.object({
  branch: z.string().trim().min(1, '--branch CODE is required'),
  'sub-branches': z.boolean().default(false),
  course: z.string().trim().min(1).optional(),
  status: z.enum(CERTIFICATION_STATUSES).optional(),
  'as-of': z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '--as-of must be YYYY-MM-DD').optional(),
  format: z.enum(REPORT_FORMATS as [ReportFormat, ...ReportFormat[]]).default('csv'),
  report: z.enum(['certifications', 'branches']).default('certifications'),
  out: z.string().min(1).optional(),
});

export async function runExportCommand(container: Container, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      branch: { type: 'string' }, 'sub-branches': { type: 'boolean' }, course: { type: 'string' }, status: { type: 'string' },
      'as-of': { type: 'string' }, format: { type: 'string' }, report: { type: 'string' }, out: { type: 'string' },
    },
  });
  const parsed = options.safeParse(values);
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('\n')}\nUsage: ${EXPORT_HELP}`);
    return 2;
  }
  const o = parsed.data;
  const { reports } = container.services;
  const operator = { id: null, scopes: null };
  const locale = container.config.defaultLocale;
  try {
    const prepared = o.report === 'branches'
      ? await reports.prepareBranchExport(operator, { rootCode: o.branch, asOf: o['as-of'] ?? null }, o.format, locale)
      : await reports.prepareCertificationExport(operator, {
        branchCode: o.branch, includeSubBranches: o['sub-branches'], courseCode: o.course ?? null, status: o.status ?? null, asOf: o['as-of'] ?? null,
      }, o.format, locale);
    const out: Writable = o.out ? fs.createWriteStream(o.out) : process.stdout;
    const rows = await prepared.writeTo(out);
    console.error(`Exported ${rows} rows${o.out ? ` to ${o.out}` : ''} (${prepared.fileName})`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`${error.message}${error.problems.length ? `: ${error.problems.map((p) => `${p.path} ${p.message}`).join('; ')}` : ''}`);
      return error.status === 404 ? 1 : 2;
    }
    throw error;
  }
}
