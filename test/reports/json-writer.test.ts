import { expect } from 'chai';
import { BRANCH_COLUMNS, CERTIFICATION_COLUMNS } from '../../server/reports/export-columns.js';
import { createJsonWriter } from '../../server/reports/json-writer.js';
import { collectOutput } from './output-helpers.js';

async function exportJson(columns: readonly string[], rows: Array<Record<string, string | number | null>>): Promise<unknown> {
  const { out, bytes } = collectOutput();
  const writer = createJsonWriter(out, columns);
  for (const row of rows) await writer.writeRow(row);
  await writer.end();
  expect(writer.rowCount).to.equal(rows.length);
  return JSON.parse((await bytes).toString('utf8'));
}

describe('json writer', () => {
  it('writes an array of objects keyed by exactly the columns, in column order', async () => {
    // Keys given in reverse order, plus one that is not a column.
    const row = Object.fromEntries([...CERTIFICATION_COLUMNS].reverse().map((column, i) => [column, `v${i}`]));
    const parsed = (await exportJson(CERTIFICATION_COLUMNS, [{ ...row, extra: 'dropped' }, row])) as Array<Record<string, unknown>>;
    expect(parsed).to.have.length(2);
    for (const object of parsed) {
      expect(Object.keys(object)).to.deep.equal([...CERTIFICATION_COLUMNS]);
      for (const column of CERTIFICATION_COLUMNS) expect(object[column]).to.equal(row[column]);
    }
  });

  it('keeps types: numbers as numbers, missing and non-finite as null, text untouched', async () => {
    const [object] = (await exportJson(BRANCH_COLUMNS, [{
      branch_code: '000310',
      branch_name: '=HYPERLINK("http://x","y") 上海分行\n"总部"',
      headcount: 120,
      compliance_rate: 0.875,
      expired: Number.POSITIVE_INFINITY,
      parent_code: null,
    }])) as Array<Record<string, unknown>>;
    expect(object.branch_code).to.equal('000310');
    expect(object.branch_name).to.equal('=HYPERLINK("http://x","y") 上海分行\n"总部"');
    expect(object.headcount).to.equal(120);
    expect(object.compliance_rate).to.equal(0.875);
    expect(object.expired).to.equal(null);
    expect(object.parent_code).to.equal(null);
    expect(object.not_started).to.equal(null);
  });

  it('writes an empty array when there are no rows', async () => {
    expect(await exportJson(CERTIFICATION_COLUMNS, [])).to.deep.equal([]);
  });
});
