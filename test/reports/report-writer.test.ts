import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { CERTIFICATION_COLUMNS } from '../../server/reports/export-columns.js';
import { createReportWriter, REPORT_CONTENT_TYPES, REPORT_FORMATS, writeAllRows, type ReportMeta } from '../../server/reports/report-writer.js';
import { collectOutput, loadWorkbook } from './output-helpers.js';

const META: ReportMeta = { report: 'certifications', scope: '全行', asOf: '2026-03-31', generatedAt: new Date('2026-04-01T00:00:00Z') };

async function* employees(count: number) {
  for (let i = 0; i < count; i++) yield { employee_no: String(i).padStart(6, '0'), employee_name: `员工${i}`, status: 'certified' };
}

describe('report writer', () => {
  it('offers csv, xlsx and json with their content types', () => {
    expect([...REPORT_FORMATS]).to.deep.equal(['csv', 'xlsx', 'json']);
    expect(REPORT_CONTENT_TYPES.csv).to.match(/^text\/csv/);
    expect(REPORT_CONTENT_TYPES.json).to.match(/^application\/json/);
    expect(REPORT_CONTENT_TYPES.xlsx).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('streams the same rows into every format from an async iterable', async () => {
    const count = 1200;
    const outputs: Record<string, Buffer> = {};
    for (const format of REPORT_FORMATS) {
      const { out, bytes } = collectOutput();
      expect(await writeAllRows(createReportWriter(format, out, META), employees(count))).to.equal(count);
      outputs[format] = await bytes;
    }

    const csv = parse(outputs.csv, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(csv).to.have.length(count);
    expect(csv[count - 1].employee_name).to.equal(`员工${count - 1}`);

    const json = JSON.parse(outputs.json.toString('utf8')) as Array<Record<string, unknown>>;
    expect(json).to.have.length(count);
    expect(Object.keys(json[0])).to.deep.equal([...CERTIFICATION_COLUMNS]);
    expect(json[7].employee_no).to.equal('000007');

    const workbook = await loadWorkbook(outputs.xlsx);
    expect(workbook.worksheets[0].rowCount).to.equal(count + 1);
    expect(workbook.worksheets[0].getRow(count + 1).getCell(4).value).to.equal(`员工${count - 1}`);
  });

  it('writes cells given in column order exactly as the same row given by name', async () => {
    const row = { branch_code: '310101', employee_no: '000123', employee_name: '张伟, "小"', status: 'expired', score: -1, due_at: '2026-03-31' };
    const cells = CERTIFICATION_COLUMNS.map((column) => (row as Record<string, string | number>)[column] ?? null);
    for (const format of ['csv', 'json'] as const) {
      const byName = collectOutput();
      const nameWriter = createReportWriter(format, byName.out, META);
      await nameWriter.writeRow(row);
      await nameWriter.end();
      const byPosition = collectOutput();
      const positionWriter = createReportWriter(format, byPosition.out, META);
      await positionWriter.writeValues(cells);
      await positionWriter.end();
      expect((await byPosition.bytes).toString('utf8'), format).to.equal((await byName.bytes).toString('utf8'));
    }
    const { out, bytes } = collectOutput();
    const writer = createReportWriter('xlsx', out, META);
    await writer.writeValues(cells);
    await writer.end();
    const detail = (await loadWorkbook(await bytes)).worksheets[0];
    expect((detail.getRow(2).values as unknown[]).slice(1, 5)).to.deep.equal(['310101', undefined, '000123', '张伟, "小"']);
  });

  it('refuses a row of cells that does not match the columns', () => {
    for (const format of REPORT_FORMATS) {
      const writer = createReportWriter(format, collectOutput().out, META);
      expect(() => writer.writeValues(['only one']), format).to.throw(RangeError);
    }
  });

  it('refuses rows after end', async () => {
    for (const format of REPORT_FORMATS) {
      const { out } = collectOutput();
      const writer = createReportWriter(format, out, META);
      await writer.end();
      expect(() => writer.writeRow({}), format).to.throw(/after end/);
    }
  });
});
