import { Router } from 'express';
import type { Db } from '../db/open-database.js';

/** 200 when the database answers, 503 otherwise (load balancers take the node out). */
export function healthRoutes(db: Db): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    try {
      db.prepare('SELECT 1').get();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return router;
}
