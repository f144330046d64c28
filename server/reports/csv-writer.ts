/**
 * Streaming CSV for Excel and integrations: UTF-8 with a BOM (so Excel picks UTF-8 and Chinese
 * shows), RFC 4180 quoting, CRLF line ends, header row = the column names.
 *
 * Formula injection (OWASP "CSV Injection"): a text cell starting with = + - @, tab or CR — or
 * their full-width forms ＝ ＋ － ＠, which Chinese input methods produce — gets a leading
 * apostrophe, so a spreadsheet shows it as text instead of running it. Only string cells are
 * touched: a number the caller typed as a number (a score, a count, even a negative one) is data
 * and is written as is. Names, codes and every other free text arrive as strings.
 *
 * Hand-rolled rather than csv-stringify: one regex test per cell and one write per 64 KB keep
 * the full-bank export near the sqlite3 CLI's speed.
 */
import type { Writable } from 'node:stream';
import { assertWidth, type ReportCell } from './export-columns.js';
import type { ReportWriter } from './report-writer.js';
import { TextSink } from './text-sink.js';

const BOM = '\uFEFF';
const LINE_END = '\r\n';
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;

function startsLikeFormula(text: string): boolean {
  switch (text.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // CR
    case 0xff1d: // ＝
    case 0xff0b: // ＋
    case 0xff0d: // －
    case 0xff20: // ＠
      return true;
    default:
      return false;
  }
}

/** One CSV field: empty for null, numbers verbatim, text neutralised and quoted when needed. */
export function csvCell(value: ReportCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = startsLikeFormula(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTES, '""')}"` : text;
}

export function csvLine(cells: ReadonlyArray<ReportCell | undefined>): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]);
  }
  return line + LINE_END;
}

/** `header`: the first row when it is not the column names (words in the reader's language). */
export function createCsvWriter(out: Writable, columns: readonly string[], header: readonly string[] = columns): ReportWriter {
  const sink = new TextSink(out);
  let rowCount = 0;
  let isEnded = false;
  assertWidth(header, columns);
  sink.push(BOM + csvLine(header));
  return {
    get rowCount() {
      return rowCount;
    },
    writeRow(row) {
      if (isEnded) throw new Error('writeRow after end');
      let line = '';
      for (let i = 0; i < columns.length; i++) {
        if (i > 0) line += ',';
        line += csvCell(row[columns[i]]);
      }
      rowCount++;
      return sink.push(line + LINE_END);
    },
    writeValues(cells) {
      if (isEnded) throw new Error('writeRow after end');
      assertWidth(cells, columns);
      rowCount++;
      return sink.push(csvLine(cells));
    },
    end() {
      isEnded = true;
      return sink.end();
    },
  };
}
