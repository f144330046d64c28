/**
 * Row problems found in a roster file: the row as numbered in the file (header = row 1), the
 * column, a code the web page translates (roster.errors.<CODE>) and an English message for the
 * CLI and the logs. Pure.
 */
export type RosterErrorCode =
  | 'FILE_UNREADABLE' | 'FILE_EMPTY' | 'HEADER_UNKNOWN' | 'COLUMN_MISSING' | 'COLUMN_DUPLICATE'
  | 'REQUIRED' | 'TOO_LONG' | 'BAD_CODE' | 'BAD_DATE' | 'DATE_NOT_REAL' | 'BAD_EMAIL' | 'BAD_STATUS'
  | 'UNKNOWN_BRANCH' | 'UNKNOWN_PARENT' | 'DUPLICATE_KEY' | 'BRANCH_CYCLE' | 'PARENT_INVALID'
  | 'OUT_OF_SCOPE' | 'OUT_OF_SCOPE_TOP' | 'USERNAME_TAKEN' | 'CANNOT_CLEAR';

export type ErrorParams = Record<string, string | number>;

export interface RowError {
  row: number;
  /** Canonical column name (employee_no, hired_at, …); empty for problems with the whole file. */
  column: string;
  code: RosterErrorCode;
  params: ErrorParams;
  message: string;
}

const MESSAGES: Record<RosterErrorCode, (p: ErrorParams) => string> = {
  FILE_UNREADABLE: (p) => `The file could not be read: ${p.detail}`,
  FILE_EMPTY: () => 'The file has no header row',
  HEADER_UNKNOWN: (p) => `The header row is neither a branch file (branch_code, branch_name, parent_code) nor an employee file (employee_no, name, email, branch_code, position, hired_at, status); found: ${p.found}`,
  COLUMN_MISSING: (p) => `Column ${p.column} is missing`,
  COLUMN_DUPLICATE: (p) => `Column ${p.column} appears more than once`,
  REQUIRED: () => 'A value is required',
  TOO_LONG: (p) => `Longer than ${p.max} characters`,
  BAD_CODE: (p) => `Use only the characters ${p.allowed}`,
  BAD_DATE: (p) => `"${p.value}" is not a date YYYY-MM-DD`,
  DATE_NOT_REAL: (p) => `${p.value} is not a real calendar date`,
  BAD_EMAIL: (p) => `"${p.value}" is not an email address`,
  BAD_STATUS: (p) => `"${p.value}" is not a status (active, left, 在职, 离职)`,
  UNKNOWN_BRANCH: (p) => `No branch with code ${p.code}`,
  UNKNOWN_PARENT: (p) => `No branch with code ${p.code}, neither in the system nor in this file`,
  DUPLICATE_KEY: (p) => `${p.value} also appears in row ${p.otherRow}`,
  BRANCH_CYCLE: (p) => `Parent codes form a cycle: ${p.cycle}`,
  PARENT_INVALID: (p) => `Parent ${p.code} is not imported because row ${p.otherRow} has errors`,
  OUT_OF_SCOPE: (p) => `${p.code} is outside your scope`,
  OUT_OF_SCOPE_TOP: () => 'Only an administrator can put a branch at the top level',
  USERNAME_TAKEN: (p) => `Another account already has the username ${p.value}`,
  CANNOT_CLEAR: () => 'This field cannot be cleared (only email and position can)',
};

export function rowError(row: number, column: string, code: RosterErrorCode, params: ErrorParams = {}): RowError {
  return { row, column, code, params, message: MESSAGES[code](params) };
}
