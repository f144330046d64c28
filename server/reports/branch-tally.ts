/**
 * Counting certification statuses per branch and rolling them up the tree. Pure.
 *
 * Every figure counts (employee, assigned course) pairs, except headcount, which counts people.
 * Leavers and enrollments assigned after the as-of date are not counted (the status rules'
 * isCounted). The branch report has no `failed` column: an employee whose last attempt failed has
 * started and not yet passed, so `failed` is counted in `in_progress` there (the dashboard's
 * course chart shows it on its own). compliance_rate = (certified + expiring) / assigned.
 *
 * Compliance is also counted per person: `people` are the counted people with at least one
 * counted course, `people_compliant` those of them with every counted course certified or
 * expiring; person rate = people_compliant / people.
 */
import type { CertificationStatus } from '../certification/status-rules.js';
import type { ReportCell } from './export-columns.js';
import type { ReportBranch } from './reports.repository.js';

export const TALLY_FIELDS = [
  'headcount', 'assigned', 'certified', 'expiring', 'expired', 'overdue', 'in_progress', 'failed', 'not_started', 'people', 'people_compliant',
] as const;
export type TallyField = (typeof TALLY_FIELDS)[number];

const INDEX = Object.fromEntries(TALLY_FIELDS.map((field, i) => [field, i])) as Record<TallyField, number>;

export type Tally = Int32Array;

export function emptyTally(): Tally {
  return new Int32Array(TALLY_FIELDS.length);
}

export function countPerson(tally: Tally): void {
  tally[INDEX.headcount]++;
}

export function countStatus(tally: Tally, status: CertificationStatus, n = 1): void {
  tally[INDEX.assigned] += n;
  tally[INDEX[status]] += n;
}

/** One counted person's outcome: assigned anything at all, and every assigned course certified. */
export function countPersonOutcome(tally: Tally, hasCourses: boolean, isCompliant: boolean): void {
  if (!hasCourses) return;
  tally[INDEX.people]++;
  if (isCompliant) tally[INDEX.people_compliant]++;
}

/** Head and person counts read from elsewhere (the tallies). */
export function countPeople(tally: Tally, headcount: number, people: number, compliant: number): void {
  tally[INDEX.headcount] += headcount;
  tally[INDEX.people] += people;
  tally[INDEX.people_compliant] += compliant;
}

export function read(tally: Tally, field: TallyField): number {
  return tally[INDEX[field]];
}

export function addInto(target: Tally, source: Tally): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i];
}

/** Certified or expiring over assigned; null when nothing is assigned. */
export function complianceRate(tally: Tally): number | null {
  const assigned = read(tally, 'assigned');
  return assigned === 0 ? null : (read(tally, 'certified') + read(tally, 'expiring')) / assigned;
}

/**
 * Subtree totals from each branch's own counts. `branches` come parents first (path order), so
 * walking them backwards adds every child into its parent after the child has its own total.
 */
export function rollUp(branches: readonly ReportBranch[], own: ReadonlyMap<number, Tally>): Map<number, Tally> {
  const totals = new Map<number, Tally>();
  for (const branch of branches) totals.set(branch.id, Int32Array.from(own.get(branch.id) ?? emptyTally()));
  for (let i = branches.length - 1; i >= 0; i--) {
    const branch = branches[i];
    const parent = branch.parentId === null ? undefined : totals.get(branch.parentId);
    if (parent) addInto(parent, totals.get(branch.id)!);
  }
  return totals;
}

/** People with every course certified or expiring over people with any course; null when none. */
export function personComplianceRate(tally: Tally): number | null {
  const people = read(tally, 'people');
  return people === 0 ? null : read(tally, 'people_compliant') / people;
}

/** A BRANCH_COLUMNS row. */
export function branchCells(branch: ReportBranch, tally: Tally): ReportCell[] {
  return [
    branch.code, branch.name, branch.parentCode,
    read(tally, 'headcount'), read(tally, 'assigned'), read(tally, 'certified'), read(tally, 'expiring'), read(tally, 'expired'),
    read(tally, 'overdue'), read(tally, 'in_progress') + read(tally, 'failed'), read(tally, 'not_started'), complianceRate(tally),
  ];
}

export interface BranchFigures {
  code: string; name: string; depth: number; hasChildren: boolean;
  headcount: number; assigned: number; certified: number; expiring: number; expired: number; overdue: number;
  inProgress: number; failed: number; notStarted: number;
  /** Per enrollment: (certified + expiring) / assigned. */
  complianceRate: number | null;
  /** Per person: people with every course certified / people with any course. */
  people: number; peopleCompliant: number; personRate: number | null;
}

export function figuresOf(branch: ReportBranch, tally: Tally, hasChildren: boolean): BranchFigures {
  return {
    code: branch.code, name: branch.name, depth: branch.depth, hasChildren,
    headcount: read(tally, 'headcount'), assigned: read(tally, 'assigned'), certified: read(tally, 'certified'),
    expiring: read(tally, 'expiring'), expired: read(tally, 'expired'), overdue: read(tally, 'overdue'),
    inProgress: read(tally, 'in_progress'), failed: read(tally, 'failed'), notStarted: read(tally, 'not_started'),
    complianceRate: complianceRate(tally),
    people: read(tally, 'people'), peopleCompliant: read(tally, 'people_compliant'), personRate: personComplianceRate(tally),
  };
}
