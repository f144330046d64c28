import type { Principal } from '../auth/principal.js';
import type { CertificationService } from '../certification/certification.service.js';
import { CERTIFICATION_STATUSES, type CertificationPolicy, type CertificationStatus } from '../certification/status-rules.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { resolveAsOf, type AsOf } from '../reports/as-of.js';
import { statusOfEnrollment, type EnrollmentStatus } from '../reports/enrollment-status.js';
import { FACT, groupFactsByEnrollment, type ReportsStore } from '../reports/reports.repository.js';
import type { Course, CoursesStore } from './courses.repository.js';
import { attemptAllowance } from '../certification/attempt-allowance.js';
import type { InsightAttempt, InsightsStore, LearnerCursor, LearnerRow } from './insights.repository.js';
import type { CourseAggregatesStore, QuestionTally } from '../reports/course-aggregates.repository.js';
import { loopBudget } from '../shared/loop-budget.js';
import { scoreDistribution, type ScoreBucket } from './score-distribution.js';
import { scorePercent } from '../certification/score.js';

export const LEARNERS_PER_PAGE = 50;
/** How long status counts are reused: a 400,000-learner course takes seconds to count. */
export const FIGURES_TTL_MS = 60_000;
/** How long a page load waits for a count that is not ready (a small course's comes in time; a big one's shows "being counted"). */
export const COUNT_WAIT_MS = 150;
const FIGURES_KEPT = 200;
/** People per facts read in the counting pass (as reports read a branch). */
const PEOPLE_PER_READ = 500;

export interface StatusCounts {
  /** Counted learners per status, in the status order of DESIGN §5. */
  byStatus: Array<{ status: CertificationStatus; count: number }>;
  counted: number;
  /** Assigned but left out of the figures: leavers, or assigned after today. */
  notCounted: number;
  /** Launched without an assignment: optional learning, no certification status. */
  selfEnrolled: number;
}

export interface LearnerAttempt {
  id: number; number: number; startedAt: string; finishedAt: string | null; completionStatus: string; successStatus: string; score: number | null;
  /** Package tries inside the attempt; learning time: SCORM's own figure and the LMS's measure (whole seconds). */
  triesCount: number; scormSeconds: number; measuredSeconds: number;
}

export interface LearnerView {
  enrollmentId: number; employeeNo: string | null; name: string; branchName: string | null; hasLeft: boolean;
  /** Null for self-enrolled learners (no assignment, no status). */
  status: CertificationStatus | null; isCounted: boolean; dueDate: string | null; expiryDate: string | null;
  attempts: LearnerAttempt[]; used: number; allowed: number | null; isLocked: boolean;
}

export interface QuestionView extends QuestionTally {
  /** Correct share of the judged (correct or wrong) answers, 0–100 with one decimal; null when none was judged. */
  percentCorrect: number | null;
}

/**
 * What the page shows about the whole course. Scores and questions are maintained aggregates,
 * read fresh on every load. Status counts depend on the date (certificates expire, due dates
 * pass), so they are counted by walking the course through the status rules: at most once per
 * FIGURES_TTL_MS, shared by concurrent loads, served stale while a recount runs, in slices that
 * keep the event loop's budget.
 */
interface CourseFigures {
  /** Null while the first count of the day is still running. */
  counts: StatusCounts | null;
  distribution: ScoreBucket[];
  finishedAttempts: number;
  questions: QuestionView[];
  /** When the counts were made (ISO), or null. */
  computedAt: string | null;
}

interface KeptCount { countedAt: number; counts: StatusCounts | null; running: Promise<StatusCounts> | null }

export interface CourseInsights extends CourseFigures {
  course: Course;
  asOf: AsOf;
  learners: LearnerView[];
  /** Cursor of the next page, or null on the last page. */
  next: LearnerCursor | null;
}

/**
 * The trainer's view of one course: learners' statuses (the reports' facts and status rules),
 * attempts, score distribution, question analysis, and retakes for learners out of attempts.
 */
export class CourseInsightsService {
  /** `<course id>:<as-of date>` → status counts being or already counted (shared by concurrent page loads). */
  private readonly figures = new Map<string, KeptCount>();

  constructor(private readonly deps: {
    courses: CoursesStore; insights: InsightsStore; aggregates: CourseAggregatesStore; reports: ReportsStore;
    certification: CertificationService; policy: CertificationPolicy; now: () => Date;
    /** Default COUNT_WAIT_MS. */
    countWaitMs?: number;
  }) {}

