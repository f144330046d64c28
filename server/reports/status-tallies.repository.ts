/**
 * Dashboard figures for today or a later date from the status tallies kept by triggers (migration
 * status_tallies; the key is explained there): a subtree's counts are one indexed sum over its
 * branches' tallies, the status of each key decided in the query for the asked date. A past date
 * needs the records as they stood then (and where people sat), which only the walk has.
 *
 * The recount methods are the full scans the tallies replace: for `lms rebuild-aggregates` and the
 * tests that hold the maintained tables to a from-scratch count; never on a request.
 */
import type { Db } from '../db/open-database.js';
import type { PublicOf } from '../db/store.js';
import { CERTIFICATION_STATUSES, type CertificationStatus } from '../certification/status-rules.js';
import { subtreeRange } from '../shared/branch-path.js';

/** The as-of day and its neighbours, as stored dates compare with them (see tallyDates). */
export interface TallyDates {
  /** D and its last instant (ISO UTC). */
  date: string; end: string;
  /** The day before D: a deadline on or before it has passed by D. */
  prevDate: string; prevEnd: string;
  /** D plus the expiring window: a certificate expiring by then is `expiring`. */
  windowDate: string; windowEnd: string;
}

export interface SubtreeCounts {
  /** Per course id: counted enrollments per status (CERTIFICATION_STATUSES order). */
  byCourse: Map<number, number[]>;
  /** People at work; of them, those with an assigned course; of those, every course certified. */
  headcount: number; people: number; peopleCompliant: number;
}

// A stored date on or before a day: a bare local date compares with the date, an instant with
// the day's last instant (the reports' convention).
const onOrBefore = (column: string, day: 'date' | 'prevDate' | 'windowDate') => {
  const end = day === 'date' ? 'end' : day === 'prevDate' ? 'prevEnd' : 'windowEnd';
  return `(CASE WHEN length(${column}) = 10 THEN ${column} <= @${day} ELSE ${column} <= @${end} END)`;
};
const IS_AT_WORK = (alias: string) => `(${alias}.left_on = '' OR NOT ${onOrBefore(`${alias}.left_on`, 'date')})`;
const index = (status: CertificationStatus) => CERTIFICATION_STATUSES.indexOf(status);

// The status rules' precedence over a key, as CERTIFICATION_STATUSES indexes.
const STATUS_OF_KEY = `CASE
    WHEN t.expiry <> '' AND NOT ${onOrBefore('t.expiry', 'prevDate')}
      THEN CASE WHEN ${onOrBefore('t.expiry', 'windowDate')} THEN ${index('expiring')} ELSE ${index('certified')} END
    WHEN t.due <> '' AND ${onOrBefore('t.due', 'prevDate')} THEN ${index('overdue')}
    WHEN t.expiry <> '' THEN ${index('expired')}
    ELSE t.progress END`;

export const COUNTS_SQL = `SELECT t.course_id AS course, ${STATUS_OF_KEY} AS status, SUM(t.n) AS n
  FROM branches b JOIN status_tallies t ON t.branch_id = b.id
  WHERE b.path >= @from AND b.path < @to AND ${IS_AT_WORK('t')}
  GROUP BY 1, 2`;

export const PEOPLE_SQL = `SELECT ifnull(SUM(p.n), 0) AS headcount, ifnull(SUM(p.n * p.has_courses), 0) AS people,
    ifnull(SUM(CASE WHEN p.has_courses = 1 AND p.min_expiry <> '' AND NOT ${onOrBefore('p.min_expiry', 'prevDate')} THEN p.n ELSE 0 END), 0) AS compliant
  FROM branches b JOIN person_tallies p ON p.branch_id = b.id
  WHERE b.path >= @from AND b.path < @to AND ${IS_AT_WORK('p')}`;

