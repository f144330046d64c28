import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { insightsHandlers } from './insights.handlers.js';
import { learnerListHandlers } from './learner-list.handlers.js';

/** The trainer's course page: learners (search, filters, export, bulk actions), statuses, attempts, scores, questions; retakes. Trainers and admin only. */
export function insightsRoutes(deps: Parameters<typeof learnerListHandlers>[0]): Router {
  const list = learnerListHandlers(deps);
  const h = insightsHandlers({ insights: deps.insights, renderPage: list.renderPage });
  const trainer = requireRole('trainer');
  const router = Router();
  router.get('/trainer/courses/:code/learners', trainer, list.page);
  router.get('/trainer/courses/:code/learners/export', trainer, list.exportFile);
  router.post('/trainer/courses/:code/learners/bulk', trainer, list.bulk);
  router.post('/trainer/courses/:code/enrollments/:enrollmentId/retake', trainer, h.grantRetake);
  return router;
}