  async insights(courseCode: string, after: LearnerCursor | null): Promise<CourseInsights> {
    const course = await this.course(courseCode);
    const asOf = this.asOf();
    const { insights } = this.deps;
    const page = await insights.learnersPage(course.id, after, LEARNERS_PER_PAGE + 1, asOf);
    const rows = page.slice(0, LEARNERS_PER_PAGE);
    const last = rows.at(-1);
    return {
      course, asOf, ...await this.courseFigures(course.id, asOf),
      learners: await this.learnerViews(course, rows, asOf),
      next: page.length > LEARNERS_PER_PAGE && last ? { employeeNo: last.employeeNo ?? '', userId: last.userId } : null,
    };
  }

  private async courseFigures(courseId: number, asOf: AsOf): Promise<CourseFigures> {
    const { aggregates } = this.deps;
    const kept = await this.statusCounts(courseId, asOf);
    const scores = await aggregates.scoreCounts(courseId);
    return {
      counts: kept.counts,
      distribution: scoreDistribution(scores),
      finishedAttempts: scores.reduce((sum, s) => sum + s.count, 0),
      questions: (await aggregates.questionTallies(courseId)).map((q) => ({ ...q, percentCorrect: percent(q.correct, q.correct + q.wrong) })),
      computedAt: kept.counts ? new Date(kept.countedAt).toISOString() : null,
    };
  }

  /**
   * Counted at most once per FIGURES_TTL_MS per course and day. A load waits up to countWaitMs
   * for a count it starts, then goes on with the one kept (stale, or none yet).
   */
  private async statusCounts(courseId: number, asOf: AsOf): Promise<KeptCount> {
    const key = `${courseId}:${asOf.date}`;
    const now = this.deps.now().getTime();
    let kept = this.figures.get(key);
    if (!kept) {
      if (this.figures.size >= FIGURES_KEPT) this.dropIdle();
      kept = { countedAt: now, counts: null, running: null };
      this.figures.set(key, kept);
    }
    const entry = kept;
    if (!entry.running && (entry.counts === null || now - entry.countedAt >= FIGURES_TTL_MS)) {
      const running = this.countStatuses(courseId, asOf);
      entry.running = running;
      running.then((counts) => {
        Object.assign(entry, { counts, countedAt: now, running: null });
      }, () => {
        entry.running = null; // a failed count is not kept; the next load tries again
        if (entry.counts === null) this.figures.delete(key);
      });
    }
    if (entry.running) await waitAtMost(entry.running, this.deps.countWaitMs ?? COUNT_WAIT_MS);
    return entry;
  }

  private dropIdle(): void {
    for (const [key, kept] of this.figures) if (!kept.running) this.figures.delete(key);
  }

  /** One more attempt for a learner who used them all (audited in the repository); 409 when not locked. */
  async grantRetake(actor: Principal, courseCode: string, enrollmentId: number, reason: string): Promise<LearnerView> {
    const course = await this.course(courseCode);
    const asOf = this.asOf();
    const learner = await this.deps.insights.findEnrollment(course.id, enrollmentId, asOf);
    NotFoundError.assertFound(learner, 'No such learner in this course');
    const [before] = await this.learnerViews(course, [learner], asOf);
    if (!before.isLocked) throw new ConflictError('This learner still has attempts left', [], 'NOT_LOCKED');
    await this.deps.certification.grantRetake(actor, enrollmentId, reason);
    return (await this.learnerViews(course, [{ ...learner, retakesGranted: learner.retakesGranted + 1 }], asOf))[0];
  }

  private async course(code: string): Promise<Course> {
    const course = await this.deps.courses.findByCode(code);
    NotFoundError.assertFound(course, 'Course not found');
    return course;
  }

  private asOf(): AsOf {
    return resolveAsOf(null, this.deps.now(), this.deps.policy.timeZone);
  }

