import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { adminHandlers } from './admin.handlers.js';

export function adminRoutes(deps: Parameters<typeof adminHandlers>[0]): Router {
  const h = adminHandlers(deps);
  const admin = requireRole('admin');
  const router = Router();
  router.get('/admin', admin, h.dashboard);
  router.get('/admin/users', admin, h.listUsers);
  router.get('/admin/users/new', admin, h.newUser);
  router.post('/admin/users', admin, h.createUser);
  router.get('/admin/users/:id', admin, h.editUser);
  router.post('/admin/users/:id', admin, h.updateUser);
  router.post('/admin/users/:id/roles', admin, h.grantRole);
  router.post('/admin/users/:id/roles/:grantId/delete', admin, h.revokeRole);
  router.get('/admin/branches', admin, h.listBranches);
  router.get('/admin/branches/new', admin, h.newBranch);
  router.post('/admin/branches', admin, h.createBranch);
  router.get('/admin/branches/:id', admin, h.editBranch);
  router.post('/admin/branches/:id', admin, h.updateBranch);
  return router;
}
