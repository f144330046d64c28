/**
 * One dashboard page for today or a later date, read at one moment: the branch's figures, its
 * children's (each with every branch under it), per course, and a page of its people — all inside
 * one read transaction, so a headcount can never sit beside a list read a minute later.
 *
 * Figures come from the status tallies (a sum per child subtree, whatever the bank's size: a few
 * hundred thousand tally rows for the whole bank, see status-tallies.repository.ts); the people
 * page goes through the status rules person by person (50 at most). Synchronous by design: the
 * app runs it in the summary worker (summary-worker.ts) on its own connection; in-process only for
 * databases a worker cannot open and before the worker is ready.
 */
import { addDaysToLocalDate, endOfLocalDay } from '../certification/calendar.js';
import { CERTIFICATION_STATUSES, type CertificationPolicy, type CertificationStatus } from '../certification/status-rules.js';
import type { AsOf } from './as-of.js';
import { addInto, countPeople, countStatus, emptyTally, figuresOf, read, type BranchFigures, type Tally } from './branch-tally.js';
import { statusOfEnrollment } from './enrollment-status.js';
import { FACT, groupFactsByEnrollment, type CertificationFacts, type ReportBranch, type ReportsRepository, type StaffMember } from './reports.repository.js';
import type { StatusTalliesRepository, SubtreeCounts, TallyDates } from './status-tallies.repository.js';

export interface CourseFigures { code: string; title: string; counts: Record<CertificationStatus, number>; assigned: number }

export interface PersonFigures {
  employeeNo: string | null; name: string; position: string | null;
  assigned: number; certified: number; expiring: number; expired: number; overdue: number; inProgress: number; failed: number; notStarted: number;
}

export interface BranchSnapshot {
  figures: BranchFigures;
  /** Each child with its whole subtree rolled up, by code. */
  children: BranchFigures[];
  courses: CourseFigures[];
  /** Null when no people page was asked for. */
  people: PersonFigures[] | null;
  /** People at work in the branch itself (the list's branch), without sub-branches. */
  ownHeadcount: number;
  nextAfter: string | null;
}

export const PEOPLE_PER_PAGE = 50;

/** The days a tally key is compared with for an as-of date (see status-tallies.repository.ts). */
export function tallyDates(asOf: AsOf, policy: CertificationPolicy): TallyDates {
  const prevDate = addDaysToLocalDate(asOf.date, -1);
  const windowDate = addDaysToLocalDate(asOf.date, policy.expiringWindowDays);
  return {
    date: asOf.date, end: asOf.endIso,
    prevDate, prevEnd: endOfLocalDay(prevDate, policy.timeZone).toISOString(),
    windowDate, windowEnd: endOfLocalDay(windowDate, policy.timeZone).toISOString(),
  };
}

export class BranchSnapshotReader {
  constructor(private readonly deps: { reports: ReportsRepository; tallies: StatusTalliesRepository; policy: CertificationPolicy }) {}

  /** `after`: the people page to read (keyset by employee number, '' for the first); null for none. */
  read(branch: ReportBranch, asOf: AsOf, after: string | null): BranchSnapshot {
    if (asOf.placement !== 'current') throw new RangeError('Tallies hold today and later dates only');
    const { reports, tallies, policy } = this.deps;
    const dates = tallyDates(asOf, policy);
    return tallies.inSnapshot(() => {
      const courses = reports.coursesNow();
      const children = reports.childBranches(branch.id);
      const own = tallies.subtreeCounts(branch, false, dates);
      const childCounts = children.map((child) => tallies.subtreeCounts(child, true, dates));
      const total = tallyOf(own);
      const byCourse = new Map<number, number[]>(own.byCourse);
      for (const counts of childCounts) {
        addInto(total, tallyOf(counts));
        for (const [courseId, statusCounts] of counts.byCourse) {
          const sum = byCourse.get(courseId);
          if (sum) statusCounts.forEach((n, i) => { sum[i] += n; });
          else byCourse.set(courseId, [...statusCounts]);
        }
      }
      const people = after === null ? null : reports.staffPageNow(branch.id, asOf, { after, limit: PEOPLE_PER_PAGE + 1 });
      const page = people?.slice(0, PEOPLE_PER_PAGE) ?? null;
      return {
        figures: figuresOf(branch, total, children.length > 0),
        children: children.map((child, i) => figuresOf(child, tallyOf(childCounts[i]), child.hasChildren)),
        courses: courses.flatMap((course) => {
          const counts = byCourse.get(course.id);
          const assigned = counts ? counts.reduce((a, b) => a + b, 0) : 0;
          if (!counts || assigned === 0) return [];
          return [{ code: course.code, title: course.title, assigned, counts: countsRecord(counts) }];
        }),
        people: page === null ? null : peopleFigures(page, reports.listFactsOfUsers(page.map((p) => p.id), asOf, null), asOf, policy),
        nextAfter: people !== null && people.length > PEOPLE_PER_PAGE ? page!.at(-1)!.employeeNo : null,
        ownHeadcount: own.headcount,
      };
    });
  }
}

/** Figures of people from their facts (any number of people, one read). */
export function peopleFigures(people: readonly StaffMember[], facts: readonly CertificationFacts[], asOf: AsOf, policy: CertificationPolicy): PersonFigures[] {
  const byUser = new Map<number, CertificationFacts[]>();
  for (const tuple of facts) {
    const list = byUser.get(tuple[FACT.userId]);
    if (list) list.push(tuple);
    else byUser.set(tuple[FACT.userId], [tuple]);
  }
  return people.map((person) => {
    const tally = emptyTally();
    for (const tuples of groupFactsByEnrollment(byUser.get(person.id) ?? []).values()) {
      const result = statusOfEnrollment(tuples, person.hasLeft, asOf.end, policy);
      if (result.isCounted) countStatus(tally, result.status);
    }
    return {
      employeeNo: person.employeeNo, name: person.name, position: person.position, assigned: read(tally, 'assigned'),
      certified: read(tally, 'certified'), expiring: read(tally, 'expiring'), expired: read(tally, 'expired'), overdue: read(tally, 'overdue'),
      inProgress: read(tally, 'in_progress'), failed: read(tally, 'failed'), notStarted: read(tally, 'not_started'),
    };
  });
}

export function countsRecord(counts: readonly number[]): Record<CertificationStatus, number> {
  return Object.fromEntries(CERTIFICATION_STATUSES.map((status, i) => [status, counts[i]])) as Record<CertificationStatus, number>;
}

function tallyOf(counts: SubtreeCounts): Tally {
  const tally = emptyTally();
  for (const statusCounts of counts.byCourse.values()) {
    statusCounts.forEach((n, i) => countStatus(tally, CERTIFICATION_STATUSES[i], n));
  }
  countPeople(tally, counts.headcount, counts.people, counts.peopleCompliant);
  return tally;
}
