import type { Request, RequestHandler, Response } from 'express';
import type { CourseService } from './course.service.js';
import type { CourseIngestService, IngestResult } from './course-ingest.service.js';
import type { Course } from './courses.repository.js';
import { courseEnglishSchema, courseMetadataSchema, publishSchema, uploadFieldsSchema } from './courses.schemas.js';
import { parseInput } from '../http/validate.js';
import { formHandler } from '../http/forms.js';
import { AppError, ValidationError } from '../errors.js';

function courseJson(c: Course) {
  return {
    id: c.id, code: c.code, title: c.title, description: c.description, status: c.status, validityMonths: c.validityMonths,
    passMark: c.passMark, attemptsLimit: c.attemptsLimit, completionRule: c.completionRule, countedAttempt: c.countedAttempt,
    publishedVersionId: c.publishedVersionId, latestVersion: c.latestVersionNumber, titleEn: c.titleEn, descriptionEn: c.descriptionEn,
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

  /** The page's form without JavaScript: show the problems on the list page, or go to the course. */
  const uploadPage: RequestHandler = async (req, res) => {
    try {
      const result = await runIngest(req);
      res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(result.course.code)}?uploaded=${result.version.number}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error;
      res.status(422).render('courses/list', { title: res.locals.t('courses.title'), courses: await courses.list(), uploadError: error });
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

  const renderDetail = async (req: Request, res: Response, state: { values?: unknown; errors?: Record<string, string> } = {}) => {
    const detail = await courses.detail(code(req));
    const latest = detail.versions[0];
    res.render('courses/detail', {
      title: detail.title, course: detail, latest, values: { ...detail, ...(state.values as object | undefined) }, errors: state.errors ?? {},
      uploaded: typeof req.query.uploaded === 'string' ? req.query.uploaded : null,
      tree: latest ? (await courseTree(courses, latest.id)) : [],
    });
  };

  const detailPage: RequestHandler = (req, res) => renderDetail(req, res);

  const updatePage = formHandler(courseMetadataSchema, async (data, req, res) => {
    await courses.updateMetadata(code(req), data, req.user!.id);
    res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(code(req))}`);
  }, renderDetail);

  const updateEnglishPage = formHandler(courseEnglishSchema, async (data, req, res) => {
    await courses.setEnglishText(code(req), data, req.user!.id);
    res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(code(req))}`);
  }, renderDetail);

  const publishPage: RequestHandler = async (req, res) => {
    const { version } = parseInput(publishSchema, req.body ?? {});
    await courses.publish(code(req), req.user!.id, version ?? undefined);
    res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(code(req))}`);
  };

  const retirePage: RequestHandler = async (req, res) => {
    await courses.retire(code(req), req.user!.id);
    res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(code(req))}`);
  };

  return { uploadApi, uploadPage, listApi, getApi, updateApi, updateEnglishApi, publishApi, retireApi, listPage, detailPage, updatePage, updateEnglishPage, publishPage, retirePage };
}

/** The organisation tree of a version as stored in its manifest, for the detail page. */
async function courseTree(courses: CourseService, versionId: number) {
  return (await courses.manifestItems(versionId)) ?? [];
}
