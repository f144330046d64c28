/**
 * Branch rows → creates, renames and moves, in an order that puts every parent before its
 * children. A branch file is small (a bank has ~15,000 branches), so its rows are kept until the
 * end: a parent may be defined later in the file, and cycles only show in the whole picture.
 * Pure: no database, no Express.
 */
import type { RosterHeader } from './roster-columns.js';
import { rowError, type RowError } from './roster-errors.js';
import type { ChangeAction, FieldChange, ReportBuilder, RowChange } from './roster-report.js';
import { isInScope, type BranchSnapshot, type SnapshotBranch } from './roster-snapshot.js';
import { readBranchRow, type BranchValues } from './roster-values.js';

export type BranchOp =
  | { op: 'create'; row: number; code: string; name: string; parentCode: string | null }
  | {
    op: 'update'; row: number; id: number; code: string;
    before: { name: string; parentId: number | null; parentCode: string | null };
    after: { name: string; parentCode: string | null };
  };

interface BranchRow { row: number; values: BranchValues; errors: RowError[] }

export class BranchPlanner {
  private readonly rows: BranchRow[] = [];
  /** First row of each code. */
  private readonly byCode = new Map<string, BranchRow>();

  constructor(private readonly deps: { header: RosterHeader; snapshot: BranchSnapshot; scopes: string[] | null; report: ReportBuilder }) {}

  accept(row: number, cells: readonly string[]): void {
    this.deps.report.rowCount += 1;
    const { values, errors } = readBranchRow(cells, this.deps.header, row);
    const entry = { row, values, errors };
    this.rows.push(entry);
    if (values.code === '' || errors.some((e) => e.column === 'branch_code')) return;
    const first = this.byCode.get(values.code);
    if (!first) {
      this.byCode.set(values.code, entry);
      return;
    }
    errors.push(rowError(row, 'branch_code', 'DUPLICATE_KEY', { value: values.code, otherRow: first.row }));
    if (!first.errors.some((e) => e.code === 'DUPLICATE_KEY')) first.errors.push(rowError(first.row, 'branch_code', 'DUPLICATE_KEY', { value: values.code, otherRow: row }));
  }

  /** Checks what needs the whole file, fills the report, and returns the writes parents-first. */
  finish(): BranchOp[] {
    this.checkParents();
    this.checkCycles();
    this.checkScope();
    const ordered = this.rows.map((entry) => ({ entry, depth: this.finalDepth(entry.values.code, new Set()) }))
      .sort((a, b) => a.depth - b.depth || a.entry.row - b.entry.row);
    // Parents first, so a child learns its new parent's fate before its own is decided.
    for (const { entry } of ordered) this.checkParentImported(entry);
    const opByRow = new Map<number, BranchOp>();
    for (const entry of this.rows) {
      if (entry.errors.length) {
        this.deps.report.addErrors(entry.errors);
        this.deps.report.invalidRowCount += 1;
        continue;
      }
      const { change, op } = this.plan(entry);
      this.deps.report.countValid(change);
      if (op) opByRow.set(entry.row, op);
    }
    return ordered.flatMap(({ entry }) => opByRow.get(entry.row) ?? []);
  }

  private existing(code: string | null): SnapshotBranch | undefined {
    return code === null ? undefined : this.deps.snapshot.byCode.get(code);
  }

  /** The parent a code ends up with: the file's word for codes in it, the database's otherwise. */
  private finalParent(code: string): string | null {
    const row = this.byCode.get(code);
    if (row) return row.values.parentCode;
    const branch = this.existing(code);
    return branch?.parentId == null ? null : this.deps.snapshot.byId.get(branch.parentId)?.code ?? null;
  }

  private checkParents(): void {
    for (const entry of this.rows) {
      const { parentCode } = entry.values;
      if (parentCode === null || entry.errors.some((e) => e.column === 'parent_code')) continue;
      if (!this.byCode.has(parentCode) && !this.existing(parentCode)) {
        entry.errors.push(rowError(entry.row, 'parent_code', 'UNKNOWN_PARENT', { code: parentCode }));
      }
    }
  }

