import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { CourseService } from './course.service.js';
import type { CourseIngestService, IngestResult } from './course-ingest.service.js';
import type { Course } from './courses.repository.js';
import { courseEnglishSchema, courseMetadataSchema, publishSchema, uploadFieldsSchema } from './courses.schemas.js';
import { parseInput } from '../http/validate.js';
import { formHandler } from '../http/forms.js';
import { AppError, ValidationError } from '../errors.js';
import { describeProblem, describeProblems } from './ingest-messages.js';

function courseJson(c: Course) {
  return {
    id: c.id, code: c.code, title: c.title, titleEn: c.titleEn, description: c.description, status: c.status, validityMonths: c.validityMonths,
    passMark: c.passMark, attemptsLimit: c.attemptsLimit, completionRule: c.completionRule, countedAttempt: c.countedAttempt,
    publishedVersionId: c.publishedVersionId, latestVersion: c.latestVersionNumber, descriptionEn: c.descriptionEn,
  };
}

function ingestJson(result: IngestResult) {
  return {
    course: { id: result.course.id, code: result.course.code, title: result.course.title },
    version: {
      id: result.version.id, number: result.version.number, scormVersion: result.version.scormVersion,
      scos: result.scos.map((s) => ({ identifier: s.identifier, title: s.title, href: s.href })),
      problems: result.warnings,
    },
  };
}

