/**
 * What the hr dashboard shows: a branch with its figures, its children (one level at a time —
 * a 15,000-branch tree is never rendered whole), charts, its people page by page, and one
 * employee's record.
 *
 * Today and later dates: one snapshot (branch-snapshot.ts) — figures summed from the status
 * tallies kept by triggers and the people page, read in one transaction, fresh on every view.
 * Past dates need the records as they stood then, which only the walk through the status rules
 * has (seconds for a whole bank): a summary is kept per (branch, as-of date) for `freshForMs` and
 * then served while a fresh one is computed (stale-while-revalidate); a request waits at most
 * `waitMs` for one that is not ready and otherwise shows "being computed" (the page refreshes
 * itself). The past does not change, so a kept summary and a fresh people list still agree.
 * The app runs both in a worker thread (summary-worker.ts), so neither holds the event loop.
 */
import type { Logger } from '../logger.js';
import { CERTIFICATION_STATUSES, type CertificationPolicy, type CertificationStatus } from '../certification/status-rules.js';
import { NotFoundError } from '../errors.js';
import { isWithin } from '../shared/branch-path.js';
import type { AsOf } from './as-of.js';
import { figuresOf, read, type BranchFigures, type Tally } from './branch-tally.js';
import { countsRecord, peopleFigures, PEOPLE_PER_PAGE, type BranchSnapshot, type CourseFigures, type PersonFigures } from './branch-snapshot.js';
import { localDate, statusOfEnrollment } from './enrollment-status.js';
import {
  groupFactsByEnrollment,
  type AttemptRecord,
  type CertificateRecord,
  type EmployeeRecord,
  type ReportBranch,
  type ReportsStore,
} from './reports.repository.js';
import { canSee, type ReportActor, type ReportsService, type SubtreeSummary } from './reports.service.js';

export type { CourseFigures, PersonFigures } from './branch-snapshot.js';
export { PEOPLE_PER_PAGE } from './branch-snapshot.js';

export interface BranchPage {
  asOf: AsOf;
  /** When the figures were read (the people list was read with them, or is of a settled past). */
  computedAt: Date | null;
  /** Today or later: figures and people list read in one snapshot. */
  isSnapshot: boolean;
  /** People at work in the branch itself, whom the people list pages through; null while computing. */
  ownHeadcount: number | null;
  branch: ReportBranch;
  /** The parent's code when the caller may open it (an hr scope root has none to go up to). */
  parentCode: string | null;
  /** Null while the subtree's summary is being computed. */
  figures: BranchFigures | null;
  children: BranchFigures[];
  courses: CourseFigures[];
  people: PersonFigures[];
  nextAfter: string | null;
}

export interface EmployeeEnrollmentView {
  courseCode: string; courseTitle: string; source: string; status: CertificationStatus; isCounted: boolean;
  dueDate: string | null; expiryDate: string | null; serial: string | null;
}

export interface EmployeePage {
  asOf: AsOf;
  employee: EmployeeRecord;
  enrollments: EmployeeEnrollmentView[];
  attempts: AttemptRecord[];
  certificates: CertificateRecord[];
}

interface CacheEntry {
  root: ReportBranch;
  asOfDate: string;
  startedAt: number;
  running: Promise<SubtreeSummary> | null;
  summary: SubtreeSummary | null;
}

const MAX_CACHED_SUMMARIES = 64;

