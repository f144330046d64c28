/**
 * The roster import's snapshot SQL: the organisation a run compares against, read in chunks on
 * the app's connection. Applying the changes is roster-writer.ts, run off the loop by roster-applier.ts.
 */
import type { PublicOf } from '../../db/store.js';
import type { Db } from '../../db/open-database.js';
import { loopBudget } from '../../shared/loop-budget.js';
import type { BranchSnapshot, EmployeeSnapshot, SnapshotBranch } from './roster-snapshot.js';

/** People read per statement while loading the snapshot. */
const SNAPSHOT_CHUNK = 5_000;

export class RosterRepository {
  private readonly stmts;

  constructor(deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      allBranches: db.prepare('SELECT id, code, name, parent_id, path FROM branches'),
      employeesAfter: db.prepare(`SELECT employee_no, json_array(id, branch_id, status, name, email, position, hired_at)
        FROM users WHERE employee_no > ? ORDER BY employee_no LIMIT ${SNAPSHOT_CHUNK}`).raw(),
      takenUsernames: db.prepare('SELECT username FROM users WHERE employee_no IS NULL OR employee_no <> username').pluck(),
    };
  }

  async loadBranchSnapshot(): Promise<BranchSnapshot> {
    const byCode = new Map<string, SnapshotBranch>();
    const byId = new Map<number, SnapshotBranch>();
    for (const row of this.stmts.allBranches.all() as Array<{ id: number; code: string; name: string; parent_id: number | null; path: string }>) {
      const branch = { id: row.id, code: row.code, name: row.name, parentId: row.parent_id, path: row.path };
      byCode.set(branch.code, branch);
      byId.set(branch.id, branch);
    }
    return { byCode, byId };
  }

  async loadEmployeeSnapshot(): Promise<EmployeeSnapshot> {
    const branches = await this.loadBranchSnapshot();
    const employees = new Map<string, string>();
    // 415,000 people in chunks along the employee number index, with turns for other requests between.
    const budget = loopBudget();
    for (let after = ''; ;) {
      const rows = this.stmts.employeesAfter.all(after) as Array<[string, string]>;
      for (const [employeeNo, packed] of rows) employees.set(employeeNo, packed);
      if (rows.length < SNAPSHOT_CHUNK) break;
      after = rows[rows.length - 1][0];
      const turn = budget.checkpoint();
      if (turn) await turn;
    }
    return { branches, employees, takenUsernames: new Set(this.stmts.takenUsernames.all() as string[]) };
  }

}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type RosterStore = PublicOf<RosterRepository>;
