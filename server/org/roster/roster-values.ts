/**
 * One roster row's cells → typed values, or the problems with each cell. Only what a single row
 * can tell: whether a code exists, repeats or is in scope is decided by the planners. Pure.
 */
import { hasColumn, type RosterField, type RosterHeader } from './roster-columns.js';
import { rowError, type RowError } from './roster-errors.js';

export type EmployeeStatus = 'active' | 'left';

/** Values of an employee row; undefined = the column is not in the file (leave that field alone). */
export interface EmployeeValues {
  employeeNo: string; name: string; branchCode: string; hiredAt: string;
  email: string | null | undefined; position: string | null | undefined; status: EmployeeStatus | undefined;
}

export interface BranchValues { code: string; name: string; parentCode: string | null }

const LIMITS = { code: 32, name: 100, email: 200, position: 100 } as const;
const EMPLOYEE_NO = /^[A-Za-z0-9._-]+$/;
const BRANCH_CODE = /^[A-Za-z0-9_-]+$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
// 2024-03-05, 2024/3/5 or 2024.3.5, optionally with a midnight time (Excel's CSV of a date cell).
const DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0?0:00(?::00)?)?$/;
const STATUS: Record<string, EmployeeStatus> = { active: 'active', left: 'left', 在职: 'active', 离职: 'left' };

/** 'YYYY-MM-DD' for a real date, or the problem. */
export function parseRosterDate(text: string): { date: string } | { code: 'BAD_DATE' | 'DATE_NOT_REAL' } {
  const match = DATE.exec(text);
  if (!match) return { code: 'BAD_DATE' };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  const isReal = year >= 1900 && year <= 2200 && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  if (!isReal) return { code: 'DATE_NOT_REAL' };
  return { date: `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/**
 * A cell that clears its field on purpose (a blank cell keeps the stored value): '-', '(clear)',
 * '(清空)' (either bracket width). Only optional fields (email, position) can be cleared.
 */
export function isClearMarker(text: string): boolean {
  if (text.length > 8) return false;
  const t = text.toLowerCase();
  return t === '-' || t === '(clear)' || t === '(清空)' || t === '（清空）';
}

/** Empty means active for a new person; for a stored one the row reader keeps the stored status. */
export function parseStatus(text: string): EmployeeStatus | null {
  if (text === '') return 'active';
  return STATUS[text.toLowerCase()] ?? null;
}

class CellReader {
  readonly errors: RowError[] = [];
  constructor(private readonly cells: readonly string[], private readonly header: RosterHeader, private readonly row: number) {}

  /** Trimmed text of a column ('' when the column or the cell is missing). */
  text(field: RosterField): string {
    const at = this.header.index[field];
    return at === undefined ? '' : (this.cells[at] ?? '').trim();
  }

  fail(field: RosterField, code: RowError['code'], params: RowError['params'] = {}): void {
    this.errors.push(rowError(this.row, field, code, params));
  }

  required(field: RosterField, max: number): string {
    const value = this.text(field);
    if (value === '') this.fail(field, 'REQUIRED');
    else if (isClearMarker(value)) this.fail(field, 'CANNOT_CLEAR');
    else if (value.length > max) this.fail(field, 'TOO_LONG', { max });
    return value;
  }

  /** undefined: keep the stored value (column absent or cell blank); null: clear it (a clear marker). */
  optional(field: RosterField, max: number): string | null | undefined {
    if (!hasColumn(this.header, field)) return undefined;
    const value = this.text(field);
    if (value === '') return undefined;
    if (isClearMarker(value)) return null;
    if (value.length > max) this.fail(field, 'TOO_LONG', { max });
    return value;
  }

  code(field: RosterField, pattern: RegExp, allowed: string, isRequired: boolean): string {
    const value = this.text(field);
    if (value === '') {
      if (isRequired) this.fail(field, 'REQUIRED');
    } else if (isClearMarker(value)) {
      this.fail(field, 'CANNOT_CLEAR');
    } else if (value.length > LIMITS.code) {
      this.fail(field, 'TOO_LONG', { max: LIMITS.code });
    } else if (!pattern.test(value)) {
      this.fail(field, 'BAD_CODE', { allowed });
    }
    return value;
  }
}

export function readEmployeeRow(cells: readonly string[], header: RosterHeader, row: number): { values: EmployeeValues; errors: RowError[] } {
  const r = new CellReader(cells, header, row);
  const employeeNo = r.code('employee_no', EMPLOYEE_NO, 'A-Z a-z 0-9 . _ -', true);
  const name = r.required('name', LIMITS.name);
  const branchCode = r.required('branch_code', LIMITS.code);
  const hiredText = r.required('hired_at', 40);
  let hiredAt = '';
  if (hiredText !== '') {
    const parsed = parseRosterDate(hiredText);
    if ('date' in parsed) hiredAt = parsed.date;
    else r.fail('hired_at', parsed.code, { value: hiredText.slice(0, 40) });
  }
  const email = r.optional('email', LIMITS.email);
  if (email && email.length <= LIMITS.email && !EMAIL.test(email)) r.fail('email', 'BAD_EMAIL', { value: email.slice(0, 60) });
  const position = r.optional('position', LIMITS.position);
  let status: EmployeeStatus | undefined;
  if (hasColumn(header, 'status')) {
    const text = r.text('status');
    // Blank keeps the stored status (a new person starts active).
    if (isClearMarker(text)) r.fail('status', 'CANNOT_CLEAR');
    else if (text !== '') {
      status = parseStatus(text) ?? undefined;
      if (!status) r.fail('status', 'BAD_STATUS', { value: text.slice(0, 40) });
    }
  }
  return { values: { employeeNo, name, branchCode, hiredAt, email, position, status }, errors: r.errors };
}

export function readBranchRow(cells: readonly string[], header: RosterHeader, row: number): { values: BranchValues; errors: RowError[] } {
  const r = new CellReader(cells, header, row);
  const code = r.code('branch_code', BRANCH_CODE, 'A-Z a-z 0-9 _ -', true);
  const name = r.required('branch_name', LIMITS.name);
  const parentCode = r.code('parent_code', BRANCH_CODE, 'A-Z a-z 0-9 _ -', false);
  return { values: { code, name, parentCode: parentCode === '' ? null : parentCode }, errors: r.errors };
}

/** A row whose cells are all blank is skipped, as spreadsheets leave them at the end. */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}
