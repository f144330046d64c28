import type { Request, RequestHandler, Response } from 'express';
import { reportingScopes } from '../../auth/principal.js';
import { toProblems, fieldErrors } from '../../http/validate.js';
import type { RosterImportService } from './roster-import.service.js';
import type { PendingRosterUploads } from './pending-uploads.js';
import type { RosterActor } from './roster-snapshot.js';
import { reportViewModel } from './roster-view-model.js';
import { rosterTemplate } from './roster-template.js';
import { applyFieldsSchema, previewFieldsSchema } from './roster.schemas.js';

function actorOf(req: Request): RosterActor {
  return { id: req.user!.id, scopes: reportingScopes(req.user!), via: 'web' };
}

export function rosterHandlers(deps: { roster: RosterImportService; uploads: PendingRosterUploads }) {
  const { roster, uploads } = deps;

  const renderForm = (res: Response, state: { values?: Record<string, unknown>; errors?: Record<string, string> } = {}) => {
    res.render('roster/form', {
      title: res.locals.t('roster.title'),
      values: { effectiveDate: roster.today(), ...state.values },
      errors: state.errors ?? {},
    });
  };

  const form: RequestHandler = (_req, res) => renderForm(res);

  /** Multipart upload → dry run. The file is kept for the apply step only when there is something to apply. */
  const preview: RequestHandler = async (req, res) => {
    void uploads.removeExpired().catch(() => undefined);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!req.file) return renderForm(res.status(422), { values: body, errors: { file: res.locals.t('roster.form.noFile') } });
    const fields = previewFieldsSchema.safeParse(body);
    if (!fields.success) {
      await uploads.remove(req.file.filename.replace(/\.upload$/, ''));
      return renderForm(res.status(422), { values: body, errors: fieldErrors(toProblems(fields.error), res.locals.t) });
    }
    const upload = await uploads.keep(req.file.path, req.file.originalname, req.user!.id);
    const report = await roster.run({ filePath: upload.filePath, fileName: upload.fileName, ...fields.data, apply: false, actor: actorOf(req) });
    const view = reportViewModel(report, res.locals.t);
    if (!view.canApply) await uploads.remove(upload.id);
    res.status(report.isFileRejected ? 422 : 200).render('roster/report', { title: res.locals.t('roster.preview.title'), report: view, uploadId: view.canApply ? upload.id : null, isPreview: true });
  };

  /** Applies the previewed file; refused (nothing written) while rows have errors and "valid rows only" is not chosen. */
  const apply: RequestHandler = async (req, res) => {
    const fields = applyFieldsSchema.safeParse(req.body ?? {});
    const upload = fields.success ? await uploads.find(fields.data.uploadId, req.user!.id) : null;
    if (!fields.success || !upload) return renderForm(res.status(404), { errors: { _form: res.locals.t('roster.apply.expired') } });
    const { effectiveDate, validOnly } = fields.data;
    const report = await roster.run({ filePath: upload.filePath, fileName: upload.fileName, effectiveDate, validOnly, apply: true, actor: actorOf(req) });
    const view = reportViewModel(report, res.locals.t);
    if (report.applied || !view.canApply) await uploads.remove(upload.id);
    res.status(report.applied ? 200 : 422).render('roster/report', {
      title: res.locals.t(report.applied ? 'roster.result.title' : 'roster.preview.title'),
      report: view, uploadId: report.applied || !view.canApply ? null : upload.id, isPreview: !report.applied, wasRefused: !report.applied,
    });
  };

  /** GET /hr/roster/template.csv?kind=employees|branches&headings=zh|en: a header row to fill in. */
  const template: RequestHandler = (req, res) => {
    const kind = req.query.kind === 'branches' ? 'branches' : 'employees';
    const { fileName, body } = rosterTemplate(kind, req.query.headings === 'en' ? 'en' : 'zh');
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="${kind}-template.csv"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    res.send(body);
  };

  return { form, preview, apply, template };
}
