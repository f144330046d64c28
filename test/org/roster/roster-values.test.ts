import { expect } from 'chai';
import { detectHeader, type RosterHeader } from '../../../server/org/roster/roster-columns.js';
import { cellText } from '../../../server/org/roster/cell-text.js';
import { isClearMarker, parseRosterDate, parseStatus, readBranchRow, readEmployeeRow } from '../../../server/org/roster/roster-values.js';

describe('roster values', () => {
  it('reads dates as Excel writes them and refuses days that do not exist', () => {
    expect(parseRosterDate('2024-03-05')).to.deep.equal({ date: '2024-03-05' });
    expect(parseRosterDate('2024/3/5')).to.deep.equal({ date: '2024-03-05' });
    expect(parseRosterDate('2024/3/5 0:00')).to.deep.equal({ date: '2024-03-05' });
    expect(parseRosterDate('2024-02-29')).to.deep.equal({ date: '2024-02-29' });
    expect(parseRosterDate('2023-02-29')).to.deep.equal({ code: 'DATE_NOT_REAL' });
    expect(parseRosterDate('2024-13-01')).to.deep.equal({ code: 'DATE_NOT_REAL' });
    expect(parseRosterDate('05/03/2024')).to.deep.equal({ code: 'BAD_DATE' });
    expect(parseRosterDate('yesterday')).to.deep.equal({ code: 'BAD_DATE' });
  });

  it('knows the statuses in English and Chinese; empty means active', () => {
    expect(['active', 'Left', '在职', '离职', ''].map(parseStatus)).to.deep.equal(['active', 'left', 'active', 'left', 'active']);
    expect(parseStatus('退休')).to.equal(null);
  });

  it('detects the kind from the header, with Chinese and loosely written headings', () => {
    const employees = detectHeader(['工号', 'Name', 'E-mail', '机构代码', '岗位', 'Hired At', '状态']);
    expect(employees.header?.kind).to.equal('employees');
    expect(employees.header?.index).to.deep.equal({ employee_no: 0, name: 1, email: 2, branch_code: 3, position: 4, hired_at: 5, status: 6 });
    expect(detectHeader(['\uFEFFbranch_code', 'branch_name', 'parent_code']).header?.kind).to.equal('branches');
    expect(detectHeader(['x', 'y']).errors.map((e) => e.code)).to.deep.equal(['HEADER_UNKNOWN']);
    expect(detectHeader(['employee_no', '工号', 'name', 'branch_code', 'hired_at']).errors.map((e) => [e.column, e.code])).to.deep.equal([['employee_no', 'COLUMN_DUPLICATE']]);
  });

  it('names the column of every problem in an employee row', () => {
    const header = detectHeader(['employee_no', 'name', 'email', 'branch_code', 'position', 'hired_at', 'status']).header as RosterHeader;
    const { errors } = readEmployeeRow(['no spaces!', '', 'a@b', 'GD', 'x'.repeat(101), '2024-02-30', 'gone'], header, 9);
    expect(errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([
      [9, 'employee_no', 'BAD_CODE'], [9, 'name', 'REQUIRED'], [9, 'hired_at', 'DATE_NOT_REAL'],
      [9, 'email', 'BAD_EMAIL'], [9, 'position', 'TOO_LONG'], [9, 'status', 'BAD_STATUS'],
    ]);
    const ok = readEmployeeRow([' 000123 ', ' 张三 ', '', 'GD', '', '2024/1/2', '离职'], header, 2);
    expect(ok).to.deep.equal({ values: { employeeNo: '000123', name: '张三', branchCode: 'GD', hiredAt: '2024-01-02', email: undefined, position: undefined, status: 'left' }, errors: [] });
  });

  it('keeps a blank cell (undefined), clears on a marker (null), and refuses to clear a required field', () => {
    const header = detectHeader(['employee_no', 'name', 'email', 'branch_code', 'position', 'hired_at', 'status']).header as RosterHeader;
    expect(['-', '(clear)', '(CLEAR)', '(清空)', '（清空）', '--', 'clear', ''].map(isClearMarker)).to.deep.equal([true, true, true, true, true, false, false, false]);
    const kept = readEmployeeRow(['1', '张三', '  ', 'GD', '', '2024-01-02', ''], header, 2);
    expect(kept.values).to.include({ email: undefined, position: undefined, status: undefined });
    const cleared = readEmployeeRow(['1', '张三', '(清空)', 'GD', '-', '2024-01-02', ''], header, 2);
    expect(cleared.values).to.include({ email: null, position: null });
    const bad = readEmployeeRow(['1', '-', '', '(clear)', '', '2024-01-02', '-'], header, 3);
    expect(bad.errors.map((e) => [e.column, e.code])).to.deep.equal([['name', 'CANNOT_CLEAR'], ['branch_code', 'CANNOT_CLEAR'], ['status', 'CANNOT_CLEAR']]);
  });

  it('reads a branch row; an empty parent is the top level', () => {
    const header = detectHeader(['branch_code', 'branch_name', 'parent_code']).header as RosterHeader;
    expect(readBranchRow(['SH', '上海分行', ''], header, 2)).to.deep.equal({ values: { code: 'SH', name: '上海分行', parentCode: null }, errors: [] });
    expect(readBranchRow(['S H', '', 'x'.repeat(33)], header, 3).errors.map((e) => [e.column, e.code]))
      .to.deep.equal([['branch_code', 'BAD_CODE'], ['branch_name', 'REQUIRED'], ['parent_code', 'TOO_LONG']]);
  });

  it('turns ExcelJS cell values into text', () => {
    expect(cellText(new Date(Date.UTC(2023, 8, 1)))).to.equal('2023-09-01');
    expect(cellText(100234)).to.equal('100234');
    expect(cellText({ richText: [{ text: '张' }, { text: '三' }] })).to.equal('张三');
    expect(cellText({ formula: 'A1', result: 'x' })).to.equal('x');
    expect(cellText({ text: 'link', hyperlink: 'http://example' })).to.equal('link');
    expect(cellText(null)).to.equal('');
  });
});
