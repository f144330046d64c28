import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { CERTIFICATION_STATUSES } from '../../server/certification/status-rules.js';
import { BRANCH_COLUMNS, CERTIFICATION_COLUMNS, type CertificationExportRow } from '../../server/reports/export-columns.js';
import type { ReportMeta } from '../../server/reports/report-writer.js';
import { createXlsxWriter, zipBacklogBytes, type XlsxWriterOptions } from '../../server/reports/xlsx-writer.js';
import { collectOutput, loadWorkbook } from './output-helpers.js';

const META: ReportMeta = {
  report: 'certifications',
  scope: '310000 上海分行（含下级机构）',
  asOf: '2026-03-31',
  generatedAt: new Date('2026-04-01T01:02:03Z'),
};

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

async function exportXlsx(rows: Array<Record<string, string | number | null>>, meta = META, options: XlsxWriterOptions = {}): Promise<ExcelJS.Workbook> {
  const { out, bytes } = collectOutput();
  const writer = createXlsxWriter(out, meta, options);
  for (const row of rows) await writer.writeRow(row);
  await writer.end();
  expect(writer.rowCount).to.equal(rows.length);
  return loadWorkbook(await bytes);
}

function rowValues(sheet: ExcelJS.Worksheet, rowNumber: number): unknown[] {
  return (sheet.getRow(rowNumber).values as unknown[]).slice(1);
}

function findRow(sheet: ExcelJS.Worksheet, firstCell: string): unknown[] | undefined {
  for (let n = 1; n <= sheet.rowCount; n++) {
    const values = rowValues(sheet, n);
    if (values[0] === firstCell) return values;
  }
  return undefined;
}

