import { Router } from 'express';
import { requireRole } from '../../auth/guards.js';
import { PendingRosterUploads } from './pending-uploads.js';
import type { RosterImportService } from './roster-import.service.js';
import { rosterHandlers } from './roster.handlers.js';
import { rosterUpload } from './roster-upload.js';

export interface RosterRoutesDeps {
  roster: RosterImportService;
  /** Folder (under the data folder) where uploads wait between preview and apply. */
  uploadDir: string;
  now: () => Date;
  maxUploadBytes?: number;
  /** How long an upload waits for its apply. */
  pendingTtlMs?: number;
}

/** HR's roster import: hr (their subtree) and admin (everything). Multipart forms carry CSRF in ?_csrf=. */
export function rosterRoutes(deps: RosterRoutesDeps): Router {
  const uploads = new PendingRosterUploads({ dir: deps.uploadDir, ttlMs: deps.pendingTtlMs ?? 3_600_000, now: deps.now });
  const h = rosterHandlers({ roster: deps.roster, uploads });
  const hr = requireRole('hr');
  const router = Router();
  router.get('/hr/roster', hr, h.form);
  router.get('/hr/roster/template.csv', hr, h.template);
  router.post('/hr/roster/preview', hr, rosterUpload(uploads, deps.maxUploadBytes ?? 256 * 1024 * 1024), h.preview);
  router.post('/hr/roster/apply', hr, h.apply);
  return router;
}
