import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth/guards.js';
import { parseInput } from '../http/validate.js';
import type { PeopleService } from './people.service.js';

const searchQuery = z.object({
  q: z.string().trim().max(64).optional().transform((v) => v || null),
  after: z.string().max(200).optional(),
  afterId: z.coerce.number().int().positive().optional(),
});

/** /hr/people: hr (inside their subtrees) and admin find a person by name or employee number. */
export function peopleRoutes(deps: { people: PeopleService }): Router {
  const search: RequestHandler = async (req, res) => {
    const q = parseInput(searchQuery, req.query);
    const result = q.q ? await deps.people.search(req.user!, q.q, q.afterId === undefined ? null : { key: q.after ?? '', id: q.afterId }) : null;
    const next = result?.next ? `${res.locals.baseUrl}/hr/people?${new URLSearchParams({ q: q.q!, after: result.next.key, afterId: String(result.next.id) }).toString()}` : null;
    res.render('people/search', { title: res.locals.t('people.title'), q: q.q, result, next, isLaterPage: q.afterId !== undefined });
  };
  const router = Router();
  router.get('/hr/people', requireRole('hr'), search);
  return router;
}
