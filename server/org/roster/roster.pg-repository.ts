import type { PgPool } from '../../db/postgres/pool.js';
import { loopBudget } from '../../shared/loop-budget.js';
import type { RosterStore } from './roster.repository.js';
import type { BranchSnapshot, EmployeeSnapshot, SnapshotBranch } from './roster-snapshot.js';

/** People read per statement while loading the snapshot. */
const SNAPSHOT_CHUNK = 5_000;

/** The roster import's snapshot on PostgreSQL (see roster.repository.ts): people in keyset chunks along the employee number. */
export class PgRosterRepository implements RosterStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  async loadBranchSnapshot(): Promise<BranchSnapshot> {
    const byCode = new Map<string, SnapshotBranch>();
    const byId = new Map<number, SnapshotBranch>();
    const { rows } = await this.deps.pool.query<{ id: number; code: string; name: string; parent_id: number | null; path: string }>('SELECT id, code, name, parent_id, path FROM branches');
    for (const row of rows) {
      const branch = { id: row.id, code: row.code, name: row.name, parentId: row.parent_id, path: row.path };
      byCode.set(branch.code, branch);
      byId.set(branch.id, branch);
    }
    return { byCode, byId };
  }

  async loadEmployeeSnapshot(): Promise<EmployeeSnapshot> {
    const { pool } = this.deps;
    const branches = await this.loadBranchSnapshot();
    const employees = new Map<string, string>();
    const budget = loopBudget();
    // 415,000 people in keyset chunks on the employee number's unique index, with turns for other requests between.
    for (let after = ''; ;) {
      const { rows } = await pool.query<unknown[]>({
        text: `SELECT employee_no, id, branch_id, status, name, email, position, hired_at FROM users
          WHERE employee_no > $1 ORDER BY employee_no LIMIT ${SNAPSHOT_CHUNK}`,
        values: [after], rowMode: 'array',
      });
      // Packed as the SQLite twin's json_array(…): one short text per person (ExistingEmployeeTuple).
      for (const [employeeNo, ...tuple] of rows) employees.set(employeeNo as string, JSON.stringify(tuple));
      if (rows.length < SNAPSHOT_CHUNK) break;
      after = rows[rows.length - 1][0] as string;
      const turn = budget.checkpoint();
      if (turn) await turn;
    }
    const taken = await pool.query<{ username: string }>('SELECT username FROM users WHERE employee_no IS NULL OR employee_no <> username');
    return { branches, employees, takenUsernames: new Set(taken.rows.map((r) => r.username)) };
  }
}
