import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { evidenceHandlers, type EvidenceHandlerDeps } from './evidence.handlers.js';

/**
 * Evidence files: hr within their branch subtree, admin everywhere; the JSON also under /api/ for
 * Bearer tokens. `close` stops the PDF worker thread.
 */
export function evidenceRoutes(deps: EvidenceHandlerDeps): { router: Router; close(): Promise<void> } {
  const h = evidenceHandlers(deps);
  const hr = requireRole('hr');
  const router = Router();
  router.get('/hr/evidence/branches/:code.zip', hr, h.branchZip);
  router.get('/hr/evidence/:employeeNo/:courseCode.pdf', hr, h.pdf);
  router.get('/hr/evidence/:employeeNo/:courseCode.json', hr, h.json);
  router.get('/api/evidence/:employeeNo/:courseCode.json', hr, h.json);
  return { router, close: h.close };
}
