/**
 * Streaming JSON: an array of objects keyed by exactly the report's column names, in column
 * order, one object per line. Missing and non-finite values are null; text is never altered
 * (formula neutralising is a spreadsheet concern, JSON consumers get the data as it is).
 */
import type { Writable } from 'node:stream';
import { assertWidth, type ReportCell } from './export-columns.js';
import type { ReportWriter } from './report-writer.js';
import { TextSink } from './text-sink.js';

function jsonValue(value: ReportCell | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return 'null';
}

export function createJsonWriter(out: Writable, columns: readonly string[]): ReportWriter {
  const sink = new TextSink(out);
  // '{"branch_code":' then ',"branch_name":' …, built once.
  const keyPrefixes = columns.map((key, i) => `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`);
  let rowCount = 0;
  let isEnded = false;
  return {
    get rowCount() {
      return rowCount;
    },
    writeRow(row) {
      if (isEnded) throw new Error('writeRow after end');
      let text = rowCount === 0 ? '[\n' : ',\n';
      for (let i = 0; i < columns.length; i++) text += keyPrefixes[i] + jsonValue(row[columns[i]]);
      rowCount++;
      return sink.push(text + '}');
    },
    writeValues(cells) {
      if (isEnded) throw new Error('writeRow after end');
      assertWidth(cells, columns);
      let text = rowCount === 0 ? '[\n' : ',\n';
      for (let i = 0; i < columns.length; i++) text += keyPrefixes[i] + jsonValue(cells[i]);
      rowCount++;
      return sink.push(text + '}');
    },
    async end() {
      isEnded = true;
      await sink.push(rowCount === 0 ? '[]\n' : '\n]\n');
      await sink.end();
    },
  };
}