  /** One pass over the course's assigned learners, a chunk at a time, yielding between chunks. */
  private async countStatuses(courseId: number, asOf: AsOf): Promise<StatusCounts> {
    const { insights, reports, policy } = this.deps;
    const tally = new Map<CertificationStatus, number>(CERTIFICATION_STATUSES.map((s) => [s, 0]));
    let counted = 0;
    let notCounted = 0;
    let selfEnrolled = 0;
    const budget = loopBudget();
    for (let afterEnrollmentId = 0; ;) {
      const chunk = await insights.enrolledChunk(courseId, afterEnrollmentId, PEOPLE_PER_READ, asOf);
      if (chunk.length === 0) break;
      afterEnrollmentId = chunk.at(-1)!.enrollmentId;
      const people = chunk.filter((p) => !p.isSelfEnrolled);
      selfEnrolled += chunk.length - people.length;
      const hasLeft = new Map(people.map((p) => [p.userId, p.hasLeft]));
      for (const tuples of groupFactsByEnrollment(await reports.listFactsOfUsers(people.map((p) => p.userId), asOf, courseId)).values()) {
        const result = statusOfEnrollment(tuples, hasLeft.get(tuples[0][FACT.userId]) ?? false, asOf.end, policy);
        if (!result.isCounted) { notCounted++; continue; }
        counted++;
        tally.set(result.status, tally.get(result.status)! + 1);
      }
      const turn = budget.checkpoint();
      if (turn) await turn;
    }
    return {
      byStatus: CERTIFICATION_STATUSES.map((status) => ({ status, count: tally.get(status)! })),
      counted, notCounted, selfEnrolled,
    };
  }

  /** The course and today's date, without any figures (exports and bulk actions). */
  async courseToday(courseCode: string): Promise<{ course: Course; asOf: AsOf }> {
    return { course: await this.course(courseCode), asOf: this.asOf() };
  }

  /** The course, today's date and the course-wide figures, without a page of learners (the filtered list brings its own). */
  async overview(courseCode: string): Promise<CourseFigures & { course: Course; asOf: AsOf }> {
    const course = await this.course(courseCode);
    const asOf = this.asOf();
    return { course, asOf, ...await this.courseFigures(course.id, asOf) };
  }

  /** Statuses, attempts and allowance of a page of learners. */
  async learnerViews(course: Course, rows: readonly LearnerRow[], asOf: AsOf): Promise<LearnerView[]> {
    const { insights, reports, policy, certification } = this.deps;
    const assigned = rows.filter((r) => r.source !== 'self');
    const statuses = new Map<number, EnrollmentStatus>();
    for (const [enrollmentId, tuples] of groupFactsByEnrollment(await reports.listFactsOfUsers(assigned.map((r) => r.userId), asOf, course.id))) {
      const row = assigned.find((r) => r.enrollmentId === enrollmentId);
      if (row) statuses.set(enrollmentId, statusOfEnrollment(tuples, row.hasLeft, asOf.end, policy));
    }
    const attempts = groupAttempts(await insights.attemptsOf(rows.map((r) => r.enrollmentId)));
    // With an exam, "used X / Y" is the exam's attempts per cycle (the lessons may be relaunched freely).
    const exam = await insights.examOf(course.id);
    const examAttempts = new Map<number, Array<{ startedAt: string; finishedAt: string | null }>>();
    if (exam) {
      for (const a of await insights.examAttemptsOf(course.id, rows.map((r) => r.userId))) {
        const list = examAttempts.get(a.userId);
        if (list) list.push(a);
        else examAttempts.set(a.userId, [a]);
      }
    }
    const views: LearnerView[] = [];
    for (const row of rows) {
      const own = attempts.get(row.enrollmentId) ?? [];
      const allowance = attemptAllowance({
        attemptsLimit: exam ? exam.attemptsPerCycle : course.attemptsLimit, retakesGranted: row.retakesGranted,
        attempts: exam ? examAttempts.get(row.userId) ?? [] : own,
        cycleStartedAt: await certification.cycleStartedAt(row.userId, course.id),
      });
      const result = statuses.get(row.enrollmentId) ?? null;
      views.push({
        enrollmentId: row.enrollmentId, employeeNo: row.employeeNo, name: row.name, branchName: row.branchName, hasLeft: row.hasLeft,
        status: result?.status ?? null, isCounted: result?.isCounted ?? false, dueDate: result?.dueDate ?? null, expiryDate: result?.expiryDate ?? null,
        attempts: own.map((a) => ({
          id: a.id, triesCount: a.triesCount, scormSeconds: Math.round(a.totalSeconds), measuredSeconds: Math.round(a.measuredSeconds),
          number: a.number, startedAt: a.startedAt, finishedAt: a.finishedAt, completionStatus: a.completionStatus, successStatus: a.successStatus,
          score: scorePercent(a.scoreScaled),
        })),
        ...allowance,
      });
    }
    return views;
  }
}

function groupAttempts(attempts: readonly InsightAttempt[]): Map<number, InsightAttempt[]> {
  const groups = new Map<number, InsightAttempt[]>();
  for (const a of attempts) {
    const list = groups.get(a.enrollmentId);
    if (list) list.push(a);
    else groups.set(a.enrollmentId, [a]);
  }
  return groups;
}

/** Resolves when `promise` settles or after `ms`, whichever comes first; never rejects. */
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
