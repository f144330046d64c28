import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { PendingRosterUploads } from '../org/roster/pending-uploads.js';
import { rosterUpload } from '../org/roster/roster-upload.js';
import type { BankService } from './bank.service.js';
import { banksHandlers } from './banks.handlers.js';

/** Question banks: trainers and admin. Multipart forms carry CSRF in ?_csrf= (as the roster import). */
export function banksRoutes(deps: { banks: BankService; uploadDir: string; now: () => Date; maxUploadBytes?: number }): Router {
  const uploads = new PendingRosterUploads({ dir: deps.uploadDir, ttlMs: 3_600_000, now: deps.now });
  const h = banksHandlers({ banks: deps.banks, uploads });
  const upload = rosterUpload(uploads, deps.maxUploadBytes ?? 32 * 1024 * 1024);
  const trainer = requireRole('trainer');
  const router = Router();
  router.get('/trainer/question-banks', trainer, h.listPage);
  router.post('/trainer/question-banks', trainer, h.createPage);
  router.get('/trainer/question-banks/template.:format', trainer, h.template);
  router.get('/trainer/question-banks/:code', trainer, h.bankPage);
  router.get('/trainer/question-banks/:code/export.:format', trainer, h.exportAny);
  router.get('/trainer/question-banks/:code/questions/new', trainer, h.newQuestionPage);
  router.post('/trainer/question-banks/:code/questions', trainer, h.saveQuestionPage);
  router.get('/trainer/question-banks/:code/questions/:questionId', trainer, h.editQuestionPage);
  router.post('/trainer/question-banks/:code/questions/:questionId', trainer, h.saveQuestionPage);
  router.post('/trainer/question-banks/:code/questions/:questionId/retire', trainer, h.retirePage);
  router.get('/trainer/question-banks/:code/import', trainer, h.importPage);
  router.post('/trainer/question-banks/:code/import/preview', trainer, upload, h.importPreviewPage);
  router.post('/trainer/question-banks/:code/import/apply', trainer, h.importApplyPage);
  router.get('/api/question-banks', trainer, h.listApi);
  router.post('/api/question-banks', trainer, h.createApi);
  router.get('/api/question-banks/template.:format', trainer, h.template);
  router.get('/api/question-banks/:code', trainer, h.getApi);
  router.get('/api/question-banks/:code/export.:format', trainer, h.exportAny);
  router.post('/api/question-banks/:code/questions', trainer, h.addQuestionApi);
  router.put('/api/question-banks/:code/questions/:questionId', trainer, h.editQuestionApi);
  router.post('/api/question-banks/:code/questions/:questionId/retire', trainer, h.retireQuestionApi);
  router.post('/api/question-banks/:code/import', trainer, upload, h.importApi);
  return router;
}
