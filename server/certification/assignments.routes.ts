import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { assignmentsHandlers, type AssignmentsDeps } from './assignments.handlers.js';

/** Trainers and hr assign published courses to branch subtrees and/or positions, and edit or remove them (API and pages). */
export function assignmentsRoutes(deps: AssignmentsDeps): Router {
  const h = assignmentsHandlers(deps);
  const assigners = requireRole('trainer', 'hr');
  const router = Router();
  router.post('/api/assignments', assigners, h.createApi);
  router.get('/api/assignments', assigners, h.listApi);
  router.get('/assignments', assigners, h.page);
  router.post('/assignments', assigners, h.create);
  router.get('/assignments/:id/edit', assigners, h.edit);
  router.post('/assignments/:id', assigners, h.update);
  router.get('/assignments/:id/remove', assigners, h.removePreview);
  router.post('/assignments/:id/remove', assigners, h.remove);
  return router;
}
