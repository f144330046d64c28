/**
 * HTTP side of reports: the export downloads (/api/reports/*, session or Bearer token) and the hr
 * dashboard pages. Thin: validate the query, call one service, render or stream.
 */
import type { Request, RequestHandler, Response } from 'express';
import { formatLocalDateTime, localDateOf } from '../certification/calendar.js';
import { CERTIFICATION_STATUSES } from '../certification/status-rules.js';
import type { Locale } from '../config.js';
import type { Logger } from '../logger.js';
import { reportingScopes } from '../auth/principal.js';
import { parseInput } from '../http/validate.js';
import type { BranchFigures } from './branch-tally.js';
import type { BranchPage, DashboardService } from './dashboard.service.js';
import { STATUS_LABELS } from './export-columns.js';
import { contentDisposition } from './export-filename.js';
import { branchExportQuery, certificationExportQuery, dashboardQuery, dashboardTypedDate, isLocalDate } from './reports.schemas.js';
import type { PreparedExport, ReportActor, ReportsService } from './reports.service.js';
import type { PeopleService } from '../people/people.service.js';
import { courseTitleFor } from '../courses/english-titles.js';
import { scorePercent } from '../certification/score.js';

export interface ReportsHandlerDeps {
  reports: ReportsService; dashboard: DashboardService; logger: Logger; timeZone: string;
  /** Exam attempts and assignments on a person's page (issue 17). */
  people?: PeopleService;
}

export function actorOf(req: Request): ReportActor {
  return { id: req.user!.id, scopes: reportingScopes(req.user!) };
}

export function reportsHandlers(deps: ReportsHandlerDeps) {
  const { reports, dashboard } = deps;

  /** Headers first (a 404 or 422 is still possible until here), then the rows as they come. */
  async function send(res: Response, prepared: PreparedExport): Promise<void> {
    res.setHeader('Content-Type', prepared.contentType);
    res.setHeader('Content-Disposition', contentDisposition(prepared.fileName, prepared.asciiFileName));
    res.setHeader('Cache-Control', 'no-store');
    try {
      await prepared.writeTo(res);
    } catch (error) {
      if (!res.headersSent) throw error;
      // A cut connection must not look like a complete file.
      deps.logger.warn({ err: error }, '[reports] export stopped before the end');
      res.destroy();
    }
  }

  const exportCertifications: RequestHandler = async (req, res) => {
    const q = parseInput(certificationExportQuery, req.query);
    await send(res, await reports.prepareCertificationExport(actorOf(req), {
      branchCode: q.branch, includeSubBranches: q.subBranches, courseCode: q.course ?? null, status: q.status ?? null, asOf: q.asOf ?? null,
    }, q.format, res.locals.locale, { headings: q.headers, titlesEn: res.locals.courseTitlesEn }));
  };

  const exportBranches: RequestHandler = async (req, res) => {
    const q = parseInput(branchExportQuery, req.query);
    await send(res, await reports.prepareBranchExport(actorOf(req), { rootCode: q.root, asOf: q.asOf ?? null }, q.format, res.locals.locale, { headings: q.headers }));
  };

  async function renderBranch(req: Request, res: Response, code: string): Promise<void> {
    // The as-of field is typed text (YYYY-MM-DD): a date that is not one shows today's page with
    // the message beside the field, what was typed kept, rather than an error page.
    const typed = parseInput(dashboardTypedDate, req.query).asOf;
    const isDate = typed === undefined || isLocalDate(typed, deps.timeZone);
    const q = parseInput(dashboardQuery, isDate ? req.query : { ...req.query, asOf: undefined });
    const page = await dashboard.branchPage(actorOf(req), code, q.asOf ?? null, q.after ?? null);
    const model = branchViewModel(page, res.locals.locale, res.locals.t, deps.timeZone, q.asOf ?? null, res.locals.courseTitlesEn);
    if (isDate) return res.render('reports/branch', model);
    res.status(422).render('reports/branch', { ...model, asOfInput: typed, asOfError: res.locals.t('uxFinish.dates.invalid') });
  }

  /** /hr: the one branch an hr user is scoped to, or a list when there are several. */
  const home: RequestHandler = async (req, res) => {
    const roots = await dashboard.listRoots(actorOf(req));
    if (roots.length === 1) return renderBranch(req, res, roots[0].code);
    res.render('reports/roots', { title: res.locals.t('reports.title'), roots });
  };

  const branchPage: RequestHandler = (req, res) => renderBranch(req, res, String(req.params.code));

  /** The next level of the tree, for dashboard.js; 202 while the figures are being computed. */
  const branchChildren: RequestHandler = async (req, res) => {
    const q = parseInput(dashboardQuery, req.query);
    const children = await dashboard.childrenOf(actorOf(req), String(req.params.code), q.asOf ?? null);
    if (children === null) {
      res.status(202).json({ computing: true });
      return;
    }
    res.json({ children: children.map((c) => figuresView(c)) });
  };

  const employeePage: RequestHandler = async (req, res) => {
    const q = parseInput(dashboardQuery, req.query);
    const page = await dashboard.employeePage(actorOf(req), String(req.params.employeeNo), q.asOf ?? null);
    const labels = STATUS_LABELS[res.locals.locale];
    // Every date on the dashboard pages reads YYYY-MM-DD (and HH:mm for moments), in the bank's zone.
    const day = (value: string | null) => (value === null ? '' : value.length === 10 ? value : localDateOf(new Date(value), deps.timeZone));
    const moment = (value: string | null) => (value === null ? '' : formatLocalDateTime(new Date(value), deps.timeZone).slice(0, 16));
    res.render('reports/employee', {
      title: `${page.employee.name} · ${res.locals.t('reports.employee.title')}`,
      asOf: page.asOf.date, asOfQuery: q.asOf ?? null, employee: page.employee,
      certificates: page.certificates.map((c) => ({ ...c, issuedText: day(c.issuedAt), expiresText: day(c.expiresAt), revokedText: day(c.revokedAt) })),
      enrollments: page.enrollments.map((e) => ({ ...e, statusLabel: labels[e.status] })),
      attempts: page.attempts.map((a) => ({
        ...a, scoreText: String(scorePercent(a.scoreScaled) ?? ''), startedText: moment(a.startedAt), finishedText: moment(a.finishedAt),
      })),
      ...(deps.people ? await deps.people.extras(page.employee.id) : {}),
    });
  };

  return { exportCertifications, exportBranches, home, branchPage, branchChildren, employeePage };
}

