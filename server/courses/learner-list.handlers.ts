import { courseTitleFor } from './english-titles.js';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { CERTIFICATION_STATUSES } from '../certification/status-rules.js';
import { formatLocalDateTime } from '../certification/calendar.js';
import { reasonField } from '../certification/assignments.schemas.js';
import { fieldErrors, parseInput, toProblems } from '../http/validate.js';
import { contentDisposition } from '../reports/export-filename.js';
import type { CourseInsightsService } from './insights.service.js';
import { writeLearnerExport } from './learner-export.js';
import { MAX_BULK, type LearnerFilter, type LearnerListService } from './learner-list.service.js';
import type { SearchCursor } from './learner-search.repository.js';

const STATUS_VALUES = [...CERTIFICATION_STATUSES, 'self'] as const;

/** The list's filters, as the form and the pager send them; bad values are refused (422), not ignored. */
const filterSchema = z.object({
  q: z.string().trim().max(64).optional().transform((v) => v || null),
  branch: z.string().trim().max(32).optional().transform((v) => v || null),
  status: z.union([z.enum(STATUS_VALUES), z.literal('')]).optional().transform((v) => v || null),
});
/** ?after=<number or name>&afterId=<user id>[&afterPath=<branch path>]: the last learner of the previous page. */
const pageSchema = filterSchema.extend({
  after: z.string().max(200).optional(),
  afterId: z.coerce.number().int().positive().optional(),
  afterPath: z.string().max(400).regex(/^[/0-9]*$/).optional(),
  granted: z.coerce.number().int().positive().optional(),
});
const exportSchema = filterSchema.extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  headers: z.enum(['words', 'codes']).default('words'),
});
const idsField = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number().int().positive()).max(MAX_BULK, { message: `At most ${MAX_BULK} learners at once` }));
/** Step one shows who and what; step two (confirm=yes) does it. */
const bulkSchema = z.object({
  action: z.enum(['remind', 'retake']),
  ids: idsField,
  reason: z.string().max(500).optional(),
  confirm: z.literal('yes').optional(),
  back: z.string().max(2000).optional(),
});

type T = (key: string, vars?: object) => string;

function cursorOf(q: z.infer<typeof pageSchema>): SearchCursor | null {
  return q.afterId === undefined ? null : { key: q.after ?? '', path: q.afterPath ?? '', userId: q.afterId };
}

function filterOf(q: z.infer<typeof filterSchema>): LearnerFilter {
  return { q: q.q, branchCode: q.branch, status: q.status };
}

/** The query string of the current filters (links keep them). */
function filterQuery(f: LearnerFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.q) out.q = f.q;
  if (f.branchCode) out.branch = f.branchCode;
  if (f.status) out.status = f.status;
  return out;
}

