import { Router } from 'express';
import { oidcHandlers, type OidcHandlerDeps } from './oidc.handlers.js';

export function oidcRoutes(deps: OidcHandlerDeps): Router {
  const h = oidcHandlers(deps);
  const router = Router();
  router.get('/auth/oidc', h.start);
  router.get('/auth/oidc/callback', h.callback);
  return router;
}