const REBUILD_SQL = [
  `INSERT INTO status_tallies_rebuilding (since) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
  'DELETE FROM status_keys',
  'DELETE FROM status_tallies',
  'DELETE FROM person_keys',
  'DELETE FROM person_tallies',
  'INSERT INTO status_keys SELECT * FROM enrollment_status_source',
  `INSERT INTO status_tallies (branch_id, course_id, expiry, due, progress, left_on, n)
    SELECT branch_id, course_id, expiry, due, progress, left_on, COUNT(*) FROM status_keys GROUP BY 1, 2, 3, 4, 5, 6`,
  'INSERT INTO person_keys SELECT * FROM person_status_source',
  `INSERT INTO person_tallies (branch_id, left_on, has_courses, min_expiry, n)
    SELECT branch_id, left_on, courses > 0, min_expiry, COUNT(*) FROM person_keys GROUP BY 1, 2, 3, 4`,
  'DELETE FROM status_tallies_rebuilding',
];

// Differences between the maintained tables and a recount from the records (both directions).
const KEY_COLUMNS = 'enrollment_id, user_id, branch_id, course_id, expiry, due, progress, left_on';
const RECOUNT_CHECKS = {
  keys: `SELECT COUNT(*) FROM (
    SELECT ${KEY_COLUMNS} FROM status_keys EXCEPT SELECT ${KEY_COLUMNS} FROM enrollment_status_source
    UNION ALL
    SELECT ${KEY_COLUMNS} FROM enrollment_status_source EXCEPT SELECT ${KEY_COLUMNS} FROM status_keys)`,
  tallies: `WITH recount AS (SELECT branch_id, course_id, expiry, due, progress, left_on, COUNT(*) AS n
      FROM enrollment_status_source GROUP BY 1, 2, 3, 4, 5, 6)
    SELECT COUNT(*) FROM (
      SELECT * FROM status_tallies EXCEPT SELECT * FROM recount
      UNION ALL
      SELECT * FROM recount EXCEPT SELECT * FROM status_tallies)`,
  people: `WITH keys AS (SELECT * FROM enrollment_status_source),
    recount AS (SELECT u.branch_id, CASE WHEN u.status = 'left' THEN ifnull(u.left_at, '0000-00-00') ELSE '' END AS left_on,
        (SELECT COUNT(*) FROM keys k WHERE k.user_id = u.id) > 0 AS has_courses,
        ifnull((SELECT min(k.expiry) FROM keys k WHERE k.user_id = u.id), '') AS min_expiry
      FROM users u WHERE u.branch_id IS NOT NULL),
    tallies AS (SELECT branch_id, left_on, has_courses, min_expiry, COUNT(*) AS n FROM recount GROUP BY 1, 2, 3, 4)
    SELECT COUNT(*) FROM (
      SELECT * FROM person_tallies EXCEPT SELECT * FROM tallies
      UNION ALL
      SELECT * FROM tallies EXCEPT SELECT * FROM person_tallies)`,
};

export class StatusTalliesRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      counts: db.prepare(COUNTS_SQL),
      people: db.prepare(PEOPLE_SQL),
      tallyRows: db.prepare('SELECT COUNT(*) FROM status_tallies').pluck(),
      checks: {
        keys: db.prepare(RECOUNT_CHECKS.keys).pluck(), tallies: db.prepare(RECOUNT_CHECKS.tallies).pluck(), people: db.prepare(RECOUNT_CHECKS.people).pluck(),
      },
    };
  }

  /**
   * Runs `read` in one read transaction: everything it reads comes from the same moment, whatever
   * is written meanwhile (WAL readers keep their snapshot). `read` must be synchronous.
   */
  inSnapshot<T>(read: () => T): T {
    return this.deps.db.transaction(read)();
  }

  /** Counts of a branch path's subtree (or of the branch alone) on the day `dates` describe. Synchronous. */
  subtreeCounts(path: string, includeSubBranches: boolean, dates: TallyDates): SubtreeCounts {
    const range = includeSubBranches ? subtreeRange(path) : { from: path, to: `${path}\u0001` };
    const byCourse = new Map<number, number[]>();
    for (const row of this.stmts.counts.all({ ...range, ...dates }) as Array<{ course: number; status: number; n: number }>) {
      let counts = byCourse.get(row.course);
      if (!counts) byCourse.set(row.course, (counts = new Array<number>(CERTIFICATION_STATUSES.length).fill(0)));
      counts[row.status] += row.n;
    }
    const people = this.stmts.people.get({ ...range, ...dates }) as { headcount: number; people: number; compliant: number };
    return { byCourse, headcount: people.headcount, people: people.people, peopleCompliant: people.compliant };
  }

  /** How many tally rows there are (for the benchmark's report). */
  async countTallyRows(): Promise<number> {
    return this.stmts.tallyRows.get() as number;
  }

  /** Rows that differ between the maintained tables and a recount from the records. Not for requests. */
  async recountDifferences(): Promise<{ keys: number; tallies: number; people: number }> {
    const { checks } = this.stmts;
    return { keys: checks.keys.get() as number, tallies: checks.tallies.get() as number, people: checks.people.get() as number };
  }

  /** Recounts keys and tallies from the records, in one transaction (the CLI's rebuild-aggregates). */
  async rebuild(): Promise<void> {
    const { db } = this.deps;
    db.transaction(() => {
      for (const sql of REBUILD_SQL) db.prepare(sql).run();
    }).immediate();
  }
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type StatusTalliesStore = Omit<PublicOf<StatusTalliesRepository>, 'inSnapshot' | 'subtreeCounts'>;