export function coursesHandlers(deps: { courses: CourseService; ingest: CourseIngestService }) {
  const { courses, ingest } = deps;
  const code = (req: Request) => String(req.params.code);

  const runIngest = async (req: Request) => {
    if (!req.file) throw new ValidationError('Choose a SCORM zip file to upload', [{ code: 'PACKAGE_MISSING', message: 'No file in the "package" field', path: 'package' }], 'PACKAGE_MISSING');
    const fields = parseInput(uploadFieldsSchema, req.body ?? {});
    return ingest.ingest({ zipPath: req.file.path, code: fields.code, uploadedBy: req.user!.id });
  };

  const uploadApi: RequestHandler = async (req, res) => {
    res.status(201).json(ingestJson(await runIngest(req)));
  };

  /** The page's form without JavaScript: go to the course, or (uploadRefusedPage) show the problems. */
  const uploadPage: RequestHandler = async (req, res) => {
    const result = await runIngest(req);
    res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(result.course.code)}?uploaded=${result.version.number}`);
  };

  /**
   * A refused upload (the file, the form body or the package): the API's answer, plus `text` in
   * the reader's language — on the error (the heading, or the one sentence when it lists no
   * problem) and on each problem with `where` it is.
   */
  const uploadRefusedApi: ErrorRequestHandler = (error, _req, res, next) => {
    if (!isRefusal(error)) return next(error);
    const t = res.locals.t;
    const described = describeProblems(error, t);
    const problems = error.problems.map((p, i) => ({ ...p, text: described[i].text, where: described[i].where }));
    res.status(error.status).json({
      error: { code: error.code, message: error.message, text: problems.length ? t('courseAdmin.ingest.refused') : described[0].text, problems },
    });
  };

  const uploadRefusedPage: ErrorRequestHandler = async (error, _req, res, next) => {
    if (!isRefusal(error)) return next(error);
    try {
      res.status(error.status).render('courses/list', { title: res.locals.t('courses.title'), courses: await courses.list(), uploadProblems: describeProblems(error, res.locals.t) });
    } catch (failure) {
      next(failure);
    }
  };

  const listApi: RequestHandler = async (_req, res) => { res.json({ courses: (await courses.list()).map(courseJson) }); };

  const getApi: RequestHandler = async (req, res) => {
    const detail = await courses.detail(code(req));
    res.json({
      course: courseJson(detail),
      versions: detail.versions.map((v) => ({
        id: v.id, number: v.number, scormVersion: v.scormVersion, title: v.title, sha256: v.sha256, sizeBytes: v.sizeBytes,
        uploadedAt: v.uploadedAt, problems: v.problems, scos: v.scos.map((s) => ({ identifier: s.identifier, title: s.title, href: s.href, masteryScore: s.masteryScore, scaledPassingScore: s.scaledPassingScore })),
      })),
    });
  };

  const updateApi: RequestHandler = async (req, res) => {
    const current = await courses.get(code(req));
    const data = parseInput(courseMetadataSchema, { ...courseJson(current), ...(req.body as object) });
    res.json({ course: courseJson(await courses.updateMetadata(code(req), data, req.user!.id)) });
  };

  const updateEnglishApi: RequestHandler = async (req, res) => {
    const data = parseInput(courseEnglishSchema, req.body ?? {});
    res.json({ course: courseJson(await courses.setEnglishText(code(req), data, req.user!.id)) });
  };

  const publishApi: RequestHandler = async (req, res) => {
    const { version } = parseInput(publishSchema, req.body ?? {});
    res.json({ course: courseJson(await courses.publish(code(req), req.user!.id, version ?? undefined)) });
  };

  const retireApi: RequestHandler = async (req, res) => {
    res.json({ course: courseJson(await courses.retire(code(req), req.user!.id)) });
  };

  const listPage: RequestHandler = async (_req, res) => {
    res.render('courses/list', { title: res.locals.t('courses.title'), courses: await courses.list() });
  };

  const coursePage = (res: Response, courseCode: string, query = '') =>
    `${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(courseCode)}${query}`;

  const renderDetail = async (req: Request, res: Response, state: { values?: unknown; errors?: Record<string, string> } = {}) => {
    const detail = await courses.detail(code(req));
    const latest = detail.versions[0];
    const t = res.locals.t;
    const published = detail.versions.find((v) => v.id === detail.publishedVersionId) ?? null;
    const uploaded = typeof req.query.uploaded === 'string' ? Number(req.query.uploaded) : null;
    const flash = (name: string) => typeof req.query[name] === 'string' ? String(req.query[name]).slice(0, 40) : null;
    res.render('courses/detail', {
      title: detail.title, course: detail, latest, values: { ...detail, ...(state.values as object | undefined) }, errors: state.errors ?? {},
      // After an upload: a new course's code and title came from the package; say so and where to change them.
      uploaded, isNewCourse: uploaded === 1 && detail.versions.length === 1,
      saved: flash('saved') !== null, renamedFrom: flash('renamedFrom'), publishedNumber: flash('published'), retired: flash('retired') !== null,
      publishedVersion: published,
      // One publish button: the version is chosen in a list (latest first, as the versions are listed).
      publishChoices: detail.versions.map((v, index) => {
        const isCurrent = v.id === detail.publishedVersionId;
        const label = index === 0 ? (isCurrent ? 'latestCurrent' : 'latest') : isCurrent ? 'current' : 'other';
        return { number: v.number, label: t(`courseAdmin.publish.${label}`, { number: v.number }), isSelected: index === 0 };
      }),
      problems: latest ? latest.problems.map((p) => describeProblem(p, t)) : [],
      formerCodes: (await courses.formerCodes(detail.id)).join('、'),
      tree: latest ? (await courseTree(courses, latest.id)) : [],
    });
  };

  /** A former code still opens the course; the page moves to the current one. */
  const detailPage: RequestHandler = async (req, res) => {
    const course = await courses.get(code(req));
    if (course.code !== code(req)) {
      const query = new URLSearchParams(req.query as Record<string, string>).toString();
      return res.redirect(coursePage(res, course.code, query ? `?${query}` : ''));
    }
    return renderDetail(req, res);
  };

  const updatePage = formHandler(courseMetadataSchema, async (data, req, res) => {
    const before = await courses.get(code(req));
    const saved = await courses.updateMetadata(code(req), data, req.user!.id);
    const renamed = saved.code !== before.code ? `&renamedFrom=${encodeURIComponent(before.code)}` : '';
    res.redirect(coursePage(res, saved.code, `?saved=1${renamed}`));
  }, renderDetail);

  const updateEnglishPage = formHandler(courseEnglishSchema, async (data, req, res) => {
    await courses.setEnglishText(code(req), data, req.user!.id);
    res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(code(req))}`);
  }, renderDetail);

  const publishPage: RequestHandler = async (req, res) => {
    const { version } = parseInput(publishSchema, req.body ?? {});
    const course = await courses.publish(code(req), req.user!.id, version ?? undefined);
    const number = (await courses.detail(course.code)).versions.find((v) => v.id === course.publishedVersionId)?.number;
    res.redirect(coursePage(res, course.code, `?published=${number ?? ''}`));
  };

  const retirePage: RequestHandler = async (req, res) => {
    const course = await courses.retire(code(req), req.user!.id);
    res.redirect(coursePage(res, course.code, '?retired=1'));
  };

  return {
    uploadApi, uploadPage, uploadRefusedApi, uploadRefusedPage, listApi, getApi, updateApi, updateEnglishApi, publishApi, retireApi,
    listPage, detailPage, updatePage, updateEnglishPage, publishPage, retirePage,
  };
}

/** Errors that refuse an upload (a bad file, form body or package) rather than break the server. */
function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError && (error.status === 422 || error.status === 400 || error.status === 409);
}

/** The organisation tree of a version as stored in its manifest, for the detail page. */
async function courseTree(courses: CourseService, versionId: number) {
  return (await courses.manifestItems(versionId)) ?? [];
}