  /** Walks up from each code; coming back to a code on the same walk is a cycle. */
  private checkCycles(): void {
    const done = new Set<string>();
    for (const start of this.byCode.keys()) {
      const walk: string[] = [];
      const onWalk = new Map<string, number>();
      let code: string | null = start;
      while (code !== null && !done.has(code) && !onWalk.has(code)) {
        onWalk.set(code, walk.length);
        walk.push(code);
        code = this.finalParent(code);
      }
      if (code !== null && onWalk.has(code)) {
        const cycle = walk.slice(onWalk.get(code));
        const text = [...cycle, code].join(' → ');
        for (const member of cycle) {
          const row = this.byCode.get(member);
          if (row) row.errors.push(rowError(row.row, 'parent_code', 'BRANCH_CYCLE', { cycle: text }));
        }
      }
      for (const visited of walk) done.add(visited);
    }
  }

  private checkScope(): void {
    const { scopes } = this.deps;
    if (scopes === null) return;
    for (const entry of this.rows) {
      const current = this.existing(entry.values.code);
      if (!entry.errors.length && current && !isInScope(scopes, current.path)) {
        entry.errors.push(rowError(entry.row, 'branch_code', 'OUT_OF_SCOPE', { code: entry.values.code }));
      }
    }
    // A refused row stays where it is, which may take another row's new parent out of scope: repeat until settled.
    for (let isSettled = false; !isSettled;) {
      isSettled = true;
      for (const entry of this.rows) {
        const { parentCode } = entry.values;
        if (entry.errors.length || !this.isPlaced(entry) || this.endsInScope(parentCode, new Set())) continue;
        entry.errors.push(parentCode === null ? rowError(entry.row, 'parent_code', 'OUT_OF_SCOPE_TOP') : rowError(entry.row, 'parent_code', 'OUT_OF_SCOPE', { code: parentCode }));
        isSettled = false;
      }
    }
  }

  /** Whether the row creates its branch or gives it another parent. */
  private isPlaced(entry: BranchRow): boolean {
    const current = this.existing(entry.values.code);
    return !current || this.currentParentCode(current) !== entry.values.parentCode;
  }

  /** Whether a branch sits inside the actor's scope once the rows still valid are applied. */
  private endsInScope(code: string | null, seen: Set<string>): boolean {
    if (code === null || seen.has(code)) return false;
    seen.add(code);
    const row = this.byCode.get(code);
    const isApplied = row !== undefined && row.errors.length === 0;
    const current = this.existing(code);
    if (current && !(isApplied && this.isPlaced(row))) return isInScope(this.deps.scopes, current.path);
    return isApplied && this.endsInScope(row.values.parentCode, seen);
  }

  private finalDepth(code: string, seen: Set<string>): number {
    if (seen.has(code)) return 0;
    seen.add(code);
    const parent = this.finalParent(code);
    return parent === null ? 0 : 1 + this.finalDepth(parent, seen);
  }

  /** A new parent whose own row is not imported takes its children down with it. */
  private checkParentImported(entry: BranchRow): void {
    const { parentCode } = entry.values;
    if (entry.errors.length || parentCode === null || this.existing(parentCode)) return;
    const parentRow = this.byCode.get(parentCode);
    if (parentRow && parentRow.errors.length) {
      entry.errors.push(rowError(entry.row, 'parent_code', 'PARENT_INVALID', { code: parentCode, otherRow: parentRow.row }));
    }
  }

  private currentParentCode(branch: SnapshotBranch): string | null {
    return branch.parentId === null ? null : this.deps.snapshot.byId.get(branch.parentId)?.code ?? null;
  }

  private plan(entry: BranchRow): { change: RowChange; op: BranchOp | null } {
    const { code, name, parentCode } = entry.values;
    const current = this.existing(code);
    if (!current) {
      return {
        change: { row: entry.row, key: code, name, actions: ['create'], fields: parentCode === null ? [] : [{ field: 'parent_code', from: null, to: parentCode }] },
        op: { op: 'create', row: entry.row, code, name, parentCode },
      };
    }
    const actions: ChangeAction[] = [];
    const fields: FieldChange[] = [];
    if (current.name !== name) {
      actions.push('update');
      fields.push({ field: 'branch_name', from: current.name, to: name });
    }
    const currentParent = this.currentParentCode(current);
    if (currentParent !== parentCode) {
      actions.push('move');
      fields.push({ field: 'parent_code', from: currentParent, to: parentCode });
    }
    const change: RowChange = { row: entry.row, key: code, name, actions, fields };
    if (!actions.length) return { change, op: null };
    return {
      change,
      op: { op: 'update', row: entry.row, id: current.id, code, before: { name: current.name, parentId: current.parentId, parentCode: currentParent }, after: { name, parentCode } },
    };
  }
}
