/**
 * The trainer's learner list with search, filters, export and bulk actions (issue 17).
 *
 * Searches walk indexes (learner-search.repository.ts). Status is not stored — it depends on the
 * date — so a status filter reads candidates in the search's order and keeps the matching ones: a
 * page stops at LEARNERS_PER_PAGE matches or after MAX_SCANNED candidates, whichever comes first,
 * and says how far it looked; the next page goes on from there. A request never walks a course.
 */
import type { Principal } from '../auth/principal.js';
import type { AuditStore } from '../audit/audit.repository.js';
import type { BranchesStore } from '../org/branches.repository.js';
import type { CertificationStatus, CertificationPolicy } from '../certification/status-rules.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { AsOf } from '../reports/as-of.js';
import { statusOfEnrollment } from '../reports/enrollment-status.js';
import { FACT, groupFactsByEnrollment, type ReportsStore } from '../reports/reports.repository.js';
import type { NotifyService } from '../notify/notify.service.js';
import { loopBudget } from '../shared/loop-budget.js';
import type { Course } from './courses.repository.js';
import type { CourseInsightsService, LearnerView } from './insights.service.js';
import { LEARNERS_PER_PAGE } from './insights.service.js';
import type { FoundLearner, LearnerQuery, LearnerSearchStore, SearchCursor } from './learner-search.repository.js';
import type { LearnerRemindersStore, ReminderRecipient } from './learner-reminders.repository.js';

/** Candidates read per step when filtering by status. */
const STATUS_CHUNK = 200;
/** Candidates a status-filtered page looks through at most before it stops and offers "continue". */
export const MAX_SCANNED = 2_000;
/** How long a reminder from a trainer stays on the learner's home page. */
export const REMINDERS_SHOWN_DAYS = 14;
/** People one bulk action may cover (a page and a bit). */
export const MAX_BULK = 200;

export type StatusFilter = CertificationStatus | 'self';

export interface LearnerFilter {
  /** Employee number prefix when it holds a digit, else a name prefix. */
  q: string | null;
  branchCode: string | null;
  status: StatusFilter | null;
}

export interface LearnerListItem extends LearnerView { branchCode: string | null; position: string | null; userId: number }

export interface LearnerListPage {
  learners: LearnerListItem[];
  next: SearchCursor | null;
  /** Candidates looked through (status filter only), and whether the page stopped before filling. */
  scanned: number; isPartial: boolean;
  branch: { code: string; name: string } | null;
}

export interface BulkOutcome { done: string[]; skipped: string[]; emailed: number }

export class LearnerListService {
  constructor(private readonly deps: {
    insights: CourseInsightsService; search: LearnerSearchStore; reminders: LearnerRemindersStore;
    branches: BranchesStore; reports: ReportsStore; notify: NotifyService; policy: CertificationPolicy; now: () => Date;
    audit: AuditStore;
  }) {}

  /**
   * Streams the filtered list through `write`, then audits the export (whether or not the client
   * stayed to the end: rows may have left the building).
   */
  async exportTo(actor: Principal, course: Course, asOf: AsOf, filter: LearnerFilter, format: string,
    write: (rows: AsyncIterable<LearnerListItem>) => Promise<unknown>): Promise<void> {
    let rows = 0;
    let isComplete = false;
    const counted = async function* (source: AsyncIterable<LearnerListItem>) {
      for await (const row of source) { rows++; yield row; }
    };
    try {
      await write(counted(this.all(course, asOf, filter)));
      isComplete = true;
    } finally {
      await this.deps.audit.append({ actorId: actor.id, action: 'report.export', subject: `course:${course.id}`,
        details: { report: 'learners', format, course: course.code, asOf: asOf.date, filter, rows, complete: isComplete } });
    }
  }

  async page(course: Course, asOf: AsOf, filter: LearnerFilter, after: SearchCursor | null): Promise<LearnerListPage> {
    const { query, branch } = await this.queryOf(filter);
    const { search, insights } = this.deps;
    let rows: FoundLearner[];
    let next: SearchCursor | null = null;
    let scanned = 0;
    let isPartial = false;
    if (filter.status === null) {
      const found = await search.find(course.id, query, after, LEARNERS_PER_PAGE + 1, asOf);
      rows = found.slice(0, LEARNERS_PER_PAGE);
      if (found.length > LEARNERS_PER_PAGE) next = rows.at(-1)!.cursor;
    } else {
      rows = [];
      let cursor = after;
      for (;;) {
        const chunk = await search.find(course.id, query, cursor, STATUS_CHUNK, asOf);
        if (chunk.length === 0) break;
        const statuses = await this.statusesOf(course, chunk, asOf);
        let stoppedAt: FoundLearner | null = null;
        for (const row of chunk) {
          scanned++;
          if (statuses.get(row.enrollmentId) === filter.status) rows.push(row);
          if (rows.length === LEARNERS_PER_PAGE) { stoppedAt = row; break; }
        }
        if (stoppedAt) { next = stoppedAt.cursor; break; }
        cursor = chunk.at(-1)!.cursor;
        if (chunk.length < STATUS_CHUNK) break;
        if (scanned >= MAX_SCANNED) { next = cursor; isPartial = true; break; }
      }
    }
    const views = await insights.learnerViews(course, rows, asOf);
    return {
      learners: views.map((v, i) => ({ ...v, branchCode: rows[i].branchCode, position: rows[i].position, userId: rows[i].userId })),
      next, scanned, isPartial, branch,
    };
  }

