/**
 * Employee rows → what each would change, row by row as the file streams past. The only state
 * kept per row is one number per employee number seen (its row and outcome, to catch repeats);
 * each change goes to the caller's stage as soon as it is known. Pure: no database, no Express.
 */
import type { RosterHeader } from './roster-columns.js';
import { rowError, type RowError } from './roster-errors.js';
import type { ChangeAction, FieldChange, ReportBuilder, RowChange } from './roster-report.js';
import { decodeEmployee, isInScope, type EmployeeSnapshot, type EmployeeState, type SnapshotBranch } from './roster-snapshot.js';
import { readEmployeeRow, type EmployeeValues } from './roster-values.js';

export type EmployeeOp =
  | { op: 'create'; row: number; employeeNo: string; state: EmployeeState; branchCode: string }
  | {
    op: 'change'; row: number; userId: number; employeeNo: string; before: EmployeeState; after: EmployeeState;
    /** Changed fields other than the branch and a leave. */
    updated: Array<keyof EmployeeState>;
    transfer: { fromCode: string | null; toCode: string } | null;
    isLeave: boolean;
  };

// seen[employeeNo] = row * FLAG_SPAN + flags: the row it was first seen in and how that row ended.
const FLAG_SPAN = 64;
const INVALID = 1;
const REPEATED = 2;
const ACTION_FLAGS: Array<[ChangeAction, number]> = [['create', 4], ['update', 8], ['transfer', 16], ['leave', 32]];

const COMPARED: Array<[keyof EmployeeState, string]> = [['name', 'name'], ['email', 'email'], ['position', 'position'], ['hiredAt', 'hired_at']];

export class EmployeePlanner {
  private readonly seen = new Map<string, number>();
  /** Employee numbers in more than one row: none of their rows is imported. */
  readonly repeatedKeys = new Set<string>();

  constructor(private readonly deps: {
    header: RosterHeader; snapshot: EmployeeSnapshot; scopes: string[] | null; report: ReportBuilder;
    stage: ((op: EmployeeOp) => void) | null;
  }) {}

  accept(row: number, cells: readonly string[]): void {
    const { report } = this.deps;
    report.rowCount += 1;
    const { values, errors } = readEmployeeRow(cells, this.deps.header, row);
    const key = values.employeeNo;
    const isKeyValid = key !== '' && !errors.some((e) => e.column === 'employee_no');
    const branch = this.checkBranch(values, row, errors);
    const packed = isKeyValid ? this.deps.snapshot.employees.get(key) : undefined;
    const existing = packed === undefined ? null : decodeEmployee(packed);
    if (existing && !isInScope(this.deps.scopes, this.pathOf(existing.state.branchId))) {
      errors.push(rowError(row, 'employee_no', 'OUT_OF_SCOPE', { code: key }));
    } else if (!existing && isKeyValid && this.deps.snapshot.takenUsernames.has(key)) {
      errors.push(rowError(row, 'employee_no', 'USERNAME_TAKEN', { value: key }));
    }
    if (isKeyValid) this.checkRepeat(key, row, errors);

    if (errors.length > 0 || !branch) {
      report.addErrors(errors);
      report.invalidRowCount += 1;
      if (isKeyValid && !this.seen.has(key)) this.seen.set(key, row * FLAG_SPAN + INVALID);
      return;
    }
    const { change, op } = existing ? this.planChange(row, values, branch, existing) : this.planCreate(row, values, branch);
    report.countValid(change);
    this.seen.set(key, row * FLAG_SPAN + flagsOf(change.actions));
    if (op && this.deps.stage) this.deps.stage(op);
  }

  private checkBranch(values: EmployeeValues, row: number, errors: RowError[]): SnapshotBranch | null {
    if (values.branchCode === '' || errors.some((e) => e.column === 'branch_code')) return null;
    const branch = this.deps.snapshot.branches.byCode.get(values.branchCode);
    if (!branch) {
      errors.push(rowError(row, 'branch_code', 'UNKNOWN_BRANCH', { code: values.branchCode }));
      return null;
    }
    if (!isInScope(this.deps.scopes, branch.path)) errors.push(rowError(row, 'branch_code', 'OUT_OF_SCOPE', { code: branch.code }));
    return branch;
  }