export function learnerListHandlers(deps: { insights: CourseInsightsService; learnerList: LearnerListService }) {
  const { insights, learnerList } = deps;
  const code = (req: Request) => String(req.params.code);

  /** The course page: figures, then the filtered list. `extra` carries a retake form's error or a bulk result. */
  const renderPage = async (req: Request, res: Response, extra: { filter?: LearnerFilter; cursor?: SearchCursor | null; granted?: number; values?: unknown; errors?: Record<string, string>; errorEnrollment?: number; outcome?: unknown } = {}) => {
    const t = res.locals.t as T;
    const data = await insights.overview(code(req));
    const filter = extra.filter ?? { q: null, branchCode: null, status: null };
    const cursor = extra.cursor ?? null;
    const list = await learnerList.page(data.course, data.asOf, filter, cursor);
    const bucketLabels = data.distribution.map((b) => `${b.from}–${b.to}`);
    const query = filterQuery(filter);
    const base = `${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(data.course.code)}/learners`;
    const nextQuery = list.next ? new URLSearchParams({ ...query, after: list.next.key, afterId: String(list.next.userId), ...(list.next.path ? { afterPath: list.next.path } : {}) }) : null;
    const exportQuery = (format: string) => new URLSearchParams({ ...query, format }).toString();
    const isFiltered = Object.keys(query).length > 0;
    res.render('courses/insights', {
      title: t('insights.title', { course: courseTitleFor(res.locals.courseTitlesEn, res.locals.locale, data.course.code, data.course.title) }),
      course: data.course, asOf: data.asOf.date, counts: data.counts, learners: list.learners, questions: data.questions,
      countedAtText: data.computedAt === null ? null : formatLocalDateTime(new Date(data.computedAt), res.locals.timeZone).slice(11, 16),
      hasSeveralScos: new Set(data.questions.map((q) => q.scoIdentifier)).size > 1,
      distribution: data.distribution.map((b, i) => ({ ...b, label: bucketLabels[i] })), finishedAttempts: data.finishedAttempts,
      chartData: { labels: bucketLabels, counts: data.distribution.map((b) => b.count), axis: t('insights.distribution.axis') },
      cursor, granted: list.learners.find((l) => l.enrollmentId === extra.granted) ?? null,
      values: extra.values ?? {}, errors: extra.errors ?? {}, errorEnrollment: extra.errorEnrollment ?? null,
      filter, filterBranch: list.branch, isFiltered, statuses: STATUS_VALUES,
      nextUrl: nextQuery ? `${base}?${nextQuery.toString()}` : null,
      firstUrl: cursor ? `${base}?${new URLSearchParams(query).toString()}` : null,
      scanned: list.scanned, isPartial: list.isPartial,
      exportCsv: `${base}/export?${exportQuery('csv')}`, exportXlsx: `${base}/export?${exportQuery('xlsx')}`,
      backUrl: req.originalUrl.slice(req.baseUrl.length), outcome: extra.outcome ?? null,
    });
  };

  const page: RequestHandler = async (req, res) => {
    const q = parseInput(pageSchema, req.query);
    await renderPage(req, res, { filter: filterOf(q), cursor: cursorOf(q), granted: q.granted });
  };

  const exportFile: RequestHandler = async (req, res) => {
    const q = parseInput(exportSchema, req.query);
    const data = await insights.courseToday(code(req));
    const t = res.locals.t as T;
    const name = `${data.course.code}-learners-${data.asOf.date}.${q.format}`;
    res.setHeader('Content-Type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', contentDisposition(name, name));
    res.setHeader('Cache-Control', 'no-store');
    try {
      await learnerList.exportTo(req.user!, data.course, data.asOf, filterOf(q), q.format, (rows) => writeLearnerExport(res, q.format, rows, t, q.headers === 'codes'));
    } catch (error) {
      if (!res.headersSent) throw error;
      res.destroy(); // a cut file must not look complete
    }
  };

  /** Bulk remind / retake: step one lists who and what happens; step two does it and says how it went. */
  const bulk: RequestHandler = async (req, res) => {
    const t = res.locals.t as T;
    const parsed = bulkSchema.safeParse(req.body ?? {});
    const data = await insights.courseToday(code(req));
    const back = safeBack(parsed.success ? parsed.data.back : undefined, res.locals.baseUrl as string, data.course.code);
    if (!parsed.success) {
      res.status(422);
      return res.render('courses/bulk-confirm', { title: t('learnerList.bulk.title'), course: data.course, back, errors: fieldErrors(toProblems(parsed.error), t), people: [] });
    }
    const input = parsed.data;
    const people = await learnerList.recipients(data.course, input.ids);
    const reason = input.reason?.trim() ?? '';
    const errors: Record<string, string> = {};
    if (people.length === 0) errors.ids = t('learnerList.bulk.noneChosen');
    if (input.action === 'retake') {
      const checked = reasonField.safeParse(reason);
      if (!checked.success && input.confirm) errors.reason = t('errors.fields.REASON_REQUIRED');
    }
    if (!input.confirm || Object.keys(errors).length > 0) {
      if (Object.keys(errors).length > 0) res.status(422);
      return res.render('courses/bulk-confirm', {
        title: t('learnerList.bulk.title'), course: data.course, action: input.action, isRetake: input.action === 'retake',
        people, ids: people.length ? input.ids : [], reason, back, errors,
      });
    }
    const outcome = input.action === 'remind'
      ? await learnerList.remind(req.user!, data.course, data.asOf, input.ids)
      : await learnerList.grantRetakes(req.user!, data.course, input.ids, reason);
    res.render('courses/bulk-confirm', { title: t('learnerList.bulk.title'), course: data.course, action: input.action, isRetake: input.action === 'retake', outcome, back, errors: {} });
  };

  return { page, exportFile, bulk, renderPage };
}

/** Back to the list the form came from (only a path under this course's learner list). */
function safeBack(back: string | undefined, baseUrl: string, courseCode: string): string {
  const list = `/trainer/courses/${encodeURIComponent(courseCode)}/learners`;
  return back && back.startsWith(list) && !back.includes('//') ? `${baseUrl}${back}` : `${baseUrl}${list}`;
}

