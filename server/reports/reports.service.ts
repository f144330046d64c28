/**
 * Certification reports: the per-employee export, the per-branch export and the subtree
 * summaries the dashboard shows, all from one walk over the branch tree (see
 * reports.repository.ts for why it goes one branch at a time). Statuses come from the
 * certification status rules, never from SQL, so every screen and file agrees.
 *
 * Scope: a caller sees a branch when it lies inside one of their reporting scopes; anything else
 * is "not found", exactly like a branch that does not exist.
 */
import type { Writable } from 'node:stream';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { CertificationPolicy, CertificationStatus } from '../certification/status-rules.js';
import type { Locale } from '../config.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { isWithin } from '../shared/branch-path.js';
import { loopBudget } from '../shared/loop-budget.js';
import { resolveAsOf, type AsOf } from './as-of.js';
import { branchCells, countPerson, countPersonOutcome, countStatus, emptyTally, rollUp, type Tally } from './branch-tally.js';
import { certificationLeadCells, certificationStatusCells, statusOfEnrollment } from './enrollment-status.js';
import { CERTIFICATION_COLUMNS, type ReportKind } from './export-columns.js';
import { asciiFileName, exportFileName } from './export-filename.js';
import { createPrerenderedCsvWriter, csvPrefix, type PrerenderedCsvWriter } from './prerendered-csv.js';
import { createReportWriter, REPORT_CONTENT_TYPES, type ReportFormat, type ReportWriter } from './report-writer.js';
import { FACT, type CertificationFacts, type ReportBranch, type ReportCourse, type ReportsRepository, type StaffMember } from './reports.repository.js';

/** Who asks: scopes are branch paths (reportingScopes), null for the whole bank. */
export interface ReportActor { id: number | null; scopes: string[] | null }

export interface CertificationQuery {
  branchCode: string; includeSubBranches: boolean; courseCode: string | null; status: CertificationStatus | null; asOf: string | null;
}

export interface BranchReportQuery { rootCode: string; asOf: string | null }

export interface PreparedExport {
  format: ReportFormat;
  contentType: string;
  fileName: string;
  asciiFileName: string;
  /** Streams every row into `out`, ends it, then audits the export; resolves with the row count. */
  writeTo(out: Writable): Promise<number>;
}

export interface SubtreeSummary {
  root: ReportBranch;
  asOf: AsOf;
  computedAt: Date;
  /** Parents first. */
  branches: ReportBranch[];
  /** Subtree totals per branch id. */
  totals: Map<number, Tally>;
  children: Map<number, ReportBranch[]>;
  /** The root's subtree per course, in course-code order. */
  courses: Array<{ course: ReportCourse; tally: Tally }>;
}

type EnrollmentVisitor = (branch: ReportBranch, person: StaffMember, tuples: CertificationFacts[]) => Promise<void> | void;

// People whose facts are read in one statement: one branch's staff at most, so memory stays flat.
const PEOPLE_PER_READ = 500;

export class ReportsService {
  constructor(private readonly deps: {
    reports: ReportsRepository; audit: AuditRepository; policy: CertificationPolicy; now: () => Date;
    /** Longest stretch of work between turns for other requests (default DEFAULT_SLICE_MS). */
    sliceMs?: number;
    /** Walks a subtree off the event loop (the app's summary worker); without it, `summarise` here in time slices. */
    summariseOffLoop?: (root: ReportBranch, asOf: AsOf) => Promise<SubtreeSummary>;
  }) {}

  /** 'YYYY-MM-DD' (or today) as a report date; 422 for a date that does not exist. */
  resolveAsOf(date: string | null): AsOf {
    try {
      return resolveAsOf(date, this.deps.now(), this.deps.policy.timeZone);
    } catch {
      throw new ValidationError('asOf must be a date YYYY-MM-DD', [{ code: 'INVALID_DATE', message: 'Not a date', path: 'asOf' }]);
    }
  }

