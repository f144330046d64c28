import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { BranchesStore } from './branches.repository.js';
import type { BranchTreeService } from './branch-tree.service.js';
import { requireRole } from '../auth/guards.js';
import { canSeeBranch } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../http/validate.js';

/** ?parent=<id> for one level, ?q=<text> to search, neither for the top level. */
const treeQuery = z.object({
  parent: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(64).optional(),
});

/** Branch look-up for integrations, the dashboard and the branch picker; outside the caller's scope a branch does not exist (404). */
export function orgApiRoutes(deps: { branches: BranchesStore; branchTree: BranchTreeService }): Router {
  const getBranch: RequestHandler = async (req, res) => {
    const branch = await deps.branches.findByCode(String(req.params.code));
    if (!branch || !canSeeBranch(req.user!, branch.path)) throw new NotFoundError('Branch not found');
    const children = await deps.branches.listChildren(branch.id);
    res.json({ branch: { code: branch.code, name: branch.name, parentCode: branch.parentCode }, children: children.map((c) => ({ code: c.code, name: c.name })) });
  };
  const tree: RequestHandler = async (req, res) => {
    const q = parseInput(treeQuery, req.query);
    const { branchTree } = deps;
    const branches = q.q ? await branchTree.search(req.user!, q.q)
      : q.parent ? await branchTree.children(req.user!, q.parent) : await branchTree.roots(req.user!);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ branches });
  };
  const router = Router();
  // Before /api/branches/:code, which would take the name for a code.
  router.get('/api/branch-tree', requireRole('trainer', 'hr'), tree);
  router.get('/api/branches/:code', requireRole('hr'), getBranch);
  return router;
}
