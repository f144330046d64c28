import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { createCsvWriter, csvCell } from '../../server/reports/csv-writer.js';
import { CERTIFICATION_COLUMNS, type CertificationExportRow } from '../../server/reports/export-columns.js';
import { collectOutput } from './output-helpers.js';

function employeeRow(overrides: Partial<CertificationExportRow> = {}): CertificationExportRow {
  return {
    branch_code: '310101',
    branch_name: '上海分行黄浦支行',
    employee_no: '000123',
    employee_name: '张伟',
    position: '柜员',
    course_code: 'CPR-2026',
    course_title: '金融消费者权益保护',
    status: 'certified',
    score: 92.5,
    completed_at: '2026-01-05',
    expires_at: '2027-01-05',
    due_at: '2026-03-31',
    certificate_serial: 'K7Q2-9XTD',
    attempts: 2,
    tries: 3,
    learning_seconds_measured: 1260,
    learning_seconds_scorm: 840,
    ...overrides,
  };
}

async function exportCsv(rows: CertificationExportRow[]): Promise<Buffer> {
  const { out, bytes } = collectOutput();
  const writer = createCsvWriter(out, CERTIFICATION_COLUMNS);
  for (const row of rows) await writer.writeRow(row);
  await writer.end();
  return bytes;
}

function parseCsv(bytes: Buffer): string[][] {
  return parse(bytes, { bom: true, relax_column_count: false }) as string[][];
}

describe('csv writer', () => {
  it('starts with a UTF-8 BOM and a header row of the exact column names, CRLF terminated', async () => {
    const bytes = await exportCsv([employeeRow()]);
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).to.equal(CERTIFICATION_COLUMNS.join(','));
    expect(text.endsWith('\r\n')).to.equal(true);
    expect(text.replace(/\r\n/g, '')).not.to.include('\n');
  });

  it('round-trips Chinese text, commas, quotes and line breaks through csv-parse', async () => {
    const tricky = employeeRow({
      branch_name: '北京分行, 朝阳支行',
      employee_name: '王"小明"',
      position: '理财经理\r\n(兼)',
      course_title: 'Line one\nline two',
    });
    const rows = [employeeRow(), tricky];
    const [header, ...records] = parseCsv(await exportCsv(rows));
    expect(header).to.deep.equal([...CERTIFICATION_COLUMNS]);
    expect(records).to.have.length(2);
    records.forEach((record, i) => {
      const expected = CERTIFICATION_COLUMNS.map((column) => String(rows[i][column]));
      expect(record).to.deep.equal(expected);
    });
  });

  it('quotes per RFC 4180: only when needed, doubling inner quotes', async () => {
    const text = (await exportCsv([employeeRow({ employee_name: 'a "b", c', position: 'plain' })])).toString('utf8');
    expect(text).to.include(',"a ""b"", c",plain,');
  });

  it('neutralises =HYPERLINK(...) with a leading apostrophe', async () => {
    const attack = '=HYPERLINK("http://x","y")';
    const bytes = await exportCsv([employeeRow({ employee_name: attack })]);
    expect(bytes.toString('utf8')).to.include(`"'=HYPERLINK(""http://x"",""y"")"`);
    const [, record] = parseCsv(bytes);
    expect(record[CERTIFICATION_COLUMNS.indexOf('employee_name')]).to.equal(`'${attack}`);
  });

  it('neutralises every formula trigger, including full-width ones, and nothing else', () => {
    for (const trigger of ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) {
      const value = `${trigger}1+1`;
      const [parsed] = parse(csvCell(value), { relax_quotes: true }) as string[][];
      expect(parsed[0], JSON.stringify(value)).to.equal(`'${value}`);
    }
    for (const harmless of ['a=b', '张三', '1-2', ' x', '']) {
      expect(csvCell(harmless), JSON.stringify(harmless)).to.equal(harmless);
    }
  });

  it('writes numbers as numbers, even negative, and null or missing as empty', () => {
    expect(csvCell(-5)).to.equal('-5');
    expect(csvCell(92.5)).to.equal('92.5');
    expect(csvCell(Number.NaN)).to.equal('');
    expect(csvCell(null)).to.equal('');
    expect(csvCell(undefined)).to.equal('');
  });

  it('keeps leading zeros and counts rows', async () => {
    const { out, bytes } = collectOutput();
    const writer = createCsvWriter(out, CERTIFICATION_COLUMNS);
    await writer.writeRow(employeeRow({ employee_no: '000042', score: null }));
    await writer.writeRow({ employee_no: '7' });
    await writer.end();
    expect(writer.rowCount).to.equal(2);
    const [, first, second] = parseCsv(await bytes);
    expect(first[2]).to.equal('000042');
    expect(first[8]).to.equal('');
    expect(second).to.deep.equal(['', '', '7', ...Array(CERTIFICATION_COLUMNS.length - 3).fill('')]);
  });

  it('waits for a slow destination and delivers every row in order', async () => {
    const received: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        setTimeout(callback, 1);
      },
    });
    const writer = createCsvWriter(slow, CERTIFICATION_COLUMNS);
    let waits = 0;
    const total = 3000;
    for (let i = 0; i < total; i++) {
      const wait = writer.writeRow(employeeRow({ employee_no: String(i).padStart(6, '0') }));
      if (wait) {
        waits++;
        await wait;
      }
    }
    await writer.end();
    expect(waits).to.be.greaterThan(0);
    const records = parseCsv(Buffer.concat(received)).slice(1);
    expect(records.map((record) => Number(record[2]))).to.deep.equal(Array.from({ length: total }, (_, i) => i));
  });

  it('fails instead of hanging when the destination goes away', async () => {
    const { out } = collectOutput();
    const writer = createCsvWriter(out, CERTIFICATION_COLUMNS);
    out.destroy();
    await assert.rejects(async () => {
      for (let i = 0; i < 2000; i++) await writer.writeRow(employeeRow());
      await writer.end();
    });
  });
});