  /** The branch when the actor may see it; 404 for unknown and out-of-scope codes alike. */
  async findVisibleBranch(actor: ReportActor, code: string): Promise<ReportBranch> {
    const branch = await this.deps.reports.findBranchByCode(code);
    NotFoundError.assertFound(branch !== null && canSee(actor, branch.path) ? branch : null, 'Branch not found');
    return branch!;
  }

  /** The branches an actor's reports start from: the top of the tree, or their outermost scopes. */
  async listScopeRoots(actor: ReportActor): Promise<ReportBranch[]> {
    const { scopes } = actor;
    if (scopes === null) return this.deps.reports.listChildren(null);
    const roots: ReportBranch[] = [];
    for (const scope of scopes) {
      if (scopes.some((other) => other !== scope && isWithin(scope, other))) continue;
      const branch = (await this.deps.reports.listBranches({ path: scope, includeSubBranches: false }))[0];
      if (branch && !roots.some((r) => r.id === branch.id)) roots.push(branch);
    }
    return roots.sort((a, b) => a.code.localeCompare(b.code));
  }

  async prepareCertificationExport(actor: ReportActor, query: CertificationQuery, format: ReportFormat, locale: Locale): Promise<PreparedExport> {
    const branch = await this.findVisibleBranch(actor, query.branchCode);
    const asOf = this.resolveAsOf(query.asOf);
    const course = query.courseCode === null ? null : await this.deps.reports.findCourseByCode(query.courseCode);
    if (query.courseCode !== null && course === null) {
      throw new ValidationError('Unknown course', [{ code: 'UNKNOWN_COURSE', message: 'No course with this code', path: 'course' }]);
    }
    const scopeText = `${branch.code} ${branch.name}${query.includeSubBranches ? (locale === 'en' ? ' (with sub-branches)' : '（含下级机构）') : ''}`;
    return this.prepare('certifications', { actor, branch, asOf, format, locale, scopeText }, {
      includeSubBranches: query.includeSubBranches, course: query.courseCode, status: query.status,
    }, (writer) => this.writeCertificationRows(writer, branch, query.includeSubBranches, course, query.status, asOf));
  }

  async prepareBranchExport(actor: ReportActor, query: BranchReportQuery, format: ReportFormat, locale: Locale): Promise<PreparedExport> {
    const branch = await this.findVisibleBranch(actor, query.rootCode);
    const asOf = this.resolveAsOf(query.asOf);
    const scopeText = `${branch.code} ${branch.name}${locale === 'en' ? ' (with sub-branches)' : '（含下级机构）'}`;
    return this.prepare('branches', { actor, branch, asOf, format, locale, scopeText }, { includeSubBranches: true }, async (writer) => {
      // Every date walks the status rules (the tallies answer per subtree, not per branch row), off the loop when it can.
      const summary = await (this.deps.summariseOffLoop ?? ((root, date) => this.summarise(root, date)))(branch, asOf);
      const budget = loopBudget({ sliceMs: this.deps.sliceMs });
      for (const b of summary.branches) {
        const wait = writer.writeValues(branchCells(b, summary.totals.get(b.id)!));
        if (wait) await wait;
        const turn = budget.checkpoint();
        if (turn) await turn;
      }
    });
  }

