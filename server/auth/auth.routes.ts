import { Router } from 'express';
import { requireSignIn } from './guards.js';
import { authHandlers, type AuthHandlerDeps } from './auth.handlers.js';

export function authRoutes(deps: AuthHandlerDeps): Router {
  const h = authHandlers(deps);
  const router = Router();
  router.get('/', h.home);
  router.get('/login', h.showLogin);
  router.post('/login', h.login);
  router.post('/logout', requireSignIn, h.logout);
  router.post('/language', h.setLanguage);
  return router;
}
