/**
 * What an import run found and did: counts, the first changes row by row, and the errors. Kept
 * small whatever the file size — the first MAX_CHANGES changes and MAX_ERRORS errors are listed,
 * the rest only counted. Pure.
 */
import type { RosterKind } from './roster-columns.js';
import type { RowError } from './roster-errors.js';

export const MAX_CHANGES = 200;
export const MAX_ERRORS = 1000;

export type ChangeAction = 'create' | 'update' | 'move' | 'transfer' | 'leave';
export const CHANGE_ACTIONS: readonly ChangeAction[] = ['create', 'update', 'move', 'transfer', 'leave'];

export interface FieldChange { field: string; from: string | null; to: string | null }

export interface RowChange {
  row: number;
  /** employee_no or branch_code. */
  key: string;
  name: string;
  actions: ChangeAction[];
  /** Changed fields of an update; for a move or transfer the parent/branch codes. */
  fields: FieldChange[];
}

export type RosterCounts = Record<ChangeAction | 'unchanged', number>;

export interface RosterReport {
  kind: RosterKind | null;
  fileName: string;
  fileType: 'csv' | 'xlsx';
  encoding: string | null;
  effectiveDate: string;
  validOnly: boolean;
  /** Data rows read (the header and blank rows excluded). */
  rowCount: number;
  validRowCount: number;
  invalidRowCount: number;
  /** Rows per action; a row that moves and renames counts once in each. */
  counts: RosterCounts;
  /** Rows with at least one change. */
  changeCount: number;
  changes: RowChange[];
  errorCount: number;
  /** Sorted by row, then column. */
  errors: RowError[];
  /** True when the whole file could not be used (header, parse error): nothing is ever applied. */
  isFileRejected: boolean;
  /** True when the changes were written. */
  applied: boolean;
}

export function emptyCounts(): RosterCounts {
  return { create: 0, update: 0, move: 0, transfer: 0, leave: 0, unchanged: 0 };
}

export class ReportBuilder {
  readonly counts = emptyCounts();
  rowCount = 0;
  validRowCount = 0;
  invalidRowCount = 0;
  changeCount = 0;
  errorCount = 0;
  isFileRejected = false;
  private changes: RowChange[] = [];
  private readonly errors: RowError[] = [];

  addErrors(errors: readonly RowError[]): void {
    for (const error of errors) {
      this.errorCount += 1;
      if (this.errors.length < MAX_ERRORS) this.errors.push(error);
    }
  }

  rejectFile(errors: readonly RowError[]): void {
    this.isFileRejected = true;
    this.addErrors(errors);
  }

  /** A valid row: its actions (none = unchanged) and, while the list has room, what changes. */
  countValid(change: RowChange | null): void {
    this.validRowCount += 1;
    if (!change || change.actions.length === 0) {
      this.counts.unchanged += 1;
      return;
    }
    this.changeCount += 1;
    for (const action of change.actions) this.counts[action] += 1;
    if (this.changes.length < MAX_CHANGES) this.changes.push(change);
  }

  /** Takes back a row counted valid that a later row proved invalid (a repeated key). */
  uncountValid(actions: readonly ChangeAction[], row: number): void {
    this.validRowCount -= 1;
    this.invalidRowCount += 1;
    if (actions.length === 0) {
      this.counts.unchanged -= 1;
      return;
    }
    this.changeCount -= 1;
    for (const action of actions) this.counts[action] -= 1;
    this.changes = this.changes.filter((c) => c.row !== row);
  }

  build(meta: Pick<RosterReport, 'kind' | 'fileName' | 'fileType' | 'encoding' | 'effectiveDate' | 'validOnly'>): RosterReport {
    const errors = [...this.errors].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    return {
      ...meta, rowCount: this.rowCount, validRowCount: this.validRowCount, invalidRowCount: this.invalidRowCount,
      counts: { ...this.counts }, changeCount: this.changeCount, changes: [...this.changes].sort((a, b) => a.row - b.row),
      errorCount: this.errorCount, errors, isFileRejected: this.isFileRejected, applied: false,
    };
  }
}

/** Whether a run may write: a clean file, or the user chose to import only the valid rows. */
export function mayApply(report: Pick<RosterReport, 'isFileRejected' | 'errorCount' | 'validOnly' | 'changeCount'>): boolean {
  return !report.isFileRejected && report.changeCount > 0 && (report.errorCount === 0 || report.validOnly);
}
