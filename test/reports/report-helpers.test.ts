import { expect } from 'chai';
import { resolveAsOf } from '../../server/reports/as-of.js';
import { branchCells, countPerson, countStatus, emptyTally, rollUp } from '../../server/reports/branch-tally.js';
import { createCsvWriter } from '../../server/reports/csv-writer.js';
import { CERTIFICATION_COLUMNS } from '../../server/reports/export-columns.js';
import { asciiFileName, contentDisposition, encodeRfc5987, exportFileName } from '../../server/reports/export-filename.js';
import { createPrerenderedCsvWriter, csvPrefix } from '../../server/reports/prerendered-csv.js';
import type { ReportBranch } from '../../server/reports/reports.repository.js';
import { collectOutput } from './output-helpers.js';

const branch = (id: number, code: string, parentId: number | null, path: string): ReportBranch => ({
  id, code, name: `机构${code}`, parentId, parentCode: null, path, depth: path.split('/').length - 3,
});

describe('report helpers', () => {
  it('rolls counts up to every ancestor and computes the rate from certified + expiring', () => {
    const branches = [branch(1, 'A', null, '/1/'), branch(2, 'B', 1, '/1/2/'), branch(3, 'C', 2, '/1/2/3/'), branch(4, 'D', 1, '/1/4/')];
    const own = new Map([[3, emptyTally()], [4, emptyTally()]]);
    countPerson(own.get(3)!);
    countStatus(own.get(3)!, 'certified');
    countStatus(own.get(3)!, 'failed');
    countPerson(own.get(4)!);
    countStatus(own.get(4)!, 'expiring');
    countStatus(own.get(4)!, 'overdue');
    const totals = rollUp(branches, own);
    // headcount, assigned, certified, expiring, expired, overdue, in_progress (+failed), not_started, rate
    expect(branchCells(branches[0], totals.get(1)!).slice(3)).to.deep.equal([2, 4, 1, 1, 0, 1, 1, 0, 0.5]);
    expect(branchCells(branches[1], totals.get(2)!).slice(3)).to.deep.equal([1, 2, 1, 0, 0, 0, 1, 0, 0.5]);
    expect(branchCells(branches[2], totals.get(3)!).slice(3, 5)).to.deep.equal([1, 2]);
    expect(branchCells(branch(5, 'E', 1, '/1/5/'), emptyTally()).at(-1)).to.equal(null);
  });

  it('names downloads in UTF-8 with an ASCII fallback, escaping what RFC 5987 forbids', () => {
    const naming = { report: 'certifications' as const, branchCode: '3100/01', branchName: '上海(浦东)分行', asOf: '2026-06-01', format: 'csv' as const, locale: 'zh-CN' as const };
    expect(exportFileName(naming)).to.equal('3100_01-上海(浦东)分行-认证明细-2026-06-01.csv');
    expect(asciiFileName(naming)).to.equal('3100_01-certifications-2026-06-01.csv');
    expect(encodeRfc5987("a'b(c)*!")).to.equal('a%27b%28c%29%2A%21');
    const header = contentDisposition(exportFileName(naming), asciiFileName(naming));
    expect(header).to.not.match(/[^\x20-\x7e]/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(header)![1])).to.equal(exportFileName(naming));
  });

  it('writes prerendered CSV rows byte for byte like the CSV writer', async () => {
    const rows = [
      ['GD', '广东,分行', 'E1', '=HYPERLINK("x")', null, 'C1', '课程"一"', 'certified', 95, '2026-02-01', '2027-02-01', null, 'CERT-1', 1, 2, 300, 2],
      ['GD', '广东,分行', '-2', '＋张三', '柜员', 'C2', '课程\n二', 'overdue', null, null, null, '2026-05-01', null, null, null, null, null],
    ];
    const plain = collectOutput();
    const writer = createCsvWriter(plain.out, CERTIFICATION_COLUMNS);
    for (const row of rows) await writer.writeValues(row);
    await writer.end();
    const fast = collectOutput();
    const prerendered = createPrerenderedCsvWriter(fast.out, CERTIFICATION_COLUMNS);
    for (const row of rows) await prerendered.writeWithPrefix(csvPrefix(row.slice(0, 7)), row.slice(7));
    await prerendered.end();
    expect((await fast.bytes).toString('utf8')).to.equal((await plain.bytes).toString('utf8'));
    expect(prerendered.rowCount).to.equal(2);
  });

  it('reads an as-of date as the end of that local day, placing people by history only in the past', () => {
    const now = new Date('2026-06-01T02:00:00Z'); // 10:00 in Shanghai
    const past = resolveAsOf('2026-03-31', now, 'Asia/Shanghai');
    expect(past.endIso).to.equal('2026-03-31T15:59:59.999Z');
    expect(past.placement).to.equal('history');
    expect(resolveAsOf(null, now, 'Asia/Shanghai')).to.include({ date: '2026-06-01', placement: 'current' });
    expect(resolveAsOf('2026-05-31', new Date('2026-05-31T17:00:00Z'), 'Asia/Shanghai').placement).to.equal('history'); // already 06-01 there
    expect(() => resolveAsOf('2026-02-30', now, 'Asia/Shanghai')).to.throw(RangeError);
  });
});
