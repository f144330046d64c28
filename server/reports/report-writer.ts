/**
 * One streaming interface for every export format. The caller feeds rows one at a time and
 * awaits writeRow only when it returns a promise (the destination is full), so a 4-million-row
 * export keeps flat memory and a fast destination costs no extra ticks.
 */
import type { Writable } from 'node:stream';
import type { Locale } from '../config.js';
import { createCsvWriter } from './csv-writer.js';
import { columnSpecs, REPORT_COLUMNS, type ReportCell, type ReportKind, type ReportRow } from './export-columns.js';
import { createJsonWriter } from './json-writer.js';
import { createXlsxWriter } from './xlsx-writer.js';

export type ReportFormat = 'csv' | 'xlsx' | 'json';

export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'xlsx', 'json'];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

export interface ReportMeta {
  report: ReportKind;
  /** What the rows cover, for people: e.g. '310000 上海分行（含下级机构）'. */
  scope: string;
  /** 'YYYY-MM-DD' the statuses were computed for. */
  asOf: string;
  generatedAt: Date;
  /** Zone for showing generatedAt; default Asia/Shanghai. */
  timeZone?: string;
  /** Language of the XLSX sheet names and summary; default zh-CN. */
  locale?: Locale;
  /**
   * 'words' (issue 17): the header row names the columns in `locale` and statuses read as words, for
   * people; 'codes' (the default here, and always for JSON): the column names and status codes below,
   * the stable set for integrations.
   */
  headings?: ReportHeadings;
}

export type ReportHeadings = 'words' | 'codes';

/** The header row a CSV or XLSX file starts with. */
export function headerCells(report: ReportKind, headings: ReportHeadings, locale: Locale): string[] {
  return headings === 'words' ? columnSpecs(report).map((spec) => spec.labels[locale]) : [...REPORT_COLUMNS[report]];
}

export interface ReportWriter {
  /** Returns a promise only when the caller must wait for the destination to drain. */
  writeRow(row: ReportRow): Promise<void> | void;
  /**
   * The same for cells already in column order — e.g. better-sqlite3's `.raw()` rows from a
   * SELECT listing the columns in order, which skips building an object per row.
   */
  writeValues(cells: ReadonlyArray<ReportCell | undefined>): Promise<void> | void;
  /** Writes what remains, ends the destination and resolves once it has finished. */
  end(): Promise<void>;
  /** Data rows written so far (the header is not a row), for the audit record. */
  readonly rowCount: number;
}

export function createReportWriter(format: ReportFormat, out: Writable, meta: ReportMeta): ReportWriter {
  switch (format) {
    case 'csv':
      return createCsvWriter(out, REPORT_COLUMNS[meta.report], headerCells(meta.report, meta.headings ?? 'codes', meta.locale ?? 'zh-CN'));
    case 'json':
      return createJsonWriter(out, REPORT_COLUMNS[meta.report]);
    case 'xlsx':
      return createXlsxWriter(out, meta);
  }
}

/** Feeds every row of a (sync or async) iterable, honouring backpressure, then ends the writer. */
export async function writeAllRows(writer: ReportWriter, rows: Iterable<ReportRow> | AsyncIterable<ReportRow>): Promise<number> {
  for await (const row of rows) {
    const wait = writer.writeRow(row);
    if (wait) await wait;
  }
  await writer.end();
  return writer.rowCount;
}
