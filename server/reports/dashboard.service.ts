/**
 * What the hr dashboard shows: a branch with its figures, its children (one level at a time —
 * a 15,000-branch tree is never rendered whole), charts, its people page by page, and one
 * employee's record.
 *
 * Figures for a subtree need every enrollment in it through the status rules: seconds for a whole
 * bank. A summary is therefore kept per (branch, as-of date) for `freshForMs` and then served
 * while a fresh one is computed (stale-while-revalidate); a request waits at most `waitMs` for a
 * summary that is not ready and otherwise shows "being computed" (the page refreshes itself).
 * The app computes summaries in a worker thread (summary-worker.ts), so the walk never holds the
 * event loop; without one (tests of the caching) the service walks in-process, in time slices.
 */
import type { Logger } from '../logger.js';
import type { CertificationPolicy, CertificationStatus } from '../certification/status-rules.js';
import { NotFoundError } from '../errors.js';
import { isWithin } from '../shared/branch-path.js';
import type { AsOf } from './as-of.js';
import { countStatus, emptyTally, figuresOf, read, TALLY_FIELDS, type BranchFigures, type Tally } from './branch-tally.js';
import { localDate, statusOfEnrollment } from './enrollment-status.js';
import {
  groupFactsByEnrollment,
  type AttemptRecord,
  type CertificateRecord,
  type EmployeeRecord,
  type ReportBranch,
  type ReportsStore,
  type StaffMember,
} from './reports.repository.js';
import { canSee, type ReportActor, type ReportsService, type SubtreeSummary } from './reports.service.js';

export interface CourseFigures { code: string; title: string; counts: Record<CertificationStatus, number>; assigned: number }

export interface PersonFigures {
  employeeNo: string | null; name: string; position: string | null;
  assigned: number; certified: number; expiring: number; expired: number; overdue: number; inProgress: number; failed: number; notStarted: number;
}

export interface BranchPage {
  asOf: AsOf;
  computedAt: Date | null;
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
export const PEOPLE_PER_PAGE = 50;

export class DashboardService {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly deps: {
    reports: ReportsService; repository: ReportsStore; policy: CertificationPolicy; now: () => Date; logger: Logger;
    freshForMs?: number; waitMs?: number;
    /** Computes a subtree's summary (default: the reports service, in-process). */
    summarise?: (root: ReportBranch, asOf: AsOf) => Promise<SubtreeSummary>;
  }) {}

  async listRoots(actor: ReportActor): Promise<ReportBranch[]> {
    return this.deps.reports.listScopeRoots(actor);
  }

  async branchPage(actor: ReportActor, code: string, asOfDate: string | null, after: string | null): Promise<BranchPage> {
    const { reports, repository } = this.deps;
    const branch = await reports.findVisibleBranch(actor, code);
    const asOf = reports.resolveAsOf(asOfDate);
    const summary = await this.summaryOf(branch, asOf);
    const people = await repository.listStaffPage(branch.id, asOf, { after: after ?? '', limit: PEOPLE_PER_PAGE + 1 });
    const hasMore = people.length > PEOPLE_PER_PAGE;
    const page = people.slice(0, PEOPLE_PER_PAGE);
    return {
      asOf,
      computedAt: summary?.computedAt ?? null,
      branch,
      parentCode: branch.parentCode !== null && canSee(actor, parentPath(branch.path)) ? branch.parentCode : null,
      figures: summary ? figuresOf(branch, summary.totals.get(branch.id)!, (summary.children.get(branch.id) ?? []).length > 0) : null,
      children: summary ? childFigures(summary, branch) : [],
      courses: summary ? summary.courses.filter((c) => read(c.tally, 'assigned') > 0).map(({ course, tally }) => ({
        code: course.code, title: course.title, assigned: read(tally, 'assigned'), counts: statusCounts(tally),
      })) : [],
      people: await Promise.all(page.map((person) => this.personFigures(person, asOf))),
      nextAfter: hasMore ? page.at(-1)!.employeeNo : null,
    };
  }

  /** The next level of the tree under a branch, for the lazy tree; null while being computed. */
  async childrenOf(actor: ReportActor, code: string, asOfDate: string | null): Promise<BranchFigures[] | null> {
    const branch = await this.deps.reports.findVisibleBranch(actor, code);
    const asOf = this.deps.reports.resolveAsOf(asOfDate);
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

  private async personFigures(person: StaffMember, asOf: AsOf): Promise<PersonFigures> {
    const tally = emptyTally();
    for (const tuples of groupFactsByEnrollment(await this.deps.repository.listUserFacts(person.id, asOf)).values()) {
      const result = statusOfEnrollment(tuples, person.hasLeft, asOf.end, this.deps.policy);
      if (result.isCounted) countStatus(tally, result.status);
    }
    const counts = statusCounts(tally);
    return {
      employeeNo: person.employeeNo, name: person.name, position: person.position, assigned: read(tally, 'assigned'),
      certified: counts.certified, expiring: counts.expiring, expired: counts.expired, overdue: counts.overdue,
      inProgress: counts.in_progress, failed: counts.failed, notStarted: counts.not_started,
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

function statusCounts(tally: Tally): Record<CertificationStatus, number> {
  const counts = {} as Record<CertificationStatus, number>;
  for (const field of TALLY_FIELDS) if (field !== 'headcount' && field !== 'assigned') counts[field] = read(tally, field);
  return counts;
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
