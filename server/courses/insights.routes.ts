import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { insightsHandlers } from './insights.handlers.js';

/** The trainer's course page: learners, statuses, attempts, scores, questions; retakes. Trainers and admin only. */
export function insightsRoutes(deps: Parameters<typeof insightsHandlers>[0]): Router {
  const h = insightsHandlers(deps);
  const trainer = requireRole('trainer');
  const router = Router();
  router.get('/trainer/courses/:code/learners', trainer, h.page);
  router.post('/trainer/courses/:code/enrollments/:enrollmentId/retake', trainer, h.grantRetake);
  return router;
}
