/**
 * The two roster files and their header rows: which columns each kind has, the names people
 * actually type (English and the Chinese headings HR spreadsheets use), and detecting the kind
 * from the header. Pure: no database, no Express.
 */
import type { RowError } from './roster-errors.js';
import { rowError } from './roster-errors.js';

export type RosterKind = 'branches' | 'employees';

export const EMPLOYEE_FIELDS = ['employee_no', 'name', 'email', 'branch_code', 'position', 'hired_at', 'status'] as const;
export const BRANCH_FIELDS = ['branch_code', 'branch_name', 'parent_code'] as const;
export type EmployeeField = (typeof EMPLOYEE_FIELDS)[number];
export type BranchField = (typeof BRANCH_FIELDS)[number];
export type RosterField = EmployeeField | BranchField;

/** Columns the header must have. Optional columns left out of a file leave that field untouched. */
const REQUIRED_COLUMNS: Record<RosterKind, readonly RosterField[]> = {
  employees: ['employee_no', 'name', 'branch_code', 'hired_at'],
  branches: ['branch_code', 'branch_name', 'parent_code'],
};

const ALIASES: Record<RosterField, readonly string[]> = {
  employee_no: ['工号', '员工号', '员工编号', '职工号', 'employee_number', 'employeeno', 'emp_no'],
  name: ['姓名', '员工姓名', 'employee_name', 'full_name'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'e_mail', 'mail'],
  branch_code: ['机构代码', '机构编码', '机构号', '网点代码', 'branchcode', 'branch'],
  position: ['岗位', '职位', '职务', 'job_title'],
  hired_at: ['入职日期', '入职时间', 'hire_date', 'hired_on', 'hiredat'],
  status: ['状态', '在职状态', '员工状态'],
  branch_name: ['机构名称', '网点名称', 'branchname'],
  parent_code: ['上级机构代码', '上级机构编码', '上级代码', '上级机构', 'parentcode', 'parent'],
};

const FIELD_BY_NAME = new Map<string, RosterField>();
for (const [field, names] of Object.entries(ALIASES) as Array<[RosterField, readonly string[]]>) {
  FIELD_BY_NAME.set(field, field);
  for (const name of names) FIELD_BY_NAME.set(normaliseHeading(name), field);
}

/** 'Employee No' / ' employee-no ' / 'EMPLOYEE_NO' all become 'employee_no'. */
export function normaliseHeading(text: string): string {
  return text.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s\-.]+/g, '_');
}

export interface RosterHeader {
  kind: RosterKind;
  /** Cell index of each column present in the file. */
  index: Partial<Record<RosterField, number>>;
}

export function hasColumn(header: RosterHeader, field: RosterField): boolean {
  return header.index[field] !== undefined;
}

/** Reads the header row (row 1): the kind, where each column is, or why the file is not a roster. */
export function detectHeader(cells: readonly string[]): { header: RosterHeader; errors: [] } | { header: null; errors: RowError[] } {
  const index: Partial<Record<RosterField, number>> = {};
  const errors: RowError[] = [];
  cells.forEach((cell, i) => {
    const field = FIELD_BY_NAME.get(normaliseHeading(cell));
    if (!field) return;
    if (index[field] !== undefined) errors.push(rowError(1, field, 'COLUMN_DUPLICATE', { column: field }));
    else index[field] = i;
  });
  const kind: RosterKind | null = index.employee_no !== undefined ? 'employees' : index.branch_name !== undefined ? 'branches' : null;
  if (!kind) return { header: null, errors: [rowError(1, '', 'HEADER_UNKNOWN', { found: cells.join(', ').slice(0, 200) })] };
  for (const field of REQUIRED_COLUMNS[kind]) {
    if (index[field] === undefined) errors.push(rowError(1, field, 'COLUMN_MISSING', { column: field }));
  }
  return errors.length ? { header: null, errors } : { header: { kind, index }, errors: [] };
}
