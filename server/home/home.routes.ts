import { Router, type RequestHandler } from 'express';
import { requireRole, requireSignIn } from '../auth/guards.js';

/** The employee's and hr's landing pages (the trainer's is the course list in courses/). */
export function homeRoutes(deps: { employeeHome: RequestHandler; hrHome: RequestHandler }): Router {
  const router = Router();
  router.get('/me', requireSignIn, deps.employeeHome);
  router.get('/hr', requireRole('hr'), deps.hrHome);
  return router;
}
