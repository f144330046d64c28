import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { auditHandlers } from './audit.handlers.js';

/** The readable audit log, for administrators. */
export function auditRoutes(deps: Parameters<typeof auditHandlers>[0]): Router {
  const h = auditHandlers(deps);
  const router = Router();
  router.get('/admin/audit', requireRole('admin'), h.page);
  return router;
}