interface FiguresView extends BranchFigures { rateText: string; personRateText: string; certifiedOrExpiring: number }

function figuresView(figures: BranchFigures): FiguresView {
  return {
    ...figures, rateText: percent(figures.complianceRate), personRateText: percent(figures.personRate),
    certifiedOrExpiring: figures.certified + figures.expiring,
  };
}

function rateNumber(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** What views/reports/branch.hbs shows; the charts get their data as JSON. */
function branchViewModel(page: BranchPage, locale: Locale, t: (key: string, vars?: object) => string, timeZone: string, asOfQuery: string | null,
  titlesEn?: ReadonlyMap<string, string>) {
  const labels = STATUS_LABELS[locale];
  const children = page.children.map(figuresView);
  const chartBranches = children.length > 0 ? children : page.figures ? [figuresView(page.figures)] : [];
  return {
    title: `${page.branch.name} · ${t('reports.title')}`,
    branch: page.branch,
    parentCode: page.parentCode,
    asOf: page.asOf.date,
    asOfQuery,
    isComputing: page.figures === null,
    isSnapshot: page.isSnapshot,
    computedAtText: page.computedAt ? formatLocalDateTime(page.computedAt, timeZone) : null,
    ownHeadcount: page.ownHeadcount,
    figures: page.figures ? figuresView(page.figures) : null,
    children,
    people: page.people,
    nextAfter: page.nextAfter,
    dashboardData: {
      asOf: asOfQuery,
      text: {
        expand: t('reports.expand', { name: '{name}' }), collapse: t('reports.collapse', { name: '{name}' }), loadFailed: t('reports.loadFailed'),
        rateAxis: t('reports.charts.rateAxis'), enrolmentRate: t('dashboard.enrolmentRate'), personRate: t('dashboard.personRate'),
      },
      byBranch: {
        labels: chartBranches.map((c) => c.name),
        rates: chartBranches.map((c) => rateNumber(c.complianceRate)),
        personRates: chartBranches.map((c) => rateNumber(c.personRate)),
      },
      byCourse: {
        labels: page.courses.map((c) => courseTitleFor(titlesEn, locale, c.code, c.title)),
        series: CERTIFICATION_STATUSES.map((status) => ({ status, label: labels[status], data: page.courses.map((c) => c.counts[status]) })),
      },
    },
  };
}
