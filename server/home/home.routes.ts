import { Router, type RequestHandler } from 'express';
import { requireRole, requireSignIn } from '../auth/guards.js';
import { homeHandlers, type HomeHandlerDeps } from './home.handlers.js';

/** The employee's and hr's landing pages (the trainer's is the course list in courses/), and the learner's own pages. */
export function homeRoutes(deps: HomeHandlerDeps & { hrHome: RequestHandler }): Router {
  const h = homeHandlers(deps);
  const router = Router();
  router.get('/me', requireSignIn, h.employeeHomePage);
  router.get('/me/certificates', requireSignIn, h.certificatesPage);
  router.get('/learn/:code/result', requireSignIn, h.resultPage);
  router.get('/hr', requireRole('hr'), deps.hrHome);
  return router;
}
