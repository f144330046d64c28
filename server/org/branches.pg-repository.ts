import type { PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import { translatePgError } from '../db/postgres/pg-errors.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import { subtreeRange } from '../shared/branch-path.js';
import { ValidationError } from '../errors.js';
import type { Actor, Branch, BranchInput, BranchesStore } from './branches.repository.js';

interface BranchRow {
  id: number; code: string; name: string; parent_id: number | null; parent_code: string | null;
  path: string; depth: number; child_count?: number;
}

const SELECT = `SELECT b.id, b.code, b.name, b.parent_id, p.code AS parent_code, b.path, b.depth,
  (SELECT COUNT(*) FROM branches c WHERE c.parent_id = b.id) AS child_count
  FROM branches b LEFT JOIN branches p ON p.id = b.parent_id`;

/** The branch tree on PostgreSQL (see branches.repository.ts for the rules). */
export class PgBranchesRepository implements BranchesStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  private async one(where: string, params: unknown[]): Promise<Branch | null> {
    return toBranch((await this.deps.pool.query<BranchRow>(`${SELECT} WHERE ${where}`, params)).rows[0]);
  }

  async findById(id: number): Promise<Branch | null> { return this.one('b.id = $1', [id]); }
  async findByCode(code: string): Promise<Branch | null> { return this.one('b.code = $1', [code]); }
  async count(): Promise<number> { return (await this.deps.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM branches')).rows[0].n; }

  async findByPath(path: string): Promise<Branch | null> { return this.one('b.path = $1', [path]); }

  /** Codes and names of a few branches by id (the ancestors on a path), in no particular order. */
  async namesOf(ids: readonly number[]): Promise<Array<{ id: number; code: string; name: string }>> {
    if (ids.length === 0) return [];
    return (await this.deps.pool.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM branches WHERE id = ANY($1::int[])', [ids])).rows;
  }

  async listChildren(parentId: number | null): Promise<Branch[]> {
    const { rows } = parentId === null
      ? await this.deps.pool.query<BranchRow>(`${SELECT} WHERE b.parent_id IS NULL ORDER BY b.code`)
      : await this.deps.pool.query<BranchRow>(`${SELECT} WHERE b.parent_id = $1 ORDER BY b.code`, [parentId]);
    return rows.map((r) => toBranch(r)!);
  }

  async listSubtree(path: string): Promise<Branch[]> {
    const { from, to } = subtreeRange(path);
    return (await this.deps.pool.query<BranchRow>(`${SELECT} WHERE b.path >= $1 AND b.path < $2 ORDER BY b.path`, [from, to])).rows.map((r) => toBranch(r)!);
  }

  /** Keyset paging by code; matching as SQLite's LIKE (case-insensitive for ASCII). */
  async search(query: { q?: string; scopePath?: string; after?: string; limit: number }): Promise<Branch[]> {
    const range = query.scopePath ? subtreeRange(query.scopePath) : { from: null, to: null };
    const { rows } = await this.deps.pool.query<BranchRow>(`${SELECT} WHERE ($1::text IS NULL OR b.code ILIKE $1 || '%' OR b.name ILIKE '%' || $1 || '%')
      AND ($2::text IS NULL OR (b.path >= $2 AND b.path < $3::text)) AND b.code > $4 ORDER BY b.code LIMIT $5`,
    [query.q || null, range.from, range.to, query.after ?? '', query.limit]);
    return rows.map((r) => toBranch(r)!);
  }

  async create(input: BranchInput, actor: Actor): Promise<Branch> {
    const { pool, audit, now } = this.deps;
    let id: number;
    try {
      id = await transaction(pool, async (client) => {
        const parent = input.parentId === null ? null : (await client.query<BranchRow>('SELECT id, path, depth FROM branches WHERE id = $1', [input.parentId])).rows[0];
        if (input.parentId !== null && !parent) throw new ValidationError('Parent branch not found', [{ code: 'UNKNOWN_PARENT', message: 'Parent branch not found', path: 'parentId' }]);
        const at = now().toISOString();
        const newId = (await client.query<{ id: number }>(`INSERT INTO branches (code, name, parent_id, path, depth, created_at, updated_at)
          VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, [input.code, input.name, input.parentId, `/new-${input.code}/`, parent ? parent.depth + 1 : 0, at])).rows[0].id;
        await client.query('UPDATE branches SET path = $1 WHERE id = $2', [`${parent ? parent.path : '/'}${newId}/`, newId]);
        await audit.appendWith(client, { actorId: actor.actorId, action: 'branch.create', subject: `branch:${newId}`, details: { ...input } });
        return newId;
      });
    } catch (error) {
      throw translatePgError(error, { code: 'code' });
    }
    return (await this.findById(id))!;
  }

  async update(id: number, input: BranchInput, actor: Actor): Promise<Branch> {
    const { pool, audit, now } = this.deps;
    try {
      await transaction(pool, async (client) => {
        // Locked: two moves of the same branch on two nodes run one after the other.
        const current = (await client.query<BranchRow>('SELECT id, code, name, parent_id, path, depth FROM branches WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!current) throw new ValidationError('Branch not found');
        const parent = input.parentId === null ? null : (await client.query<BranchRow>('SELECT id, path, depth FROM branches WHERE id = $1', [input.parentId])).rows[0];
        if (input.parentId !== null && !parent) throw new ValidationError('Parent branch not found', [{ code: 'UNKNOWN_PARENT', message: 'Parent branch not found', path: 'parentId' }]);
        if (parent && parent.path.startsWith(current.path)) {
          throw new ValidationError('A branch cannot move under itself', [{ code: 'CYCLE', message: 'A branch cannot move under itself or its sub-branches', path: 'parentId' }]);
        }
        await client.query('UPDATE branches SET code = $1, name = $2, parent_id = $3, updated_at = $4 WHERE id = $5', [input.code, input.name, input.parentId, now().toISOString(), id]);
        if (current.parent_id !== input.parentId) {
          const newPath = `${parent ? parent.path : '/'}${id}/`;
          const { from, to } = subtreeRange(current.path);
          await client.query(`UPDATE branches SET path = $1::text || substr(path, length($2::text) + 1), depth = depth + $3::int
            WHERE path >= $4 AND path < $5`, [newPath, current.path, (parent ? parent.depth + 1 : 0) - current.depth, from, to]);
        }
        await audit.appendWith(client, { actorId: actor.actorId, action: 'branch.update', subject: `branch:${id}`,
          details: { before: { code: current.code, name: current.name, parentId: current.parent_id }, after: input } });
      });
    } catch (error) {
      throw translatePgError(error, { code: 'code' });
    }
    return (await this.findById(id))!;
  }
}

function toBranch(row: BranchRow | undefined): Branch | null {
  if (!row) return null;
  return { id: row.id, code: row.code, name: row.name, parentId: row.parent_id, parentCode: row.parent_code, path: row.path, depth: row.depth, childCount: row.child_count };
}
