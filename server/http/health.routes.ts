import { Router } from 'express';
import type { LmsDatabase } from '../db/database.js';

/** 200 when the database answers, 503 otherwise (load balancers take the node out). */
export function healthRoutes(database: LmsDatabase): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      if (database.dialect === 'postgres') await database.pool.query('SELECT 1');
      else database.db.prepare('SELECT 1').get();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return router;
}