export class DashboardService {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly deps: {
    reports: ReportsService; repository: ReportsStore; policy: CertificationPolicy; now: () => Date; logger: Logger;
    freshForMs?: number; waitMs?: number;
    /** Computes a subtree's summary for a past date (default: the reports service, in-process). */
    summarise?: (root: ReportBranch, asOf: AsOf) => Promise<SubtreeSummary>;
    /** Reads a page for today or later (branch-snapshot.ts; the app's runs in the worker). */
    snapshot: (branch: ReportBranch, asOf: AsOf, after: string | null) => Promise<BranchSnapshot>;
  }) {}

  async listRoots(actor: ReportActor): Promise<ReportBranch[]> {
    return this.deps.reports.listScopeRoots(actor);
  }

  async branchPage(actor: ReportActor, code: string, asOfDate: string | null, after: string | null): Promise<BranchPage> {
    const { reports, repository } = this.deps;
    const branch = await reports.findVisibleBranch(actor, code);
    const asOf = reports.resolveAsOf(asOfDate);
    const parentCode = branch.parentCode !== null && canSee(actor, parentPath(branch.path)) ? branch.parentCode : null;
    if (asOf.placement === 'current') {
      const snapshot = await this.deps.snapshot(branch, asOf, after ?? '');
      return {
        asOf, computedAt: this.deps.now(), isSnapshot: true, ownHeadcount: snapshot.ownHeadcount, branch, parentCode,
        figures: snapshot.figures, children: snapshot.children,
        courses: snapshot.courses, people: snapshot.people ?? [], nextAfter: snapshot.nextAfter,
      };
    }
    const summary = await this.summaryOf(branch, asOf);
    const people = await repository.listStaffPage(branch.id, asOf, { after: after ?? '', limit: PEOPLE_PER_PAGE + 1 });
    const page = people.slice(0, PEOPLE_PER_PAGE);
    return {
      asOf,
      computedAt: summary?.computedAt ?? null,
      isSnapshot: false,
      ownHeadcount: summary ? ownHeadcountOf(summary, branch) : null,
      branch,
      parentCode,
      figures: summary ? figuresOf(branch, summary.totals.get(branch.id)!, (summary.children.get(branch.id) ?? []).length > 0) : null,
      children: summary ? childFigures(summary, branch) : [],
      courses: summary ? summary.courses.filter((c) => read(c.tally, 'assigned') > 0).map(({ course, tally }) => ({
        code: course.code, title: course.title, assigned: read(tally, 'assigned'), counts: statusCounts(tally),
      })) : [],
      people: peopleFigures(page, await repository.listFactsOfUsers(page.map((p) => p.id), asOf, null), asOf, this.deps.policy),
      nextAfter: people.length > PEOPLE_PER_PAGE ? page.at(-1)!.employeeNo : null,
    };
  }

  /** The next level of the tree under a branch, for the lazy tree; null while being computed. */
  async childrenOf(actor: ReportActor, code: string, asOfDate: string | null): Promise<BranchFigures[] | null> {
    const branch = await this.deps.reports.findVisibleBranch(actor, code);
    const asOf = this.deps.reports.resolveAsOf(asOfDate);
    if (asOf.placement === 'current') return (await this.deps.snapshot(branch, asOf, null)).children;
    const summary = this.coveringSummary(branch, asOf) ?? await this.summaryOf(branch, asOf);
    return summary ? childFigures(summary, branch) : null;
  }

  async employeePage(actor: ReportActor, employeeNo: string, asOfDate: string | null): Promise<EmployeePage> {
    const { reports, repository, policy } = this.deps;
    const employee = await repository.findEmployeeByNo(employeeNo);
    const isVisible = employee !== null && (actor.scopes === null || (employee.branchPath !== null && canSee(actor, employee.branchPath)));
    NotFoundError.assertFound(isVisible ? employee : null, 'Employee not found');
    const asOf = reports.resolveAsOf(asOfDate);
    const [enrollments, facts, attempts, certificates] = await Promise.all([
      repository.listEnrollmentsOfUser(employee!.id), repository.listUserFacts(employee!.id, asOf),
      repository.listAttemptsOfUser(employee!.id), repository.listCertificatesOfUser(employee!.id),
    ]);
    const hasLeft = employee!.status === 'left';
    const byEnrollment = groupFactsByEnrollment(facts);
    return {
      asOf, employee: employee!, attempts, certificates,
      enrollments: enrollments.flatMap((e) => {
        const tuples = byEnrollment.get(e.id);
        if (!tuples) return []; // self-enrolled: optional learning, not a compliance record
        const result = statusOfEnrollment(tuples, hasLeft, asOf.end, policy);
        return [{
          courseCode: e.courseCode, courseTitle: e.courseTitle, source: e.source, status: result.status, isCounted: result.isCounted,
          dueDate: e.dueAt === null ? null : localDate(e.dueAt, policy.timeZone), expiryDate: result.expiryDate,
          serial: result.certificate?.serial ?? null,
        }];
      }),
    };
  }

  /** The cached summary of this branch (fresh or, while a new one runs, stale), or a new one if it comes within waitMs. */
  private async summaryOf(branch: ReportBranch, asOf: AsOf): Promise<SubtreeSummary | null> {
    const key = `${branch.id}|${asOf.date}`;
    const now = this.deps.now().getTime();
    let entry = this.cache.get(key);
    if (entry?.summary && (now - entry.summary.computedAt.getTime() > (this.deps.freshForMs ?? 300_000)) && !entry.running) {
      this.start(entry, asOf, now);
    }
    if (entry?.summary) return entry.summary;
    if (!entry) {
      entry = { root: branch, asOfDate: asOf.date, startedAt: now, running: null, summary: null };
      this.cache.set(key, entry);
      this.evictOldest();
      this.start(entry, asOf, now);
    }
    return withTimeout(entry.running!, this.deps.waitMs ?? 3_000);
  }

  private start(entry: CacheEntry, asOf: AsOf, now: number): void {
    entry.startedAt = now;
    const running = this.deps.summarise ? this.deps.summarise(entry.root, asOf) : this.deps.reports.summarise(entry.root, asOf);
    entry.running = running;
    running.then((summary) => {
      entry.summary = summary;
      entry.running = null;
    }, (error: unknown) => {
      this.deps.logger.error({ err: error, branch: entry.root.code }, '[reports] summary failed');
      entry.running = null;
      if (!entry.summary) this.cache.delete(`${entry.root.id}|${entry.asOfDate}`);
    });
  }

  /** A ready summary of an ancestor (or the branch itself) holds its children's figures too. */
  private coveringSummary(branch: ReportBranch, asOf: AsOf): SubtreeSummary | null {
    for (const entry of this.cache.values()) {
      if (entry.summary && entry.asOfDate === asOf.date && isWithin(branch.path, entry.root.path)) return entry.summary;
    }
    return null;
  }

  private evictOldest(): void {
    while (this.cache.size > MAX_CACHED_SUMMARIES) {
      let oldestKey: string | null = null;
      let oldest = Number.POSITIVE_INFINITY;
      for (const [key, entry] of this.cache) {
        if (!entry.running && entry.startedAt < oldest) {
          oldest = entry.startedAt;
          oldestKey = key;
        }
      }
      if (oldestKey === null) return;
      this.cache.delete(oldestKey);
    }
  }
}

/** '/1/7/42/' → '/1/7/'. */
function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('/', path.length - 2) + 1);
}

function childFigures(summary: SubtreeSummary, branch: ReportBranch): BranchFigures[] {
  return (summary.children.get(branch.id) ?? []).map((child) =>
    figuresOf(child, summary.totals.get(child.id)!, (summary.children.get(child.id) ?? []).length > 0));
}

/** The branch's subtree headcount less its children's. */
function ownHeadcountOf(summary: SubtreeSummary, branch: ReportBranch): number {
  let count = read(summary.totals.get(branch.id)!, 'headcount');
  for (const child of summary.children.get(branch.id) ?? []) count -= read(summary.totals.get(child.id)!, 'headcount');
  return count;
}

function statusCounts(tally: Tally): Record<CertificationStatus, number> {
  return countsRecord(CERTIFICATION_STATUSES.map((status) => read(tally, status)));
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