  /** Figures for a branch and every branch under it, rolled up, plus the subtree per course. */
  async summarise(root: ReportBranch, asOf: AsOf): Promise<SubtreeSummary> {
    const branches = await this.deps.reports.listBranches({ path: root.path, includeSubBranches: true });
    const courses = await this.deps.reports.listCourses();
    const own = new Map<number, Tally>();
    const byCourse = new Map<number, Tally>(courses.map((c) => [c.id, emptyTally()]));
    const { policy } = this.deps;
    const ownTally = (branch: ReportBranch) => {
      let tally = own.get(branch.id);
      if (!tally) own.set(branch.id, (tally = emptyTally()));
      return tally;
    };
    // The person being visited (their enrollments come right after them): per-person compliance.
    let person: { tally: Tally; hasCourses: boolean; isCompliant: boolean } | null = null;
    const closePerson = () => {
      if (person) countPersonOutcome(person.tally, person.hasCourses, person.isCompliant);
      person = null;
    };
    await this.walkEnrollments(branches, asOf, null, courses, (branch, _person, tuples) => {
      const result = statusOfEnrollment(tuples, _person.hasLeft, asOf.end, policy);
      if (!result.isCounted) return;
      countStatus(ownTally(branch), result.status);
      const courseTally = byCourse.get(tuples[0][FACT.courseId]);
      if (courseTally) countStatus(courseTally, result.status);
      if (person) {
        person.hasCourses = true;
        if (result.status !== 'certified' && result.status !== 'expiring') person.isCompliant = false;
      }
    }, (branch, visited) => {
      closePerson();
      if (visited.hasLeft) return;
      countPerson(ownTally(branch));
      person = { tally: ownTally(branch), hasCourses: false, isCompliant: true };
    });
    closePerson();
    const children = new Map<number, ReportBranch[]>();
    for (const b of branches) {
      if (b.parentId === null) continue;
      const list = children.get(b.parentId);
      if (list) list.push(b);
      else children.set(b.parentId, [b]);
    }
    for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
    return {
      root, asOf, computedAt: this.deps.now(), branches, totals: rollUp(branches, own), children,
      courses: courses.map((course) => ({ course, tally: byCourse.get(course.id)! })),
    };
  }

  private async prepare(report: ReportKind, context: {
    actor: ReportActor; branch: ReportBranch; asOf: AsOf; format: ReportFormat; locale: Locale; scopeText: string;
  }, auditDetails: Record<string, unknown>, writeRows: (writer: ReportWriter) => Promise<void>): Promise<PreparedExport> {
    const { actor, branch, asOf, format, locale, scopeText } = context;
    const naming = { report, branchCode: branch.code, branchName: branch.name, asOf: asOf.date, format, locale };
    return {
      format,
      contentType: REPORT_CONTENT_TYPES[format],
      fileName: exportFileName(naming),
      asciiFileName: asciiFileName(naming),
      writeTo: async (out) => {
        const writer = report === 'certifications' && format === 'csv'
          ? createPrerenderedCsvWriter(out, CERTIFICATION_COLUMNS)
          : createReportWriter(format, out, {
            report, scope: scopeText, asOf: asOf.date, generatedAt: this.deps.now(), timeZone: this.deps.policy.timeZone, locale,
          });
        let isComplete = false;
        try {
          await writeRows(writer);
          await writer.end();
          isComplete = true;
          return writer.rowCount;
        } finally {
          // Audited whether or not the client stayed to the end: rows may have left the building.
          await this.deps.audit.append({
            actorId: actor.id, action: 'report.export', subject: `branch:${branch.code}`,
            details: { report, format, branch: branch.code, asOf: asOf.date, ...auditDetails, rows: writer.rowCount, complete: isComplete },
          });
        }
      },
    };
  }

  private async writeCertificationRows(writer: ReportWriter, branch: ReportBranch, includeSubBranches: boolean,
    course: ReportCourse | null, status: CertificationStatus | null, asOf: AsOf): Promise<void> {
    const branches = await this.deps.reports.listBranches({ path: branch.path, includeSubBranches });
    const courses = await this.deps.reports.listCourses();
    const courseById = new Map(courses.map((c) => [c.id, c]));
    const { policy } = this.deps;
    const timeZone = policy.timeZone;
    const csv = 'writeWithPrefix' in writer ? writer as PrerenderedCsvWriter : null;
    // CSV text of the leading cells, rendered once per branch, person and course.
    const coursePart = new Map(courses.map((c) => [c.id, csvPrefix([c.code, c.title])]));
    let last: { person: StaffMember | null; text: string } = { person: null, text: '' };
    await this.walkEnrollments(branches, asOf, course?.id ?? null, courses, (place, person, tuples) => {
      const result = statusOfEnrollment(tuples, person.hasLeft, asOf.end, policy);
      if (!result.isCounted || (status !== null && result.status !== status)) return;
      const first = tuples[0];
      const courseId = first[FACT.courseId];
      const cells = certificationStatusCells(first[FACT.dueAt], result, timeZone);
      if (!csv) return writer.writeValues([...certificationLeadCells(place, person, courseById.get(courseId)!), ...cells]);
      if (last.person !== person) last = { person, text: csvPrefix([place.code, place.name, person.employeeNo, person.name, person.position]) };
      return csv.writeWithPrefix(last.text + coursePart.get(courseId)!, cells);
    });
  }