describe('xlsx writer', () => {
  it('writes a detail sheet then a summary sheet', async () => {
    const workbook = await exportXlsx([employeeRow()]);
    expect(workbook.worksheets.map((sheet) => sheet.name)).to.deep.equal(['明细', '汇总']);
  });

  it('heads the detail sheet with the exact column names, frozen and filtered over every row', async () => {
    const rows = [employeeRow(), employeeRow({ employee_no: '000124' }), employeeRow({ employee_no: '000125' })];
    const detail = (await exportXlsx(rows)).worksheets[0];
    expect(rowValues(detail, 1)).to.deep.equal([...CERTIFICATION_COLUMNS]);
    expect(detail.getRow(1).getCell(1).font?.bold).to.equal(true);
    const [view] = detail.views;
    expect(view.state).to.equal('frozen');
    expect((view as ExcelJS.WorksheetViewFrozen).ySplit).to.equal(1);
    expect(detail.autoFilter).to.equal(`A1:Q${rows.length + 1}`);
    for (const column of detail.columns) expect(column.width).to.be.within(6, 40);
  });

  it('round-trips Chinese and keeps identifiers as text cells', async () => {
    const detail = (await exportXlsx([employeeRow({ employee_no: '000123', branch_code: '001' })])).worksheets[0];
    const cell = (column: string) => detail.getRow(2).getCell(CERTIFICATION_COLUMNS.indexOf(column as never) + 1);
    expect(cell('employee_no').type).to.equal(ExcelJS.ValueType.String);
    expect(cell('employee_no').value).to.equal('000123');
    expect(cell('employee_no').numFmt).to.equal('@');
    expect(cell('branch_code').value).to.equal('001');
    expect(cell('employee_name').value).to.equal('张伟');
    expect(cell('branch_name').value).to.equal('上海分行黄浦支行');
    expect(cell('course_title').value).to.equal('金融消费者权益保护');
    expect(cell('score').type).to.equal(ExcelJS.ValueType.Number);
    expect(cell('score').value).to.equal(92.5);
  });

  it('writes text given as a number into a text column as text', async () => {
    const detail = (await exportXlsx([employeeRow({ employee_no: 123 })])).worksheets[0];
    const cell = detail.getRow(2).getCell(CERTIFICATION_COLUMNS.indexOf('employee_no') + 1);
    expect(cell.type).to.equal(ExcelJS.ValueType.String);
    expect(cell.value).to.equal('123');
  });

  it('makes YYYY-MM-DD dates date cells and leaves other text alone', async () => {
    const detail = (await exportXlsx([employeeRow({ expires_at: '2027-01-05', completed_at: '2026-01-05 10:30' })])).worksheets[0];
    const expires = detail.getRow(2).getCell(CERTIFICATION_COLUMNS.indexOf('expires_at') + 1);
    expect(expires.type).to.equal(ExcelJS.ValueType.Date);
    expect((expires.value as Date).toISOString()).to.equal('2027-01-05T00:00:00.000Z');
    expect(expires.numFmt).to.equal('yyyy-mm-dd');
    const completed = detail.getRow(2).getCell(CERTIFICATION_COLUMNS.indexOf('completed_at') + 1);
    expect(completed.value).to.equal('2026-01-05 10:30');
  });

  it('stores a formula-looking name as a string, never as a formula', async () => {
    const attack = '=HYPERLINK("http://x","y")';
    const detail = (await exportXlsx([employeeRow({ employee_name: attack })])).worksheets[0];
    const cell = detail.getRow(2).getCell(CERTIFICATION_COLUMNS.indexOf('employee_name') + 1);
    expect(cell.type).to.equal(ExcelJS.ValueType.String);
    expect(cell.value).to.equal(attack);
  });

  it('summarises scope, as-of date, generation time, rows and rows per status', async () => {
    const statuses = ['certified', 'certified', 'overdue', 'expiring', 'mystery'];
    const workbook = await exportXlsx(statuses.map((status) => employeeRow({ status })));
    const summary = workbook.worksheets[1];
    expect(findRow(summary, '范围')?.[1]).to.equal(META.scope);
    expect(findRow(summary, '截至日期')?.[1]).to.equal('2026-03-31');
    expect(findRow(summary, '生成时间')?.[1]).to.equal('2026-04-01 09:02:03 (Asia/Shanghai)');
    expect(findRow(summary, '明细行数')?.[1]).to.equal(statuses.length);
    for (const status of [...CERTIFICATION_STATUSES, 'mystery']) {
      const expected = statuses.filter((s) => s === status).length;
      expect(findRow(summary, status)?.at(-1), status).to.equal(expected);
    }
    expect(findRow(summary, 'certified')?.[1]).to.equal('已认证');
    expect(findRow(summary, 'employee_no')?.[1]).to.equal('员工编号');
  });

  it('speaks English when asked', async () => {
    const workbook = await exportXlsx([employeeRow()], { ...META, locale: 'en' });
    expect(workbook.worksheets.map((sheet) => sheet.name)).to.deep.equal(['Detail', 'Summary']);
    expect(findRow(workbook.worksheets[1], 'Scope')?.[1]).to.equal(META.scope);
    expect(findRow(workbook.worksheets[1], 'certified')?.[1]).to.equal('Certified');
  });

  it('continues on further detail sheets past the per-sheet row limit, each with its header', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => employeeRow({ employee_no: String(i).padStart(6, '0') }));
    const workbook = await exportXlsx(rows, META, { rowsPerSheet: 2 });
    expect(workbook.worksheets.map((sheet) => sheet.name)).to.deep.equal(['明细', '明细 (2)', '明细 (3)', '汇总']);
    const employeeNos: unknown[] = [];
    for (const sheet of workbook.worksheets.slice(0, 3)) {
      expect(rowValues(sheet, 1)).to.deep.equal([...CERTIFICATION_COLUMNS]);
      expect(sheet.views[0].state).to.equal('frozen');
      expect(sheet.autoFilter).to.equal(`A1:Q${sheet.rowCount}`);
      for (let n = 2; n <= sheet.rowCount; n++) employeeNos.push(rowValues(sheet, n)[2]);
    }
    expect(employeeNos).to.deep.equal(rows.map((row) => row.employee_no));
    expect(findRow(workbook.worksheets[3], '明细行数')?.[1]).to.equal(5);
  });

  it('shapes the branch report: ratios as percentages, no status section', async () => {
    const row = Object.fromEntries(BRANCH_COLUMNS.map((column) => [column, column.endsWith('code') || column.endsWith('name') ? '上海' : 3]));
    const workbook = await exportXlsx([{ ...row, compliance_rate: 0.875 }], { ...META, report: 'branches' });
    const detail = workbook.worksheets[0];
    expect(rowValues(detail, 1)).to.deep.equal([...BRANCH_COLUMNS]);
    const rate = detail.getRow(2).getCell(BRANCH_COLUMNS.indexOf('compliance_rate') + 1);
    expect(rate.value).to.equal(0.875);
    expect(rate.numFmt).to.equal('0.0%');
    expect(findRow(workbook.worksheets[1], '状态')).to.equal(undefined);
    expect(findRow(workbook.worksheets[1], 'certified')?.[1]).to.equal('已认证'); // the column legend
  });

  it('fails instead of hanging when the destination goes away', async () => {
    const { out } = collectOutput();
    const writer = createXlsxWriter(out, META);
    await writer.writeRow(employeeRow());
    out.destroy();
    await assert.rejects(async () => {
      for (let i = 0; i < 1000; i++) await writer.writeRow(employeeRow());
      await writer.end();
    });
  });

  it('refuses a per-sheet limit Excel could not open', () => {
    const { out } = collectOutput();
    expect(() => createXlsxWriter(out, META, { rowsPerSheet: 0 })).to.throw(RangeError);
    expect(() => createXlsxWriter(out, META, { rowsPerSheet: 1_048_576 })).to.throw(RangeError);
  });

  it('sees XML waiting for the zip (pins the ExcelJS internals the backpressure relies on)', async () => {
    const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: discard });
    const sheet = workbook.addWorksheet('x');
    expect(zipBacklogBytes(sheet)).to.equal(0);
    // Synchronous rows: the zip gets no turn to compress, so they queue at its inlet.
    for (let i = 0; i < 3000; i++) sheet.addRow([`row ${i}`, '上海分行黄浦支行', i]).commit();
    expect(zipBacklogBytes(sheet)).to.be.greaterThan(64 * 1024);
    sheet.commit();
    await workbook.commit();
  });
});
