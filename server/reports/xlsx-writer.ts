/**
 * Streaming XLSX through ExcelJS's WorkbookWriter: each row is committed (serialised and let go)
 * as it arrives.
 *   detail   header row = the column names, frozen, with an autofilter over all rows; text columns
 *            are text cells (employee no. '000123' stays '000123'), 'YYYY-MM-DD' dates are date
 *            cells, compliance rates are percentages. A sheet holds at most 1,048,576 rows, so a
 *            full-bank export continues on 明细 (2), 明细 (3)… each with its own header.
 *   summary  report, scope, as-of date, generation time, row count, rows per status, and a
 *            legend of the columns in the chosen language.
 * Detail sheets come first: the zip is written entry by entry, so a sheet opened before them
 * would hold every detail row in memory until it closed — and the summary's counts are only
 * known once the last row has passed.
 * Text is stored as plain string cells, never as formulas, so '=HYPERLINK(…)' is inert here.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { formatLocalDateTime, isLocalDate } from '../certification/calendar.js';
import { CERTIFICATION_STATUSES } from '../certification/status-rules.js';
import type { Locale } from '../config.js';
import { assertWidth, columnSpecs, STATUS_LABELS, type ColumnKind, type ColumnSpec, type ReportCell, type ReportKind } from './export-columns.js';
import type { ReportMeta, ReportWriter } from './report-writer.js';
import { waitForDrain } from './text-sink.js';

/** Excel's limit is 1,048,576 rows including the header. */
export const MAX_DATA_ROWS_PER_SHEET = 1_048_575;
// Give the zip a turn this often, and pause while more than this much XML waits to be compressed.
const ROWS_PER_TURN = 500;
const MAX_ZIP_BACKLOG_BYTES = 4 * 1024 * 1024;

const WORDS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    detail: '明细',
    summary: '汇总',
    report: '报表',
    scope: '范围',
    asOf: '截至日期',
    generatedAt: '生成时间',
    rows: '明细行数',
    status: '状态',
    count: '行数',
    column: '列名',
    meaning: '含义',
    certifications: '员工课程认证明细',
    branches: '机构合规汇总',
  },
  en: {
    detail: 'Detail',
    summary: 'Summary',
    report: 'Report',
    scope: 'Scope',
    asOf: 'As of',
    generatedAt: 'Generated at',
    rows: 'Detail rows',
    status: 'Status',
    count: 'Rows',
    column: 'Column',
    meaning: 'Meaning',
    certifications: 'Certifications by employee and course',
    branches: 'Compliance by branch',
  },
};

// One frozen style object per column kind: ExcelJS recognises a style it has seen by identity,
// while a fresh object per cell costs a full style lookup (about twice the time of the row).
const CELL_STYLES: Record<ColumnKind, Partial<ExcelJS.Style>> = {
  text: Object.freeze({ numFmt: '@' }),
  number: Object.freeze({}),
  date: Object.freeze({ numFmt: 'yyyy-mm-dd' }),
  ratio: Object.freeze({ numFmt: '0.0%' }),
};
const HEADER_STYLE: Partial<ExcelJS.Style> = Object.freeze({ font: Object.freeze({ bold: true }) });

export interface XlsxWriterOptions {
  /** Data rows per detail sheet; tests lower it to see the split. */
  rowsPerSheet?: number;
}

export function createXlsxWriter(out: Writable, meta: ReportMeta, options: XlsxWriterOptions = {}): ReportWriter {
  const rowsPerSheet = options.rowsPerSheet ?? MAX_DATA_ROWS_PER_SHEET;
  if (!Number.isInteger(rowsPerSheet) || rowsPerSheet < 1 || rowsPerSheet > MAX_DATA_ROWS_PER_SHEET) {
    throw new RangeError(`rowsPerSheet must be 1–${MAX_DATA_ROWS_PER_SHEET}, got ${rowsPerSheet}`);
  }
  const locale = meta.locale ?? 'zh-CN';
  const words = WORDS[locale];
  const specs = columnSpecs(meta.report);
  const cellStyles = specs.map((spec) => CELL_STYLES[spec.kind]);
  const lastColumn = columnLetter(specs.length);
  const statusIndex = specs.findIndex((spec) => spec.key === 'status');
  const statusCounts = new Map<string, number>();
  const isWords = meta.headings === 'words';
  const statusWords: Record<string, string> = STATUS_LABELS[locale];

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Compliance LMS';
  workbook.created = meta.generatedAt;

  let sheetNumber = 0;
  let sheetRows = 0;
  let sheet = openDetailSheet();
  let rowCount = 0;
  let isEnded = false;

  function openDetailSheet(): ExcelJS.Worksheet {
    sheetNumber++;
    sheetRows = 0;
    const name = sheetNumber === 1 ? words.detail : `${words.detail} (${sheetNumber})`;
    const detail = workbook.addWorksheet(name, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    });
    detail.columns = specs.map((spec) => ({ key: spec.key, width: spec.width }));
    const header = detail.addRow(specs.map((spec) => (isWords ? spec.labels[locale] : spec.key)));
    header.eachCell((cell) => {
      cell.style = HEADER_STYLE;
    });
    header.commit();
    return detail;
  }

  function closeDetailSheet(): void {
    sheet.autoFilter = `A1:${lastColumn}${sheetRows + 1}`;
    sheet.commit();
  }

  function writeValues(cells: ReadonlyArray<ReportCell | undefined>): Promise<void> | void {
    if (isEnded) throw new Error('writeRow after end');
    assertWidth(cells, specs);
    if (sheetRows === rowsPerSheet) {
      closeDetailSheet();
      sheet = openDetailSheet();
    }
    const added = sheet.addRow(specs.map((spec, i) => {
      const value = cells[i];
      // Statuses read as words for people; counted below by their codes all the same.
      return cellValue(spec, isWords && i === statusIndex && typeof value === 'string' ? statusWords[value] ?? value : value);
    }));
    for (let i = 0; i < cellStyles.length; i++) added.getCell(i + 1).style = cellStyles[i];
    added.commit();
    sheetRows++;
    rowCount++;
    if (statusIndex >= 0) {
      const status = cells[statusIndex];
      if (typeof status === 'string') statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
    }
    if (rowCount % ROWS_PER_TURN === 0) return giveWay(out, sheet);
  }

  return {
    get rowCount() {
      return rowCount;
    },
    writeRow: (row) => writeValues(specs.map((spec) => row[spec.key])),
    writeValues,
    async end() {
      isEnded = true;
      closeDetailSheet();
      writeSummary(workbook.addWorksheet(words.summary), { meta, locale, specs, rowCount, statusCounts: statusIndex >= 0 ? statusCounts : null });
      if (out.destroyed) throw new Error('The export destination closed before the export finished');
      // commit() waits for 'finish' only; `finished` also rejects when the client goes away.
      await Promise.all([workbook.commit(), finished(out, { readable: false })]);
    },
  };
}