  /** A second row with the same number makes both rows invalid (which one is right is HR's call). */
  private checkRepeat(key: string, row: number, errors: RowError[]): void {
    const previous = this.seen.get(key);
    if (previous === undefined) return;
    const previousRow = Math.floor(previous / FLAG_SPAN);
    errors.push(rowError(row, 'employee_no', 'DUPLICATE_KEY', { value: key, otherRow: previousRow }));
    if (previous & REPEATED) return;
    this.repeatedKeys.add(key);
    this.deps.report.addErrors([rowError(previousRow, 'employee_no', 'DUPLICATE_KEY', { value: key, otherRow: row })]);
    if (!(previous & INVALID)) this.deps.report.uncountValid(actionsOf(previous), previousRow);
    this.seen.set(key, previous | REPEATED | INVALID);
  }

  private planCreate(row: number, values: EmployeeValues, branch: SnapshotBranch): { change: RowChange; op: EmployeeOp } {
    const state: EmployeeState = {
      name: values.name, email: values.email ?? null, branchId: branch.id, position: values.position ?? null,
      hiredAt: values.hiredAt, status: values.status ?? 'active',
    };
    const fields: FieldChange[] = [{ field: 'branch_code', from: null, to: branch.code }];
    if (state.status === 'left') fields.push({ field: 'status', from: null, to: 'left' });
    return {
      change: { row, key: values.employeeNo, name: values.name, actions: ['create'], fields },
      op: { op: 'create', row, employeeNo: values.employeeNo, state, branchCode: branch.code },
    };
  }

  private planChange(row: number, values: EmployeeValues, branch: SnapshotBranch, existing: { id: number; state: EmployeeState }): { change: RowChange; op: EmployeeOp | null } {
    const before = existing.state;
    const after: EmployeeState = {
      name: values.name,
      // undefined = column absent or cell blank: keep what is stored; null = cleared on purpose.
      email: values.email === undefined ? before.email : values.email,
      position: values.position === undefined ? before.position : values.position,
      hiredAt: values.hiredAt,
      branchId: branch.id,
      status: values.status ?? before.status,
    };
    const fields: FieldChange[] = [];
    const updated: Array<keyof EmployeeState> = [];
    for (const [property, column] of COMPARED) {
      if (before[property] === after[property]) continue;
      updated.push(property);
      fields.push({ field: column, from: before[property] as string | null, to: after[property] as string | null });
    }
    // Coming back after leaving is an update of the status; leaving is its own action.
    const isLeave = before.status === 'active' && after.status === 'left';
    if (before.status === 'left' && after.status === 'active') {
      updated.push('status');
      fields.push({ field: 'status', from: 'left', to: 'active' });
    }
    const transfer = before.branchId === after.branchId ? null : { fromCode: this.codeOf(before.branchId), toCode: branch.code };
    if (transfer) fields.push({ field: 'branch_code', from: transfer.fromCode, to: transfer.toCode });
    if (isLeave) fields.push({ field: 'status', from: 'active', to: 'left' });
    const actions: ChangeAction[] = [];
    if (updated.length) actions.push('update');
    if (transfer) actions.push('transfer');
    if (isLeave) actions.push('leave');
    const change: RowChange = { row, key: values.employeeNo, name: values.name, actions, fields };
    if (actions.length === 0) return { change, op: null };
    return { change, op: { op: 'change', row, userId: existing.id, employeeNo: values.employeeNo, before, after, updated, transfer, isLeave } };
  }

  private pathOf(branchId: number | null): string | null {
    return branchId === null ? null : this.deps.snapshot.branches.byId.get(branchId)?.path ?? null;
  }

  private codeOf(branchId: number | null): string | null {
    return branchId === null ? null : this.deps.snapshot.branches.byId.get(branchId)?.code ?? null;
  }
}

function flagsOf(actions: readonly ChangeAction[]): number {
  return ACTION_FLAGS.reduce((flags, [action, flag]) => (actions.includes(action) ? flags | flag : flags), 0);
}

function actionsOf(seen: number): ChangeAction[] {
  return ACTION_FLAGS.filter(([, flag]) => seen & flag).map(([action]) => action);
}
