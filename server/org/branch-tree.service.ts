/**
 * What the branch picker shows (issue 17): one level of the tree at a time, or search hits with
 * the way down to them, limited to the branches the user may see. A trainer or admin sees the
 * whole bank; an hr user sees their subtrees, whose tops are the picker's roots.
 */
import type { Principal } from '../auth/principal.js';
import { hasRole, reportingScopes } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';
import { isWithin } from '../shared/branch-path.js';
import type { Branch, BranchesStore } from './branches.repository.js';

export const SEARCH_HITS = 20;

export interface TreeNode {
  id: number; code: string; name: string; hasChildren: boolean;
  /** Names from the top of what the user sees down to the parent (search hits only). */
  trail?: string[];
}

/** The subtrees a user may pick from: null for the whole bank. */
export function pickerScopes(user: Principal): string[] | null {
  if (hasRole(user, 'admin', 'trainer')) return null;
  return reportingScopes(user);
}

export class BranchTreeService {
  constructor(private readonly deps: { branches: BranchesStore }) {}

  /** The top level the user sees: the bank's roots, or the tops of their hr scopes. */
  async roots(user: Principal): Promise<TreeNode[]> {
    const scopes = pickerScopes(user);
    if (scopes === null) return (await this.deps.branches.listChildren(null)).map(node);
    const tops = [];
    for (const path of topmost(scopes)) {
      const branch = await this.deps.branches.findByPath(path);
      if (branch) tops.push(branch);
    }
    return tops.sort((a, b) => a.code.localeCompare(b.code)).map(node);
  }

  /** The children of a branch the user may see; 404 for any other (it does not exist for them). */
  async children(user: Principal, parentId: number): Promise<TreeNode[]> {
    const parent = await this.deps.branches.findById(parentId);
    if (!parent || !visible(user, parent.path)) throw new NotFoundError('Branch not found');
    return (await this.deps.branches.listChildren(parent.id)).map(node);
  }

  /** Branches whose code starts with, or whose name contains, the text, within the user's scope. */
  async search(user: Principal, q: string): Promise<TreeNode[]> {
    const scopes = pickerScopes(user);
    const found: Branch[] = [];
    for (const scopePath of scopes === null ? [undefined] : topmost(scopes)) {
      found.push(...await this.deps.branches.search({ q, scopePath, limit: SEARCH_HITS }));
    }
    const hits = found.sort((a, b) => a.code.localeCompare(b.code)).slice(0, SEARCH_HITS);
    const ancestorIds = [...new Set(hits.flatMap((b) => idsOnPath(b.path).slice(0, -1)))];
    const names = new Map((await this.deps.branches.namesOf(ancestorIds)).map((a) => [a.id, a.name]));
    const topDepth = (b: Branch) => (scopes === null ? 0 : Math.max(...scopes.filter((s) => isWithin(b.path, s)).map((s) => idsOnPath(s).length - 1)));
    return hits.map((b) => ({ ...node(b), trail: idsOnPath(b.path).slice(topDepth(b), -1).map((id) => names.get(id) ?? '') }));
  }

  /** The branch with this code when the user may see it, else null. */
  async visibleByCode(user: Principal, code: string): Promise<Branch | null> {
    const branch = await this.deps.branches.findByCode(code);
    return branch && visible(user, branch.path) ? branch : null;
  }
}

function visible(user: Principal, path: string): boolean {
  const scopes = pickerScopes(user);
  return scopes === null || scopes.some((s) => isWithin(path, s));
}

/** Scopes not inside another scope of the same user. */
function topmost(scopes: string[]): string[] {
  return scopes.filter((s) => !scopes.some((other) => other !== s && isWithin(s, other)));
}

function idsOnPath(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

function node(b: Branch): TreeNode {
  return { id: b.id, code: b.code, name: b.name, hasChildren: (b.childCount ?? 0) > 0 };
}
