/**
 * Applying a roster import on PostgreSQL (see roster-writer.ts): every change and its audit events
 * in ONE transaction, guarded by the values the run compared against (a record changed meanwhile,
 * on any node, rolls it all back with a 409). No worker thread: the writes are awaited round trips,
 * so the loop stays free and other nodes' and requests' reads go on (MVCC); rows the import
 * changes stay locked until it commits.
 */
import type { PgClient, PgPool } from '../../db/postgres/pool.js';
import { transaction } from '../../db/postgres/transaction.js';
import { PgAuditRepository } from '../../audit/audit.pg-repository.js';
import type { CertificationStore } from '../../certification/certification.repository.js';
import { dueDateFor } from '../../certification/due-dates.js';
import { ConflictError } from '../../errors.js';
import { loopBudget } from '../../shared/loop-budget.js';
import { subtreeRange } from '../../shared/branch-path.js';
import type { BranchOp } from './branch-planner.js';
import type { EmployeeOp } from './employee-planner.js';
import type { RosterApplier } from './roster-applier.js';
import type { EmployeeState } from './roster-snapshot.js';
import { CHANGED_MEANWHILE, type ApplyContext } from './roster-writer.js';

interface BranchRow { id: number; code: string; name: string; parent_id: number | null; path: string; depth: number }

export class PgRosterWriter {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  /** Creates, renames and moves branches in the given (parents-first) order, in one transaction. */
  async applyBranchOps(ops: readonly BranchOp[], context: ApplyContext): Promise<void> {
    const now = this.deps.now().toISOString();
    await guarded(transaction(this.deps.pool, async (client) => {
      for (const op of ops) {
        if (op.op === 'create') await this.createBranch(client, op, context.actorId, now);
        else await this.updateBranch(client, op, context.actorId, now);
      }
      await this.deps.audit.appendWith(client, { actorId: context.actorId, action: 'roster.import', subject: context.subject, details: context.summary });
    }));
  }

  /**
   * Applies staged employee changes in one transaction; `skip` holds employee numbers not to
   * import. `ops` is asked again if the transaction is re-run (deadlock), so it must start over.
   */
  async applyEmployeeOps(ops: () => Iterable<EmployeeOp>, skip: ReadonlySet<string>, context: ApplyContext): Promise<void> {
    const now = this.deps.now().toISOString();
    await guarded(transaction(this.deps.pool, async (client) => {
      // Reading the stage is synchronous: turns for others between the round trips.
      const budget = loopBudget();
      for (const op of ops()) {
        if (skip.has(op.employeeNo)) continue;
        if (op.op === 'create') await this.createEmployee(client, op, context, now);
        else await this.changeEmployee(client, op, context, now);
        const turn = budget.checkpoint();
        if (turn) await turn;
      }
      await this.deps.audit.appendWith(client, { actorId: context.actorId, action: 'roster.import', subject: context.subject, details: context.summary });
    }));
  }

