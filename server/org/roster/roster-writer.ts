/**
 * Applying a roster import's changes: every change and its audit event in ONE transaction, so an
 * import is either wholly written or not at all. Writes are guarded by the values the run compared
 * against: if someone edited the same record meanwhile, the transaction rolls back with a 409.
 * Synchronous on purpose: it runs in the roster apply worker on a connection of its own
 * (roster-applier.ts), or on the app's connection for an in-memory database.
 */
import type { Db } from '../../db/open-database.js';
import type { AuditRepository } from '../../audit/audit.repository.js';
import { ConflictError } from '../../errors.js';
import { subtreeRange } from '../../shared/branch-path.js';
import type { BranchOp } from './branch-planner.js';
import type { EmployeeOp } from './employee-planner.js';
import type { EmployeeState } from './roster-snapshot.js';

export interface ApplyContext {
  actorId: number | null;
  effectiveDate: string;
  /** Details of the one roster.import event written with the changes. */
  summary: Record<string, unknown>;
  subject: string;
}

interface BranchRow { id: number; code: string; name: string; parent_id: number | null; path: string; depth: number }

export const CHANGED_MEANWHILE = 'The roster changed while this import ran; nothing was written. Run the import again.';

export class RosterWriter {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date }) {
    const { db } = deps;
    this.stmts = {
      branchById: db.prepare('SELECT id, code, name, parent_id, path, depth FROM branches WHERE id = ?'),
      branchByCode: db.prepare('SELECT id, code, name, parent_id, path, depth FROM branches WHERE code = ?'),
      insertBranch: db.prepare(`INSERT INTO branches (code, name, parent_id, path, depth, created_at, updated_at)
        VALUES (@code, @name, @parentId, @tempPath, @depth, @now, @now)`),
      setBranchPath: db.prepare('UPDATE branches SET path = ? WHERE id = ?'),
      updateBranch: db.prepare('UPDATE branches SET name = @name, parent_id = @parentId, updated_at = @now WHERE id = @id'),
      moveSubtree: db.prepare(`UPDATE branches SET path = @newPrefix || substr(path, length(@oldPrefix) + 1),
        depth = depth + @depthDelta WHERE path >= @from AND path < @to`),
      insertUser: db.prepare(`INSERT INTO users (username, employee_no, name, email, branch_id, position, hired_at, status, left_at,
        password_hash, created_at, updated_at) VALUES (@employeeNo, @employeeNo, @name, @email, @branchId, @position, @hiredAt,
        @status, @leftAt, NULL, @now, @now)`),
      grantEmployee: db.prepare("INSERT INTO user_roles (user_id, role, scope_branch_id, created_at) VALUES (?, 'employee', NULL, ?)"),
      updateUser: db.prepare(`UPDATE users SET name = @name, email = @email, branch_id = @branchId, position = @position,
        hired_at = @hiredAt, status = @status, left_at = CASE WHEN @status = 'left' THEN COALESCE(left_at, @leftAt) ELSE NULL END,
        updated_at = @now
        WHERE id = @id AND name IS @beforeName AND email IS @beforeEmail AND branch_id IS @beforeBranchId
          AND position IS @beforePosition AND hired_at IS @beforeHiredAt AND status = @beforeStatus`),
      closeHistory: db.prepare('UPDATE user_branch_history SET to_at = ? WHERE user_id = ? AND to_at IS NULL'),
      openHistory: db.prepare('INSERT INTO user_branch_history (user_id, branch_id, from_at) VALUES (?, ?, ?)'),
    };
  }

  /** Creates, renames and moves branches in the given (parents-first) order, in one transaction. */
  applyBranchOps(ops: readonly BranchOp[], context: ApplyContext): void {
    const { db, audit } = this.deps;
    const now = this.deps.now().toISOString();
    const run = db.transaction(() => {
      for (const op of ops) {
        if (op.op === 'create') this.createBranch(op, context.actorId, now);
        else this.updateBranch(op, context.actorId, now);
      }
      audit.appendInTransaction({ actorId: context.actorId, action: 'roster.import', subject: context.subject, details: context.summary });
    });
    runGuarded(() => run.immediate());
  }

  /** Applies staged employee changes in one transaction; `skip` holds employee numbers not to import. */
  applyEmployeeOps(ops: Iterable<EmployeeOp>, skip: ReadonlySet<string>, context: ApplyContext): void {
    const { db, audit } = this.deps;
    const now = this.deps.now().toISOString();
    const run = db.transaction(() => {
      for (const op of ops) {
        if (skip.has(op.employeeNo)) continue;
        if (op.op === 'create') this.createEmployee(op, context, now);
        else this.changeEmployee(op, context, now);
      }
      audit.appendInTransaction({ actorId: context.actorId, action: 'roster.import', subject: context.subject, details: context.summary });
    });
    runGuarded(() => run.immediate());
  }

  private createBranch(op: Extract<BranchOp, { op: 'create' }>, actorId: number | null, now: string): void {
    const parent = op.parentCode === null ? null : this.branchByCode(op.parentCode);
    const info = this.stmts.insertBranch.run({ code: op.code, name: op.name, parentId: parent?.id ?? null, tempPath: `/new-${op.code}/`, depth: parent ? parent.depth + 1 : 0, now });
    const id = Number(info.lastInsertRowid);
    this.stmts.setBranchPath.run(`${parent ? parent.path : '/'}${id}/`, id);
    this.deps.audit.appendInTransaction({ actorId, action: 'branch.create', subject: `branch:${id}`, details: { code: op.code, name: op.name, parentCode: op.parentCode, source: 'roster' } });
  }

  private updateBranch(op: Extract<BranchOp, { op: 'update' }>, actorId: number | null, now: string): void {
    const current = this.stmts.branchById.get(op.id) as BranchRow | undefined;
    if (!current || current.name !== op.before.name || current.parent_id !== op.before.parentId) throw new ConflictError(CHANGED_MEANWHILE);
    const parent = op.after.parentCode === null ? null : this.branchByCode(op.after.parentCode);
    if (parent && parent.path.startsWith(current.path)) throw new ConflictError(CHANGED_MEANWHILE);
    const parentId = parent?.id ?? null;
    this.stmts.updateBranch.run({ id: op.id, name: op.after.name, parentId, now });
    if (parentId !== current.parent_id) {
      this.stmts.moveSubtree.run({
        newPrefix: `${parent ? parent.path : '/'}${op.id}/`, oldPrefix: current.path,
        depthDelta: (parent ? parent.depth + 1 : 0) - current.depth, ...subtreeRange(current.path),
      });
    }
    this.deps.audit.appendInTransaction({
      actorId, action: 'branch.update', subject: `branch:${op.id}`,
      details: { code: op.code, before: { name: op.before.name, parentCode: op.before.parentCode }, after: op.after, source: 'roster' },
    });
  }

  private branchByCode(code: string): BranchRow {
    const branch = this.stmts.branchByCode.get(code) as BranchRow | undefined;
    if (!branch) throw new ConflictError(CHANGED_MEANWHILE);
    return branch;
  }

  private createEmployee(op: Extract<EmployeeOp, { op: 'create' }>, context: ApplyContext, now: string): void {
    const { state } = op;
    const info = this.stmts.insertUser.run({ employeeNo: op.employeeNo, ...state, leftAt: state.status === 'left' ? context.effectiveDate : null, now });
    const id = Number(info.lastInsertRowid);
    this.stmts.grantEmployee.run(id, now);
    this.stmts.openHistory.run(id, state.branchId, state.hiredAt ?? context.effectiveDate);
    this.deps.audit.appendInTransaction({
      actorId: context.actorId, action: 'user.create', subject: `user:${id}`,
      details: { employeeNo: op.employeeNo, name: state.name, email: state.email, branchCode: op.branchCode, position: state.position, hiredAt: state.hiredAt, status: state.status, source: 'roster' },
    });
  }

  private changeEmployee(op: Extract<EmployeeOp, { op: 'change' }>, context: ApplyContext, now: string): void {
    const { before, after, userId } = op;
    const info = this.stmts.updateUser.run({
      id: userId, ...after, leftAt: context.effectiveDate, now,
      beforeName: before.name, beforeEmail: before.email, beforeBranchId: before.branchId, beforePosition: before.position,
      beforeHiredAt: before.hiredAt, beforeStatus: before.status,
    });
    if (info.changes !== 1) throw new ConflictError(CHANGED_MEANWHILE);
    const { audit } = this.deps;
    const subject = `user:${userId}`;
    if (op.updated.length) {
      audit.appendInTransaction({ actorId: context.actorId, action: 'user.update', subject, details: { employeeNo: op.employeeNo, before: pick(before, op.updated), after: pick(after, op.updated), source: 'roster' } });
    }
    if (op.transfer) {
      this.stmts.closeHistory.run(context.effectiveDate, userId);
      this.stmts.openHistory.run(userId, after.branchId, context.effectiveDate);
      audit.appendInTransaction({ actorId: context.actorId, action: 'user.transfer', subject, details: { employeeNo: op.employeeNo, from: op.transfer.fromCode, to: op.transfer.toCode, effectiveDate: context.effectiveDate, source: 'roster' } });
    }
    if (op.isLeave) {
      audit.appendInTransaction({ actorId: context.actorId, action: 'user.leave', subject, details: { employeeNo: op.employeeNo, effectiveDate: context.effectiveDate, source: 'roster' } });
    }
  }
}

function pick(state: EmployeeState, fields: ReadonlyArray<keyof EmployeeState>): Partial<EmployeeState> {
  return Object.fromEntries(fields.map((field) => [field, state[field]]));
}

/** A UNIQUE clash means another request created the same code or username meanwhile. */
function runGuarded(run: () => void): void {
  try {
    run();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new ConflictError(CHANGED_MEANWHILE);
    throw error;
  }
}
