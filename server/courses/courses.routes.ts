import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { coursesHandlers } from './courses.handlers.js';
import { packageUpload } from './package-upload.js';

export function coursesRoutes(deps: Parameters<typeof coursesHandlers>[0] & { uploadTmpDir: string; maxUploadBytes: number }): Router {
  const h = coursesHandlers(deps);
  const upload = packageUpload(deps.uploadTmpDir, deps.maxUploadBytes);
  const trainer = requireRole('trainer');
  const readers = requireRole('trainer', 'hr');
  const router = Router();
  router.post('/api/courses', trainer, upload, h.uploadApi, h.uploadRefusedApi);
  router.get('/api/courses', readers, h.listApi);
  router.get('/api/courses/:code', readers, h.getApi);
  router.patch('/api/courses/:code', trainer, h.updateApi);
  router.put('/api/courses/:code/english', trainer, h.updateEnglishApi);
  router.post('/api/courses/:code/publish', trainer, h.publishApi);
  router.post('/api/courses/:code/retire', trainer, h.retireApi);
  router.get('/trainer', trainer, h.listPage);
  router.post('/trainer/courses', trainer, upload, h.uploadPage, h.uploadRefusedPage);
  router.get('/trainer/courses/:code', trainer, h.detailPage);
  router.post('/trainer/courses/:code', trainer, h.updatePage);
  router.post('/trainer/courses/:code/english', trainer, h.updateEnglishPage);
  router.post('/trainer/courses/:code/publish', trainer, h.publishPage);
  router.post('/trainer/courses/:code/retire', trainer, h.retirePage);
  return router;
}
