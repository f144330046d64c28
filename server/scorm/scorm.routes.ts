import express, { Router, type RequestHandler } from 'express';
import { requireRole, requireSignIn } from '../auth/guards.js';
import { scormHandlers, type ScormHandlerDeps } from './scorm.handlers.js';

/** Commits: JSON, or text/plain from sendBeacon; large enough for 64,000 Chinese characters of suspend data. */
const commitBodies = [express.json({ limit: '2mb' }), express.text({ type: 'text/plain', limit: '2mb' })];

/**
 * @param fastSignIn signs a commit in from its session cookie, or passes it on with next('route');
 *   `commitFastLane` goes before the session middleware, `commit` after it.
 * @param csrfProtect the app's CSRF check. Real commits carry a launch token instead (sendBeacon
 *   sends no header); preview commits have none, so they carry the CSRF token in their URL.
 */
export function scormRoutes(deps: ScormHandlerDeps, fastSignIn: RequestHandler, csrfProtect: RequestHandler): { commitFastLane: Router; commit: Router; pages: Router } {
  const h = scormHandlers(deps);
  const commitFastLane = Router();
  commitFastLane.post('/scorm/commit/:token', commitBodies, fastSignIn, h.commit);
  const commit = Router();
  commit.post('/scorm/commit/:token', commitBodies, requireSignIn, h.commit);
  commit.post('/scorm/commit/:token/heartbeat', requireSignIn, h.heartbeat);
  commit.post('/scorm/commit/:token/sequencing', commitBodies, requireSignIn, h.saveSequencing);
  commit.post('/scorm/preview-commit/:versionId', commitBodies, requireSignIn, csrfProtect, h.previewCommit);
  const pages = Router();
  pages.get('/learn/:code', requireSignIn, h.learn);
  pages.get('/preview/:versionId', requireRole('trainer'), h.preview);
  pages.get('/api/courses/:code/attempts', requireRole('trainer', 'hr'), h.attemptsApi);
  pages.get('/trainer/courses/:code/attempts', requireRole('trainer', 'hr'), h.attemptsPage);
  pages.get('/api/courses/:code/attempts/:attemptId', requireRole('trainer', 'hr'), h.attemptApi);
  pages.get('/trainer/courses/:code/attempts/:attemptId', requireRole('trainer', 'hr'), h.attemptPage);
  return { commitFastLane, commit, pages };
}