  private async createBranch(client: PgClient, op: Extract<BranchOp, { op: 'create' }>, actorId: number | null, now: string): Promise<void> {
    const parent = op.parentCode === null ? null : await this.branchByCode(client, op.parentCode);
    const id = (await client.query<{ id: number }>(`INSERT INTO branches (code, name, parent_id, path, depth, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, [op.code, op.name, parent?.id ?? null, `/new-${op.code}/`, parent ? parent.depth + 1 : 0, now])).rows[0].id;
    await client.query('UPDATE branches SET path = $1 WHERE id = $2', [`${parent ? parent.path : '/'}${id}/`, id]);
    await this.deps.audit.appendWith(client, { actorId, action: 'branch.create', subject: `branch:${id}`, details: { code: op.code, name: op.name, parentCode: op.parentCode, source: 'roster' } });
  }

  private async updateBranch(client: PgClient, op: Extract<BranchOp, { op: 'update' }>, actorId: number | null, now: string): Promise<void> {
    // Locked: a branch edited on another node meanwhile is seen here as it committed.
    const current = (await client.query<BranchRow>('SELECT id, code, name, parent_id, path, depth FROM branches WHERE id = $1 FOR UPDATE', [op.id])).rows[0];
    if (!current || current.name !== op.before.name || current.parent_id !== op.before.parentId) throw new ConflictError(CHANGED_MEANWHILE);
    const parent = op.after.parentCode === null ? null : await this.branchByCode(client, op.after.parentCode);
    if (parent && parent.path.startsWith(current.path)) throw new ConflictError(CHANGED_MEANWHILE);
    const parentId = parent?.id ?? null;
    await client.query('UPDATE branches SET name = $1, parent_id = $2, updated_at = $3 WHERE id = $4', [op.after.name, parentId, now, op.id]);
    if (parentId !== current.parent_id) {
      const range = subtreeRange(current.path);
      await client.query(`UPDATE branches SET path = $1::text || substr(path, length($2::text) + 1), depth = depth + $3::integer
        WHERE path >= $4 AND path < $5`, [`${parent ? parent.path : '/'}${op.id}/`, current.path, (parent ? parent.depth + 1 : 0) - current.depth, range.from, range.to]);
    }
    await this.deps.audit.appendWith(client, {
      actorId, action: 'branch.update', subject: `branch:${op.id}`,
      details: { code: op.code, before: { name: op.before.name, parentCode: op.before.parentCode }, after: op.after, source: 'roster' },
    });
  }

  private async branchByCode(client: PgClient, code: string): Promise<BranchRow> {
    const branch = (await client.query<BranchRow>('SELECT id, code, name, parent_id, path, depth FROM branches WHERE code = $1', [code])).rows[0];
    if (!branch) throw new ConflictError(CHANGED_MEANWHILE);
    return branch;
  }

  private async createEmployee(client: PgClient, op: Extract<EmployeeOp, { op: 'create' }>, context: ApplyContext, now: string): Promise<void> {
    const { state } = op;
    // The person, their employee role and first placement in one statement (one round trip).
    const id = (await client.query<{ id: number }>(`WITH u AS (
        INSERT INTO users (username, employee_no, name, email, branch_id, position, hired_at, status, left_at, password_hash, created_at, updated_at)
        VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9) RETURNING id
      ), r AS (INSERT INTO user_roles (user_id, role, scope_branch_id, created_at) SELECT id, 'employee', NULL, $9 FROM u),
      h AS (INSERT INTO user_branch_history (user_id, branch_id, from_at) SELECT id, $4, $10 FROM u)
      SELECT id FROM u`,
    [op.employeeNo, state.name, state.email, state.branchId, state.position, state.hiredAt, state.status, state.status === 'left' ? context.effectiveDate : null, now,
      state.hiredAt ?? context.effectiveDate])).rows[0].id;
    await this.deps.audit.appendWith(client, {
      actorId: context.actorId, action: 'user.create', subject: `user:${id}`,
      details: { employeeNo: op.employeeNo, name: state.name, email: state.email, branchCode: op.branchCode, position: state.position, hiredAt: state.hiredAt, status: state.status, source: 'roster' },
    });
  }

  private async changeEmployee(client: PgClient, op: Extract<EmployeeOp, { op: 'change' }>, context: ApplyContext, now: string): Promise<void> {
    const { before, after, userId } = op;
    const changed = (await client.query(`UPDATE users SET name = $2, email = $3, branch_id = $4, position = $5, hired_at = $6, status = $7,
        left_at = CASE WHEN $7 = 'left' THEN COALESCE(left_at, $8) ELSE NULL END, updated_at = $9
      WHERE id = $1 AND name IS NOT DISTINCT FROM $10 AND email IS NOT DISTINCT FROM $11 AND branch_id IS NOT DISTINCT FROM $12
        AND position IS NOT DISTINCT FROM $13 AND hired_at IS NOT DISTINCT FROM $14 AND status = $15`,
    [userId, after.name, after.email, after.branchId, after.position, after.hiredAt, after.status, context.effectiveDate, now,
      before.name, before.email, before.branchId, before.position, before.hiredAt, before.status])).rowCount;
    if (changed !== 1) throw new ConflictError(CHANGED_MEANWHILE);
    const { audit } = this.deps;
    const subject = `user:${userId}`;
    if (op.updated.length) {
      await audit.appendWith(client, { actorId: context.actorId, action: 'user.update', subject, details: { employeeNo: op.employeeNo, before: pick(before, op.updated), after: pick(after, op.updated), source: 'roster' } });
    }
    if (op.transfer) {
      await client.query('UPDATE user_branch_history SET to_at = $1 WHERE user_id = $2 AND to_at IS NULL', [context.effectiveDate, userId]);
      await client.query('INSERT INTO user_branch_history (user_id, branch_id, from_at) VALUES ($1, $2, $3)', [userId, after.branchId, context.effectiveDate]);
      await audit.appendWith(client, { actorId: context.actorId, action: 'user.transfer', subject, details: { employeeNo: op.employeeNo, from: op.transfer.fromCode, to: op.transfer.toCode, effectiveDate: context.effectiveDate, source: 'roster' } });
    }
    if (op.isLeave) {
      await audit.appendWith(client, { actorId: context.actorId, action: 'user.leave', subject, details: { employeeNo: op.employeeNo, effectiveDate: context.effectiveDate, source: 'roster' } });
    }
  }
}

function pick(state: EmployeeState, fields: ReadonlyArray<keyof EmployeeState>): Partial<EmployeeState> {
  return Object.fromEntries(fields.map((field) => [field, state[field]]));
}

/** A UNIQUE clash means another request (on any node) created the same code or username meanwhile. */
async function guarded(run: Promise<void>): Promise<void> {
  try {
    await run;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new ConflictError(CHANGED_MEANWHILE);
    throw error;
  }
}

/**
 * The RosterApplier on PostgreSQL: the import's one transaction on the pool, then (with
 * `enrollTimeZone`) the people newly covered by assignments enrolled in a transaction of their own,
 * as the SQLite apply worker does.
 */
export function pgRosterApplier(deps: { pool: PgPool; certification: CertificationStore; now: () => Date; enrollTimeZone?: string }): RosterApplier {
  const enroll = async (now: Date): Promise<number> => {
    if (!deps.enrollTimeZone) return 0;
    const zone = deps.enrollTimeZone;
    return deps.certification.syncEnrollments((assignment, user) => dueDateFor(assignment, user.hiredAt, now, zone));
  };
  const writerAt = (now: Date) => new PgRosterWriter({ pool: deps.pool, audit: new PgAuditRepository({ pool: deps.pool, now: () => now }), now: () => now });
  return {
    applyBranches: async (ops, context) => {
      const now = deps.now();
      await writerAt(now).applyBranchOps(ops, context);
      return enroll(now);
    },
    applyEmployees: async (stage, skip, context) => {
      const now = deps.now();
      await writerAt(now).applyEmployeeOps(() => stage.ops(), skip, context);
      return enroll(now);
    },
  };
}
