/**
 * The learner list as a file (issue 17): the filtered list, CSV (UTF-8 with BOM, formula-safe) or
 * XLSX. Headers are words in the user's language by default; `?headers=codes` gives the stable
 * machine-readable column names below (and status codes instead of words) for integrations.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { createCsvWriter } from '../reports/csv-writer.js';
import type { ReportCell } from '../reports/export-columns.js';
import type { LearnerListItem } from './learner-list.service.js';

export const LEARNER_COLUMNS = [
  'employee_no', 'employee_name', 'branch_code', 'branch_name', 'position', 'status', 'due_date', 'expires_at', 'attempts_used', 'attempts_allowed', 'last_score',
] as const;

export type LearnerExportFormat = 'csv' | 'xlsx';

type T = (key: string, vars?: object) => string;

export function learnerCells(l: LearnerListItem, t: T, codes: boolean): ReportCell[] {
  const status = l.status ?? 'self';
  const last = l.attempts.at(-1);
  return [
    l.employeeNo, l.name, l.branchCode, l.branchName, l.position,
    codes ? status : t(status === 'self' ? 'insights.learners.self' : `status.${status}`),
    l.dueDate, l.expiryDate, l.used, l.allowed, last?.score ?? null,
  ];
}

/** Writes every row to `out` and ends it; resolves to the row count. */
export async function writeLearnerExport(out: Writable, format: LearnerExportFormat, rows: AsyncIterable<LearnerListItem>, t: T, codes: boolean): Promise<number> {
  const headers = LEARNER_COLUMNS.map((c) => (codes ? c : t(`learnerList.columns.${c}`)));
  let count = 0;
  if (format === 'csv') {
    const writer = createCsvWriter(out, headers);
    for await (const row of rows) {
      const wait = writer.writeValues(learnerCells(row, t, codes));
      if (wait) await wait;
    }
    await writer.end();
    return writer.rowCount;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(codes ? 'learners' : t('learnerList.sheet'));
  sheet.addRow(headers).commit();
  for await (const row of rows) {
    // Text cells stay text: an employee number '000123' keeps its zeros.
    sheet.addRow(learnerCells(row, t, codes).map((c) => c ?? null)).commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