  /** Every learner the filter keeps, in the list's order, a chunk at a time (for the export). */
  async *all(course: Course, asOf: AsOf, filter: LearnerFilter): AsyncGenerator<LearnerListItem> {
    const { query } = await this.queryOf(filter);
    const budget = loopBudget();
    for (let cursor: SearchCursor | null = null; ;) {
      const chunk = await this.deps.search.find(course.id, query, cursor, STATUS_CHUNK, asOf);
      if (chunk.length === 0) return;
      cursor = chunk.at(-1)!.cursor;
      const kept = filter.status === null ? chunk : await (async () => {
        const statuses = await this.statusesOf(course, chunk, asOf);
        return chunk.filter((r) => statuses.get(r.enrollmentId) === filter.status);
      })();
      const views = await this.deps.insights.learnerViews(course, kept, asOf);
      for (let i = 0; i < views.length; i++) yield { ...views[i], branchCode: kept[i].branchCode, position: kept[i].position, userId: kept[i].userId };
      const turn = budget.checkpoint();
      if (turn) await turn;
      if (chunk.length < STATUS_CHUNK) return;
    }
  }

  /** Who a bulk action would touch, by name, for the confirmation step (unknown ids are dropped). */
  async recipients(course: Course, enrollmentIds: readonly number[]): Promise<ReminderRecipient[]> {
    return this.deps.reminders.recipientsOf(course.id, enrollmentIds.slice(0, MAX_BULK));
  }

  /** In-app reminder for each, mailed where the person has an address; one audit event. */
  async remind(actor: Principal, course: Course, asOf: AsOf, enrollmentIds: readonly number[]): Promise<BulkOutcome> {
    const people = await this.recipients(course, enrollmentIds);
    if (people.length === 0) throw new ValidationError('Choose at least one learner', [{ code: 'NO_LEARNERS', message: 'Choose at least one learner', path: 'ids' }]);
    const dueDates = await this.dueDatesOf(course, people.map((p) => p.userId), asOf);
    const sent: Array<{ userId: number; emailed: boolean }> = [];
    for (const p of people) {
      const emailed = await this.deps.notify.sendTrainerReminder(p, { title: course.title, dueDate: dueDates.get(p.userId) ?? null });
      sent.push({ userId: p.userId, emailed });
    }
    await this.deps.reminders.record({ courseId: course.id, actorId: actor.id, at: this.deps.now().toISOString(), sent });
    return { done: people.map((p) => p.name), skipped: [], emailed: sent.filter((s) => s.emailed).length };
  }

  /** One more attempt for each learner who is out of attempts; the others are listed as skipped. */
  async grantRetakes(actor: Principal, course: Course, enrollmentIds: readonly number[], reason: string): Promise<BulkOutcome> {
    const people = new Map((await this.recipients(course, enrollmentIds)).map((p) => [p.userId, p.name]));
    if (people.size === 0) throw new ValidationError('Choose at least one learner', [{ code: 'NO_LEARNERS', message: 'Choose at least one learner', path: 'ids' }]);
    const done: string[] = [];
    const skipped: string[] = [];
    for (const id of enrollmentIds.slice(0, MAX_BULK)) {
      try {
        const view = await this.deps.insights.grantRetake(actor, course.code, id, reason);
        done.push(view.name);
      } catch (error) {
        if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
        const learner = (await this.deps.reminders.recipientsOf(course.id, [id]))[0];
        if (learner) skipped.push(learner.name);
      }
    }
    return { done, skipped, emailed: 0 };
  }

  /** Reminders trainers sent this person in the last REMINDERS_SHOWN_DAYS days, newest first (the home page shows them). */
  async remindersFor(userId: number): Promise<Array<{ courseCode: string; courseTitle: string; sentAt: string }>> {
    const since = new Date(this.deps.now().getTime() - REMINDERS_SHOWN_DAYS * 86_400_000).toISOString();
    return this.deps.reminders.recentFor(userId, since);
  }

  private async queryOf(filter: LearnerFilter): Promise<{ query: LearnerQuery; branch: { code: string; name: string; path: string } | null }> {
    let branch = null;
    if (filter.branchCode) {
      const found = await this.deps.branches.findByCode(filter.branchCode);
      if (!found) throw new ValidationError('No such branch', [{ code: 'UNKNOWN_BRANCH', message: `Branch ${filter.branchCode} does not exist`, path: 'branch' }]);
      branch = { code: found.code, name: found.name, path: found.path };
    }
    const q = filter.q?.trim() || null;
    const mode = q ? (/\d/.test(q) ? 'number' : 'name') : branch ? 'branch' : 'all';
    return { query: { mode, prefix: q, branchPath: branch?.path ?? null }, branch };
  }

  private async statusesOf(course: Course, rows: readonly FoundLearner[], asOf: AsOf): Promise<Map<number, StatusFilter>> {
    const out = new Map<number, StatusFilter>();
    const assigned = new Map<number, FoundLearner>();
    for (const r of rows) {
      if (r.source === 'self') out.set(r.enrollmentId, 'self');
      else assigned.set(r.enrollmentId, r);
    }
    const userIds = [...assigned.values()].map((r) => r.userId);
    for (const [enrollmentId, tuples] of groupFactsByEnrollment(await this.deps.reports.listFactsOfUsers(userIds, asOf, course.id))) {
      const row = assigned.get(enrollmentId);
      if (row) out.set(enrollmentId, statusOfEnrollment(tuples, row.hasLeft, asOf.end, this.deps.policy).status);
    }
    return out;
  }

  private async dueDatesOf(course: Course, userIds: number[], asOf: AsOf): Promise<Map<number, string | null>> {
    const out = new Map<number, string | null>();
    for (const tuples of groupFactsByEnrollment(await this.deps.reports.listFactsOfUsers(userIds, asOf, course.id)).values()) {
      out.set(tuples[0][FACT.userId], statusOfEnrollment(tuples, false, asOf.end, this.deps.policy).dueDate);
    }
    return out;
  }
}
