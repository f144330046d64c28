/**
 * `npm run lms -- import-roster FILE [--apply] [--valid-only] [--effective-date YYYY-MM-DD]`:
 * the same service as the web page, run as an administrator (the whole bank). Prints the dry run;
 * writes only with --apply. Exit codes: 0 done, 1 rows have errors and nothing was written,
 * 2 bad arguments or a file that cannot be imported at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RosterImportService } from './roster-import.service.js';
import type { RosterReport } from './roster-report.js';
import { parseRosterDate } from './roster-values.js';

export const IMPORT_ROSTER_HELP = 'import-roster FILE [--apply] [--valid-only] [--effective-date YYYY-MM-DD]   dry run of a branch or employee roster (CSV/XLSX); writes only with --apply';

const LISTED_CHANGES = 20;

interface Output { log(line: string): void; error(line: string): void }

export async function runImportRosterCommand(container: { services: { roster: RosterImportService } }, args: string[], out: Output = console): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { apply: { type: 'boolean' }, 'valid-only': { type: 'boolean' }, 'effective-date': { type: 'string' } } });
  } catch (error) {
    out.error(`${(error as Error).message}\nUsage: ${IMPORT_ROSTER_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    out.error(`Usage: ${IMPORT_ROSTER_HELP}`);
    return 2;
  }
  const effectiveDate = values['effective-date'] ?? null;
  if (effectiveDate !== null && !(/^\d{4}-\d{2}-\d{2}$/.test(effectiveDate) && 'date' in parseRosterDate(effectiveDate))) {
    out.error(`--effective-date must be a real date YYYY-MM-DD, not "${effectiveDate}"`);
    return 2;
  }
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    out.error(`No such file: ${file}`);
    return 2;
  }
  const report = await container.services.roster.run({
    filePath: file, fileName: path.basename(file), effectiveDate, apply: Boolean(values.apply), validOnly: Boolean(values['valid-only']),
    actor: { id: null, scopes: null, via: 'cli' },
  });
  printReport(report, Boolean(values.apply), out);
  if (report.isFileRejected) return 2;
  return report.errorCount > 0 && !report.applied ? 1 : 0;
}

function printReport(report: RosterReport, wantsApply: boolean, out: Output): void {
  const format = report.fileType === 'xlsx' ? 'XLSX' : `CSV, ${report.encoding === 'gb18030' ? 'GBK' : 'UTF-8'}`;
  out.log(`${report.fileName} (${format})${report.kind ? `: ${report.kind} file` : ''}, effective ${report.effectiveDate}`);
  out.log(`Rows: ${report.rowCount} (${report.validRowCount} valid, ${report.invalidRowCount} with errors)`);
  const counts = Object.entries(report.counts).filter(([action, n]) => n > 0 || action === 'unchanged').map(([action, n]) => `${action} ${n}`);
  out.log(`Changes: ${counts.join(', ')}`);
  for (const change of report.changes.slice(0, LISTED_CHANGES)) {
    const details = change.fields.map((f) => `${f.field} ${f.from ?? '-'} → ${f.to ?? '-'}`).join('; ');
    out.log(`  row ${change.row}  ${change.key}  ${change.actions.join('+')}${details ? `  (${details})` : ''}`);
  }
  if (report.changeCount > LISTED_CHANGES) out.log(`  … and ${report.changeCount - LISTED_CHANGES} more changed rows`);
  if (report.errorCount) {
    out.error(`Errors: ${report.errorCount}`);
    for (const e of report.errors) out.error(`  row ${e.row}${e.column ? `, column ${e.column}` : ''}: ${e.message}`);
    if (report.errorCount > report.errors.length) out.error(`  … and ${report.errorCount - report.errors.length} more errors`);
  }
  if (report.applied) out.log(`Applied: ${report.changeCount} rows changed${report.errorCount ? `; ${report.invalidRowCount} rows with errors skipped` : ''}.`);
  else if (wantsApply && report.changeCount === 0 && !report.errorCount) out.log('Nothing to apply: the system already matches this file.');
  else if (wantsApply) out.error('Nothing was written. Correct the errors, or add --valid-only to import the valid rows.');
  else out.log('Dry run: nothing was written. Add --apply to apply these changes.');
}
