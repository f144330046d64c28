import { Router, type RequestHandler } from 'express';
import { requireRole, requireSignIn } from '../auth/guards.js';

/** Each role's landing page; the areas fill them in (courses, certification, reports). */
export function homeRoutes(deps: { employeeHome: RequestHandler; trainerHome: RequestHandler; hrHome: RequestHandler }): Router {
  const router = Router();
  router.get('/me', requireSignIn, deps.employeeHome);
  router.get('/trainer', requireRole('trainer'), deps.trainerHome);
  router.get('/hr', requireRole('hr'), deps.hrHome);
  return router;
}
