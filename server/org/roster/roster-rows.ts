/**
 * Streams the rows of a roster file, CSV (UTF-8, UTF-8 with BOM, or GBK) or XLSX (first sheet),
 * one at a time with the row number a person sees in Excel. Nothing holds more than a chunk.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { cellText } from './cell-text.js';
import { detectFileType, detectTextEncoding, type RosterFileType } from './file-encoding.js';

export interface RosterRow { row: number; cells: string[] }

// iconv-lite loads its GB18030 tables (JSON, ~0.5 MB) on first use: 40–75 ms in one synchronous
// call. Paid here, once per process at start, not by the first GBK roster (or zip entry name).
iconv.getDecoder('gb18030');

export interface RosterSource {
  type: RosterFileType;
  /** Text encoding of a CSV; null for XLSX. */
  encoding: 'utf8' | 'gb18030' | null;
  rows: AsyncIterable<RosterRow>;
}

/** Thrown for a file that cannot be parsed at all (broken quoting, not a workbook). */
export class RosterFileError extends Error {
  override name = 'RosterFileError';
  constructor(message: string, readonly row: number) {
    super(message);
  }
}

export async function openRosterSource(filePath: string): Promise<RosterSource> {
  const type = await detectFileType(filePath);
  if (type === 'xlsx') return { type, encoding: null, rows: xlsxRows(filePath) };
  const encoding = await detectTextEncoding(filePath);
  if (encoding === 'utf16') throw new RosterFileError('UTF-16 text ("Unicode text") is not supported; save the sheet as CSV UTF-8 or XLSX', 1);
  return { type, encoding, rows: csvRows(filePath, encoding) };
}

async function* csvRows(filePath: string, encoding: 'utf8' | 'gb18030'): AsyncGenerator<RosterRow> {
  // csv-parse handles a chunk in one synchronous call: at ~100 ns a character (hostile quoting costs
  // more), 32 KB keeps each call a few milliseconds, so the event loop gets its turns.
  const bytes = fs.createReadStream(filePath, { highWaterMark: 32 * 1024 });
  // Records, not lines, are rows: a quoted cell may hold a line break, as in Excel.
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  const text = encoding === 'utf8' ? bytes : bytes.pipe(iconv.decodeStream(encoding));
  bytes.on('error', (error) => parser.destroy(error));
  text.pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells: record };
    }
  } catch (error) {
    throw new RosterFileError((error as Error).message, row + 1);
  } finally {
    bytes.destroy();
  }
}

async function* xlsxRows(filePath: string): AsyncGenerator<RosterRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(filePath, {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit',
  });
  let isFirstSheet = true;
  try {
    for await (const sheet of workbook) {
      // Only the first sheet is the roster; the others still have to be read past in a zip stream.
      if (!isFirstSheet) continue;
      isFirstSheet = false;
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { row: row.number, cells };
      }
    }
  } catch (error) {
    if (error instanceof RosterFileError) throw error;
    throw new RosterFileError(`not a readable XLSX workbook (${(error as Error).message})`, 1);
  }
}
