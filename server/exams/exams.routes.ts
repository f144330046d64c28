import express, { Router, type RequestHandler } from 'express';
import { requireRole, requireSignIn } from '../auth/guards.js';
import { examsHandlers } from './exams.handlers.js';

/**
 * Learners take exams (session with CSRF, or their API token on /api/); trainers set them up and
 * read papers and item analysis. Another learner's attempt is a 404 (the service checks the owner).
 */
export function examsRoutes(deps: Parameters<typeof examsHandlers>[0]): Router {
  const h = examsHandlers(deps);
  const trainer = requireRole('trainer');
  const router = Router();
  router.post('/api/courses/:code/exam/attempts', requireSignIn, h.startApi);
  router.get('/api/exam-attempts/:attemptId', requireSignIn, h.getAttemptApi);
  router.put('/api/exam-attempts/:attemptId/answers/:questionId', requireSignIn, h.answerApi);
  router.post('/api/exam-attempts/:attemptId/submit', requireSignIn, h.submitApi);
  router.get('/learn/:code/exam', requireSignIn, h.examPage);
  router.post('/learn/:code/exam/start', requireSignIn, h.startPage);
  router.post('/learn/:code/exam/attempts/:attemptId/submit', requireSignIn, h.submitPage);
  router.get('/learn/:code/exam/attempts/:attemptId', requireSignIn, h.resultPage);
  router.get('/trainer/courses/:code/exam', trainer, h.settingsPage);
  router.post('/trainer/courses/:code/exam', trainer, h.saveSettingsPage);
  router.get('/trainer/courses/:code/exam/analysis', trainer, h.analysisPage);
  router.get('/trainer/courses/:code/exam/papers', trainer, h.papersPage);
  router.get('/api/courses/:code/exam', trainer, h.settingsApi);
  router.put('/api/courses/:code/exam', trainer, h.saveSettingsApi);
  router.get('/api/courses/:code/exam/analysis', trainer, h.analysisApi);
  router.get('/api/courses/:code/exam/papers', trainer, h.papersApi);
  return router;
}

/**
 * The calls every learner makes during an exam (start, answers, submit), signed in straight from the
 * session cookie with the CSRF header checked, as SCORM commits are: mounted before the session
 * middleware. Anything not plainly valid (no cookie, an API token, a wrong header) falls through
 * to the full chain and the routes above, which answer it as before.
 */
export function examsFastLane(deps: Parameters<typeof examsHandlers>[0], fastSignIn: RequestHandler): Router {
  const h = examsHandlers(deps);
  const body = express.json({ limit: '16kb' });
  const router = Router();
  router.post('/api/courses/:code/exam/attempts', body, fastSignIn, h.startApi);
  router.put('/api/exam-attempts/:attemptId/answers/:questionId', body, fastSignIn, h.answerApi);
  router.post('/api/exam-attempts/:attemptId/submit', body, fastSignIn, h.submitApi);
  return router;
}
