import { Router } from 'express';
import { requireRole, requireSignIn } from '../auth/guards.js';
import { certificatesHandlers, type CertificatesDeps } from './certificates.handlers.js';

/** Certificate PDFs, the public verification page, and revocation by admin (page and API). */
export function certificatesRoutes(deps: CertificatesDeps): Router {
  const h = certificatesHandlers(deps);
  const admin = requireRole('admin');
  const router = Router();
  router.get('/certificates/:serial.pdf', requireSignIn, h.downloadPdf);
  router.get('/verify/:serial', h.verify);
  router.get('/verify/*rest', h.verify); // a mangled link answers the same "not found" page
  router.get('/admin/certificates', admin, h.adminPage);
  router.post('/admin/certificates/:serial/revoke', admin, h.revokeForm);
  router.post('/api/certificates/:serial/revoke', admin, h.revokeApi);
  return router;
}