/** Lets the zip compress what is queued, then waits for the destination. */
async function giveWay(out: Writable, sheet: ExcelJS.Worksheet): Promise<void> {
  await nextTurn();
  while (zipBacklogBytes(sheet) > MAX_ZIP_BACKLOG_BYTES) {
    if (out.destroyed) break; // waitForDrain reports why
    await sleep(1);
  }
  await waitForDrain(out);
}

/**
 * XML a streaming sheet has handed to the zip but the zip has not compressed yet. ExcelJS 4
 * pipes it with its own StreamBuf.pipe, which ignores backpressure, so we read the inlet's
 * buffer (worksheet.stream.pipes — internals; a test pins them) and pause the producer instead.
 */
export function zipBacklogBytes(sheet: ExcelJS.Worksheet): number {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  if (!Array.isArray(pipes)) return 0;
  let bytes = 0;
  for (const pipe of pipes as Array<{ writableLength?: number; _writableState?: { length?: number } }>) {
    bytes += pipe.writableLength ?? pipe._writableState?.length ?? 0;
  }
  return bytes;
}

function cellValue(spec: ColumnSpec, value: ReportCell | undefined): string | number | Date | null {
  if (value === null || value === undefined) return null;
  switch (spec.kind) {
    case 'text':
      return String(value);
    case 'date':
      return typeof value === 'string' && value.length === 10 && isLocalDate(value) ? asExcelDate(value) : value;
    default:
      return value;
  }
}

/** Excel dates have no zone: the local calendar date is written as that day's UTC midnight. */
function asExcelDate(localDate: string): Date {
  return new Date(`${localDate}T00:00:00Z`);
}

interface SummaryFacts {
  meta: ReportMeta;
  locale: Locale;
  specs: ColumnSpec[];
  rowCount: number;
  statusCounts: Map<string, number> | null;
}

function writeSummary(sheet: ExcelJS.Worksheet, { meta, locale, specs, rowCount, statusCounts }: SummaryFacts): void {
  const words = WORDS[locale];
  const timeZone = meta.timeZone ?? 'Asia/Shanghai';
  sheet.columns = [{ width: 22 }, { width: 44 }, { width: 12 }];
  const bold = (values: Array<string | number>) => {
    const row = sheet.addRow(values);
    row.eachCell((cell) => {
      cell.style = HEADER_STYLE;
    });
    row.commit();
  };
  const plain = (values: Array<string | number>) => sheet.addRow(values).commit();

  bold([words.report, reportTitle(meta.report, locale)]);
  plain([words.scope, meta.scope]);
  plain([words.asOf, meta.asOf]);
  plain([words.generatedAt, `${formatLocalDateTime(meta.generatedAt, timeZone)} (${timeZone})`]);
  plain([words.rows, rowCount]);

  if (statusCounts) {
    plain([]);
    bold([words.status, '', words.count]);
    const labels: Record<string, string> = STATUS_LABELS[locale];
    const known: readonly string[] = CERTIFICATION_STATUSES;
    const unknown = [...statusCounts.keys()].filter((status) => !known.includes(status)).sort();
    for (const status of [...known, ...unknown]) {
      plain([status, labels[status] ?? '', statusCounts.get(status) ?? 0]);
    }
  }

  plain([]);
  bold([words.column, words.meaning]);
  for (const spec of specs) plain([spec.key, spec.labels[locale]]);
  sheet.commit();
}

function reportTitle(report: ReportKind, locale: Locale): string {
  return WORDS[locale][report];
}

/** 1 → A, 26 → Z, 27 → AA. */
function columnLetter(index: number): string {
  let letters = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}
