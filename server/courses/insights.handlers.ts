import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { formHandler } from '../http/forms.js';
import { parseInput } from '../http/validate.js';
import { retakeSchema } from '../certification/assignments.schemas.js';
import type { LearnerCursor } from './insights.repository.js';
import type { CourseInsights, CourseInsightsService } from './insights.service.js';
import { formatLocalDateTime } from '../certification/calendar.js';

/** ?after=<employee no>&afterId=<user id>: the last learner of the previous page. */
const pageQuerySchema = z.object({
  after: z.string().max(64).optional(),
  afterId: z.coerce.number().int().positive().optional(),
  granted: z.coerce.number().int().positive().optional(),
});

/** The reason, plus the page the form was on (hidden fields) to come back to. */
const retakeFormSchema = retakeSchema.extend({
  after: z.string().max(64).optional(),
  afterId: z.string().regex(/^\d{0,12}$/).optional(),
});

type T = (key: string, vars?: object) => string;

function cursorOf(after: string | undefined, afterId: number | undefined): LearnerCursor | null {
  return afterId === undefined ? null : { employeeNo: after ?? '', userId: afterId };
}

export function insightsHandlers(deps: { insights: CourseInsightsService }) {
  const { insights } = deps;
  const code = (req: Request) => String(req.params.code);

  const render = (res: Response, data: CourseInsights, extra: { cursor: LearnerCursor | null; granted?: number; values?: unknown; errors?: Record<string, string>; errorEnrollment?: number }) => {
    const t = res.locals.t as T;
    const bucketLabels = data.distribution.map((b) => `${b.from}–${b.to}`);
    res.render('courses/insights', {
      title: t('insights.title', { course: data.course.title }),
      course: data.course, asOf: data.asOf.date, counts: data.counts, learners: data.learners, questions: data.questions,
      countedAtText: data.computedAt === null ? null : formatLocalDateTime(new Date(data.computedAt), res.locals.timeZone).slice(11, 16),
      hasSeveralScos: new Set(data.questions.map((q) => q.scoIdentifier)).size > 1,
      distribution: data.distribution.map((b, i) => ({ ...b, label: bucketLabels[i] })), finishedAttempts: data.finishedAttempts,
      chartData: { labels: bucketLabels, counts: data.distribution.map((b) => b.count), axis: t('insights.distribution.axis') },
      next: data.next, cursor: extra.cursor, granted: data.learners.find((l) => l.enrollmentId === extra.granted) ?? null,
      values: extra.values ?? {}, errors: extra.errors ?? {}, errorEnrollment: extra.errorEnrollment ?? null,
    });
  };

  const page: RequestHandler = async (req, res) => {
    const query = parseInput(pageQuerySchema, req.query);
    const cursor = cursorOf(query.after, query.afterId);
    render(res, await insights.insights(code(req), cursor), { cursor, granted: query.granted });
  };

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
    const cursor = cursorOf(typeof body.after === 'string' ? body.after.slice(0, 64) : undefined, afterId);
    // Whatever went wrong (no reason, or not locked after all) shows beside that learner.
    const errors = { reason: state.errors.reason ?? Object.values(state.errors)[0] };
    render(res, await insights.insights(code(req), cursor), { cursor, values: state.values, errors, errorEnrollment: enrollmentIdOf(req) });
  });

  return { page, grantRetake };
}