  /**
   * Calls `visit` for every enrollment of everyone placed in `branches` on the as-of date: branch
   * by branch, people by employee number, courses by code. Up to PEOPLE_PER_READ people's facts are
   * read, visited, and only then is anything awaited (the destination, or a turn for other requests).
   */
  private async walkEnrollments(branches: readonly ReportBranch[], asOf: AsOf, courseId: number | null, courses: readonly ReportCourse[],
    visit: EnrollmentVisitor, visitPerson?: (branch: ReportBranch, person: StaffMember) => void): Promise<void> {
    const { reports } = this.deps;
    const byCourseCode = courseOrder(courses);
    const waits: Array<Promise<void>> = [];
    // Other requests get a turn by time, whether or not the destination asked us to wait: a
    // client that keeps up resolves every wait at once, which gives no turn (issue 14).
    const budget = loopBudget({ sliceMs: this.deps.sliceMs });
    for (const branch of branches) {
      const staff = reports.staffOfBranch(branch.id, asOf);
      if (staff.length === 0) {
        const turn = budget.checkpoint(); // thousands of empty branches add up too
        if (turn) await turn;
      }
      for (let from = 0; from < staff.length; from += PEOPLE_PER_READ) {
        const people = staff.slice(from, from + PEOPLE_PER_READ);
        const factsByUser = new Map<number, CertificationFacts[]>();
        for (const facts of reports.listFactsOfUsers(people.map((p) => p.id), asOf, courseId)) {
          const list = factsByUser.get(facts[FACT.userId]);
          if (list) list.push(facts);
          else factsByUser.set(facts[FACT.userId], [facts]);
        }
        for (const person of people) {
          visitPerson?.(branch, person);
          const tuples = factsByUser.get(person.id);
          if (!tuples) continue;
          if (byCourseCode && tuples.length > 1) tuples.sort(byCourseCode);
          // Tuples of one enrollment are consecutive (one per certificate).
          for (let start = 0; start < tuples.length;) {
            let end = start + 1;
            while (end < tuples.length && tuples[end][FACT.enrollmentId] === tuples[start][FACT.enrollmentId]) end++;
            const wait = visit(branch, person, end === start + 1 ? [tuples[start]] : tuples.slice(start, end));
            if (wait) waits.push(wait);
            start = end;
          }
        }
        if (waits.length > 0) {
          await Promise.all(waits);
          waits.length = 0;
        }
        const turn = budget.checkpoint();
        if (turn) await turn;
      }
    }
  }
}

export function canSee(actor: ReportActor, branchPath: string): boolean {
  return actor.scopes === null || actor.scopes.some((scope) => isWithin(branchPath, scope));
}

/**
 * Enrollments arrive in course-id order; a comparator by course code only when that differs.
 * Stable, so one enrollment's tuples stay together.
 */
function courseOrder(courses: readonly ReportCourse[]): ((a: CertificationFacts, b: CertificationFacts) => number) | null {
  const byId = [...courses].sort((a, b) => a.id - b.id);
  const byCode = [...courses].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (byId.every((course, i) => course.id === byCode[i].id)) return null;
  const rank = new Map(byCode.map((course, i) => [course.id, i]));
  return (a, b) => rank.get(a[FACT.courseId])! - rank.get(b[FACT.courseId])!;
}
