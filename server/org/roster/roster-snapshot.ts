/**
 * The organisation as an import run sees it, loaded once per run instead of a query per row.
 * Employees are kept as one small JSON text each (about 100 bytes), so 415,000 of them fit in
 * tens of megabytes. Pure types and helpers; the roster repository fills them.
 */
import { isWithin } from '../../shared/branch-path.js';
import type { EmployeeStatus } from './roster-values.js';

export interface SnapshotBranch { id: number; code: string; name: string; parentId: number | null; path: string }

export interface BranchSnapshot {
  byCode: Map<string, SnapshotBranch>;
  byId: Map<number, SnapshotBranch>;
}

export interface EmployeeSnapshot {
  branches: BranchSnapshot;
  /** employee_no → JSON of ExistingEmployeeTuple. */
  employees: Map<string, string>;
  /** Usernames held by accounts whose username is not their own employee number. */
  takenUsernames: Set<string>;
}

/** The fields an import compares, as the database holds them. */
export interface EmployeeState {
  name: string; email: string | null; branchId: number | null; position: string | null; hiredAt: string | null; status: EmployeeStatus;
}

export type ExistingEmployeeTuple = [id: number, branchId: number | null, status: EmployeeStatus, name: string,
  email: string | null, position: string | null, hiredAt: string | null];

export function decodeEmployee(packed: string): { id: number; state: EmployeeState } {
  const [id, branchId, status, name, email, position, hiredAt] = JSON.parse(packed) as ExistingEmployeeTuple;
  return { id, state: { name, email, branchId, position, hiredAt, status } };
}

/** Who runs an import: the audit actor (null for the CLI) and the branch subtrees they may change (null = all). */
export interface RosterActor { id: number | null; scopes: string[] | null; via: 'web' | 'cli' }

export function isInScope(scopes: string[] | null, path: string | null): boolean {
  if (scopes === null) return true;
  return path !== null && scopes.some((scope) => isWithin(path, scope));
}
