import { Router, type RequestHandler } from 'express';
import type { BranchesStore } from './branches.repository.js';
import { requireRole } from '../auth/guards.js';
import { canSeeBranch } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';

/** Branch look-up for integrations and the dashboard; outside the caller's scope it does not exist (404). */
export function orgApiRoutes(deps: { branches: BranchesStore }): Router {
  const getBranch: RequestHandler = async (req, res) => {
    const branch = await deps.branches.findByCode(String(req.params.code));
    if (!branch || !canSeeBranch(req.user!, branch.path)) throw new NotFoundError('Branch not found');
    const children = await deps.branches.listChildren(branch.id);
    res.json({ branch: { code: branch.code, name: branch.name, parentCode: branch.parentCode }, children: children.map((c) => ({ code: c.code, name: c.name })) });
  };
  const router = Router();
  router.get('/api/branches/:code', requireRole('hr'), getBranch);
  return router;
}
