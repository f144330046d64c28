import type { Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { formHandler } from '../http/forms.js';
import { retakeSchema } from '../certification/assignments.schemas.js';
import type { CourseInsightsService } from './insights.service.js';
import type { learnerListHandlers } from './learner-list.handlers.js';

/** The reason, plus the page the form was on (hidden fields) to come back to. */
const retakeFormSchema = retakeSchema.extend({
  after: z.string().max(64).optional(),
  afterId: z.string().regex(/^\d{0,12}$/).optional(),
});

export function insightsHandlers(deps: { insights: CourseInsightsService; renderPage: ReturnType<typeof learnerListHandlers>['renderPage'] }) {
  const { insights } = deps;
  const code = (req: Request) => String(req.params.code);

  const enrollmentIdOf = (req: Request): number => {
    const id = Number(req.params.enrollmentId);
    if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError('No such learner in this course');
    return id;
  };

  /** Grants the retake and goes back to the same page; a missing reason or an unlocked learner shows beside that learner. */
  const grantRetake = formHandler(retakeFormSchema, async (data, req, res) => {
    const enrollmentId = enrollmentIdOf(req);
    await insights.grantRetake(req.user!, code(req), enrollmentId, data.reason);
    const back = new URLSearchParams({ granted: String(enrollmentId) });
    if (data.afterId) back.set('afterId', data.afterId);
    if (data.afterId && data.after) back.set('after', data.after);
    res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(code(req))}/learners?${back.toString()}#learner-${enrollmentId}`);
  }, async (req, res, state) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const afterId = typeof body.afterId === 'string' && /^\d{1,12}$/.test(body.afterId) ? Number(body.afterId) : undefined;
    const cursor = afterId === undefined ? null : { key: typeof body.after === 'string' ? body.after.slice(0, 64) : '', path: '', userId: afterId };
    // Whatever went wrong (no reason, or not locked after all) shows beside that learner.
    const errors = { reason: state.errors.reason ?? Object.values(state.errors)[0] };
    await deps.renderPage(req, res, { cursor, values: state.values, errors, errorEnrollment: enrollmentIdOf(req) });
  });

  return { grantRetake };
}
