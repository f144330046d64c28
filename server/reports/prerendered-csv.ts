/**
 * The certification CSV for the full-bank export, byte for byte what createCsvWriter writes, with
 * one difference in how rows arrive: a row is the CSV text of its leading cells, rendered once per
 * branch, person and course (the same ten cells repeat down a branch), plus its own cells. That
 * halves the per-row CSV work, which the full-bank export needs to stay within 1.5× of the
 * sqlite3 CLI (bench/export).
 */
import type { Writable } from 'node:stream';
import { csvCell, csvLine } from './csv-writer.js';
import type { ReportCell } from './export-columns.js';
import type { ReportWriter } from './report-writer.js';
import { TextSink } from './text-sink.js';

const BOM = '\uFEFF';
const LINE_END = '\r\n';

export interface PrerenderedCsvWriter extends ReportWriter {
  /** `prefix` is csvPrefix() of the leading cells; `cells` the rest, in column order. */
  writeWithPrefix(prefix: string, cells: ReadonlyArray<ReportCell>): Promise<void> | void;
}

/** The CSV text of leading cells, each followed by its comma. */
export function csvPrefix(cells: ReadonlyArray<ReportCell>): string {
  let text = '';
  for (const cell of cells) text += `${csvCell(cell)},`;
  return text;
}

export function createPrerenderedCsvWriter(out: Writable, columns: readonly string[], header: readonly string[] = columns): PrerenderedCsvWriter {
  const sink = new TextSink(out);
  let rowCount = 0;
  let isEnded = false;
  sink.push(BOM + csvLine(header));
  const writeLine = (line: string) => {
    if (isEnded) throw new Error('writeRow after end');
    rowCount++;
    return sink.push(line);
  };
  return {
    get rowCount() {
      return rowCount;
    },
    writeRow: (row) => writeLine(csvLine(columns.map((column) => row[column]))),
    writeValues: (cells) => writeLine(csvLine(cells)),
    writeWithPrefix(prefix, cells) {
      let line = prefix;
      for (let i = 0; i < cells.length; i++) line += i === 0 ? csvCell(cells[i]) : `,${csvCell(cells[i])}`;
      return writeLine(line + LINE_END);
    },
    end() {
      isEnded = true;
      return sink.end();
    },
  };
}
