import { Router } from 'express';
import { requireRole } from '../guards.js';
import { passwordLinksHandlers, type PasswordLinksHandlerDeps } from './password-links.handlers.js';

export function passwordLinksRoutes(deps: PasswordLinksHandlerDeps): Router {
  const h = passwordLinksHandlers(deps);
  const router = Router();
  router.get('/admin/invitations', requireRole('hr'), h.showInvite);
  router.post('/admin/invitations', requireRole('hr'), h.invite);
  router.get('/password/forgot', h.showForgot);
  router.post('/password/forgot', h.forgot);
  router.get('/password/set', h.showSetPassword);
  router.post('/password/set', h.setPassword);
  return router;
}
