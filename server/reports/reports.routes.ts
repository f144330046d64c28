import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { reportsHandlers, type ReportsHandlerDeps } from './reports.handlers.js';

/**
 * Exports (hr within their scope, admin everywhere; Bearer tokens work on /api/) and the hr
 * dashboard. `home` is the /hr landing page, wired through the home routes.
 */
export function reportsRoutes(deps: ReportsHandlerDeps) {
  const h = reportsHandlers(deps);
  const router = Router();
  router.get('/api/reports/certifications', requireRole('hr'), h.exportCertifications);
  router.get('/api/reports/branches', requireRole('hr'), h.exportBranches);
  router.get('/hr/branches/:code', requireRole('hr'), h.branchPage);
  router.get('/hr/branches/:code/children', requireRole('hr'), h.branchChildren);
  router.get('/hr/employees/:employeeNo', requireRole('hr'), h.employeePage);
  return { router, home: h.home };
}
