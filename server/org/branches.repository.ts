import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { translateSqliteError } from '../db/sqlite-errors.js';
import { subtreeRange } from '../shared/branch-path.js';
import { ValidationError } from '../errors.js';

export interface Branch {
  id: number; code: string; name: string; parentId: number | null; parentCode: string | null;
  path: string; depth: number; childCount?: number;
}

interface BranchRow {
  id: number; code: string; name: string; parent_id: number | null; parent_code: string | null;
  path: string; depth: number; child_count?: number;
}

export interface BranchInput { code: string; name: string; parentId: number | null }
export interface Actor { actorId: number | null }

const SELECT = `SELECT b.id, b.code, b.name, b.parent_id, p.code AS parent_code, b.path, b.depth,
  (SELECT COUNT(*) FROM branches c WHERE c.parent_id = b.id) AS child_count
  FROM branches b LEFT JOIN branches p ON p.id = b.parent_id`;

export class BranchesRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date }) {
    const { db } = deps;
    this.stmts = {
      byId: db.prepare(`${SELECT} WHERE b.id = ?`),
      byCode: db.prepare(`${SELECT} WHERE b.code = ?`),
      insert: db.prepare(`INSERT INTO branches (code, name, parent_id, path, depth, created_at, updated_at)
        VALUES (@code, @name, @parentId, @tempPath, @depth, @now, @now)`),
      setPath: db.prepare('UPDATE branches SET path = ? WHERE id = ?'),
      update: db.prepare('UPDATE branches SET code = @code, name = @name, parent_id = @parentId, updated_at = @now WHERE id = @id'),
      movePaths: db.prepare(`UPDATE branches SET path = @newPrefix || substr(path, length(@oldPrefix) + 1),
        depth = depth + @depthDelta WHERE path >= @from AND path < @to`),
      children: db.prepare(`${SELECT} WHERE b.parent_id IS ? ORDER BY b.code`),
      subtree: db.prepare(`${SELECT} WHERE b.path >= @from AND b.path < @to ORDER BY b.path`),
      search: db.prepare(`${SELECT} WHERE (@q IS NULL OR b.code LIKE @q || '%' OR b.name LIKE '%' || @q || '%')
        AND (@from IS NULL OR (b.path >= @from AND b.path < @to)) AND b.code > @after ORDER BY b.code LIMIT @limit`),
      count: db.prepare('SELECT COUNT(*) AS n FROM branches'),
      byPath: db.prepare(`${SELECT} WHERE b.path = ?`),
      namesOf: db.prepare('SELECT id, code, name FROM branches WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  async findById(id: number): Promise<Branch | null> { return toBranch(this.stmts.byId.get(id) as BranchRow | undefined); }
  async findByCode(code: string): Promise<Branch | null> { return toBranch(this.stmts.byCode.get(code) as BranchRow | undefined); }
  async count(): Promise<number> { return (this.stmts.count.get() as { n: number }).n; }

  async findByPath(path: string): Promise<Branch | null> { return toBranch(this.stmts.byPath.get(path) as BranchRow | undefined); }

  /** Codes and names of a few branches by id (the ancestors on a path), in no particular order. */
  async namesOf(ids: readonly number[]): Promise<Array<{ id: number; code: string; name: string }>> {
    if (ids.length === 0) return [];
    return this.stmts.namesOf.all(JSON.stringify(ids)) as Array<{ id: number; code: string; name: string }>;
  }

  async listChildren(parentId: number | null): Promise<Branch[]> {
    return (this.stmts.children.all(parentId) as BranchRow[]).map((r) => toBranch(r)!);
  }

  async listSubtree(path: string): Promise<Branch[]> {
    return (this.stmts.subtree.all(subtreeRange(path)) as BranchRow[]).map((r) => toBranch(r)!);
  }

  /** Keyset paging by code, optionally limited to a subtree (an hr scope). */
  async search(query: { q?: string; scopePath?: string; after?: string; limit: number }): Promise<Branch[]> {
    const range = query.scopePath ? subtreeRange(query.scopePath) : { from: null, to: null };
    return (this.stmts.search.all({ q: query.q || null, ...range, after: query.after ?? '', limit: query.limit }) as BranchRow[])
      .map((r) => toBranch(r)!);
  }

  async create(input: BranchInput, actor: Actor): Promise<Branch> {
    const { db, audit, now } = this.deps;
    const insertBranch = db.transaction(() => {
      const parent = input.parentId === null ? null : (this.stmts.byId.get(input.parentId) as BranchRow | undefined);
      if (input.parentId !== null && !parent) throw new ValidationError('Parent branch not found', [{ code: 'UNKNOWN_PARENT', message: 'Parent branch not found', path: 'parentId' }]);
      const info = this.stmts.insert.run({
        code: input.code, name: input.name, parentId: input.parentId,
        tempPath: `/new-${input.code}/`, depth: parent ? parent.depth + 1 : 0, now: now().toISOString(),
      });
      const newId = Number(info.lastInsertRowid);
      this.stmts.setPath.run(`${parent ? parent.path : '/'}${newId}/`, newId);
      audit.appendInTransaction({ actorId: actor.actorId, action: 'branch.create', subject: `branch:${newId}`, details: { ...input } });
      return newId;
    });
    try {
      return (await this.findById(insertBranch()))!;
    } catch (error) {
      throw translateSqliteError(error, { code: 'code' });
    }
  }

  async update(id: number, input: BranchInput, actor: Actor): Promise<Branch> {
    const { db, audit, now } = this.deps;
    const run = db.transaction(() => {
      const current = this.stmts.byId.get(id) as BranchRow | undefined;
      if (!current) throw new ValidationError('Branch not found');
      const parent = input.parentId === null ? null : (this.stmts.byId.get(input.parentId) as BranchRow | undefined);
      if (input.parentId !== null && !parent) throw new ValidationError('Parent branch not found', [{ code: 'UNKNOWN_PARENT', message: 'Parent branch not found', path: 'parentId' }]);
      if (parent && parent.path.startsWith(current.path)) {
        throw new ValidationError('A branch cannot move under itself', [{ code: 'CYCLE', message: 'A branch cannot move under itself or its sub-branches', path: 'parentId' }]);
      }
      this.stmts.update.run({ id, code: input.code, name: input.name, parentId: input.parentId, now: now().toISOString() });
      if (current.parent_id !== input.parentId) {
        const newPath = `${parent ? parent.path : '/'}${id}/`;
        this.stmts.movePaths.run({ newPrefix: newPath, oldPrefix: current.path, depthDelta: (parent ? parent.depth + 1 : 0) - current.depth, ...subtreeRange(current.path) });
      }
      audit.appendInTransaction({ actorId: actor.actorId, action: 'branch.update', subject: `branch:${id}`,
        details: { before: { code: current.code, name: current.name, parentId: current.parent_id }, after: input } });
    });
    try {
      run();
    } catch (error) {
      throw translateSqliteError(error, { code: 'code' });
    }
    return (await this.findById(id))!;
  }
}

function toBranch(row: BranchRow | undefined): Branch | null {
  if (!row) return null;
  return { id: row.id, code: row.code, name: row.name, parentId: row.parent_id, parentCode: row.parent_code, path: row.path, depth: row.depth, childCount: row.child_count };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type BranchesStore = PublicOf<BranchesRepository>;
