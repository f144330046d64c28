/**
 * Dashboard figures for today or a later date from the status tallies kept by triggers (migration
 * status_tallies; the key is explained there): a subtree's counts are one indexed sum over its
 * branches' tallies, the status of each key decided in the query for the asked date. A past date
 * needs the records as they stood then (and where people sat), which only the walk has.
 *
 * A subtree (a branch with everything under it) is read from the rollups kept at its top branch
 * (migration status_rollups): a few rows per distinct day its keys hold, whatever its size; a
 * branch alone from its own tallies.
 *
 * The recount methods are the full scans the tallies replace: for `lms rebuild-aggregates` and the
 * tests that hold the maintained tables to a from-scratch count; never on a request.
 */
import type { Db } from '../db/open-database.js';
import { CERTIFICATION_STATUSES, type CertificationStatus } from '../certification/status-rules.js';

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
/** status_due_rollups.progress of a key holding a certificate (its expiry decides; not a status index). */
const HAS_CERTIFICATE = 7;

// The status rules' precedence over a key, as CERTIFICATION_STATUSES indexes.
const STATUS_OF_KEY = `CASE
    WHEN t.expiry <> '' AND NOT ${onOrBefore('t.expiry', 'prevDate')}
      THEN CASE WHEN ${onOrBefore('t.expiry', 'windowDate')} THEN ${index('expiring')} ELSE ${index('certified')} END
    WHEN t.due <> '' AND ${onOrBefore('t.due', 'prevDate')} THEN ${index('overdue')}
    WHEN t.expiry <> '' THEN ${index('expired')}
    ELSE t.progress END`;

const COUNTS_SQL = `SELECT t.course_id AS course, ${STATUS_OF_KEY} AS status, SUM(t.n) AS n
  FROM branches b JOIN status_tallies t ON t.branch_id = b.id
  WHERE b.path >= @from AND b.path < @to AND ${IS_AT_WORK('t')}
  GROUP BY 1, 2`;

const PEOPLE_SQL = `SELECT ifnull(SUM(p.n), 0) AS headcount, ifnull(SUM(p.n * p.has_courses), 0) AS people,
    ifnull(SUM(CASE WHEN p.has_courses = 1 AND p.min_expiry <> '' AND NOT ${onOrBefore('p.min_expiry', 'prevDate')} THEN p.n ELSE 0 END), 0) AS compliant
  FROM branches b JOIN person_tallies p ON p.branch_id = b.id
  WHERE b.path >= @from AND b.path < @to AND ${IS_AT_WORK('p')}`;

// Subtree figures from the rollups at its top branch (migration status_rollups explains the split):
// a certificate's expiry decides certified / expiring / lapsed; a passed due makes any key overdue
// (a lapsed one too, so it leaves expired); otherwise the key's progress. Whole keys (leavers, and
// the few the split cannot answer) are read as the per-branch tallies are; leavers only when they
// leave after the day before D (the rest are gone by then).
const ROLLUP_COUNTS_SQL = `SELECT course, status, SUM(n) AS n FROM (
    SELECT course_id AS course, CASE WHEN ${onOrBefore('expiry', 'prevDate')} THEN ${index('expired')}
      WHEN ${onOrBefore('expiry', 'windowDate')} THEN ${index('expiring')} ELSE ${index('certified')} END AS status, n
    FROM status_expiry_rollups WHERE branch_id = @id
    UNION ALL
    SELECT course_id, CASE WHEN due <> '' AND ${onOrBefore('due', 'prevDate')} THEN ${index('overdue')} ELSE progress END, n
    FROM status_due_rollups WHERE branch_id = @id AND progress <> ${HAS_CERTIFICATE}
    UNION ALL
    SELECT course_id, ${index('overdue')}, n FROM status_due_rollups
    WHERE branch_id = @id AND progress = ${HAS_CERTIFICATE} AND due <> '' AND ${onOrBefore('due', 'prevDate')}
    UNION ALL
    SELECT course_id, ${index('expired')}, -n FROM status_due_rollups
    WHERE branch_id = @id AND progress = ${HAS_CERTIFICATE} AND due <> '' AND ${onOrBefore('due', 'prevDate')}
    UNION ALL
    SELECT t.course_id, ${STATUS_OF_KEY}, t.n FROM status_joint_rollups t WHERE t.branch_id = @id AND t.left_on = ''
    UNION ALL
    SELECT t.course_id, ${STATUS_OF_KEY}, t.n FROM status_joint_rollups t
    WHERE t.branch_id = @id AND t.left_on > @prevDate AND ${IS_AT_WORK('t')}
  ) GROUP BY 1, 2`;

const ROLLUP_PEOPLE_SQL = `SELECT ifnull(SUM(p.n), 0) AS headcount, ifnull(SUM(p.n * p.has_courses), 0) AS people,
    ifnull(SUM(CASE WHEN p.has_courses = 1 AND p.min_expiry <> '' AND NOT ${onOrBefore('p.min_expiry', 'prevDate')} THEN p.n ELSE 0 END), 0) AS compliant
  FROM (SELECT * FROM person_rollups WHERE branch_id = @id AND left_on = ''
    UNION ALL
    SELECT * FROM person_rollups WHERE branch_id = @id AND left_on > @prevDate) p
  WHERE ${IS_AT_WORK('p')}`;

// Which tally rows the rollups keep whole (migration status_rollups). Rollup rows at 0 stay there.
const IS_JOINT = (t: string) => `(${t}.left_on <> '' OR (${t}.expiry <> '' AND ${t}.due <> '' AND (substr(${t}.due, 1, 10) < substr(${t}.expiry, 1, 10)
    OR (substr(${t}.due, 1, 10) = substr(${t}.expiry, 1, 10) AND (length(${t}.expiry) <> 10 OR length(${t}.due) <> 10)))))`;
const ROLLUP_SOURCES = {
  status_expiry_rollups: `SELECT a.ancestor_id, t.course_id, t.expiry, SUM(t.n) FROM status_tallies t JOIN branch_ancestors a ON a.branch_id = t.branch_id
    WHERE t.expiry <> '' AND NOT ${IS_JOINT('t')} GROUP BY 1, 2, 3`,
  status_due_rollups: `SELECT a.ancestor_id, t.course_id, t.due, CASE WHEN t.expiry <> '' THEN ${HAS_CERTIFICATE} ELSE t.progress END, SUM(t.n)
    FROM status_tallies t JOIN branch_ancestors a ON a.branch_id = t.branch_id WHERE NOT ${IS_JOINT('t')} GROUP BY 1, 2, 3, 4`,
  status_joint_rollups: `SELECT a.ancestor_id, t.left_on, t.course_id, t.expiry, t.due, t.progress, SUM(t.n)
    FROM status_tallies t JOIN branch_ancestors a ON a.branch_id = t.branch_id WHERE ${IS_JOINT('t')} GROUP BY 1, 2, 3, 4, 5, 6`,
  person_rollups: `SELECT a.ancestor_id, p.left_on, p.has_courses, p.min_expiry, SUM(p.n)
    FROM person_tallies p JOIN branch_ancestors a ON a.branch_id = p.branch_id GROUP BY 1, 2, 3, 4`,
};
const ROLLUP_REBUILD_SQL = Object.entries(ROLLUP_SOURCES).flatMap(([table, source]) => [`DELETE FROM ${table}`, `INSERT INTO ${table} ${source}`]);
const ROLLUP_CHECK_SQL = `SELECT ${Object.entries(ROLLUP_SOURCES).map(([table, source]) => `(SELECT COUNT(*) FROM (
    SELECT * FROM (SELECT * FROM ${table} WHERE n <> 0 EXCEPT ${source})
    UNION ALL
    SELECT * FROM (${source} EXCEPT SELECT * FROM ${table} WHERE n <> 0)))`).join(' + ')}`;

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
  ...ROLLUP_REBUILD_SQL,
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
      rollupCounts: db.prepare(ROLLUP_COUNTS_SQL),
      rollupPeople: db.prepare(ROLLUP_PEOPLE_SQL),
      tallyRows: db.prepare('SELECT COUNT(*) FROM status_tallies').pluck(),
      checks: {
        keys: db.prepare(RECOUNT_CHECKS.keys).pluck(), tallies: db.prepare(RECOUNT_CHECKS.tallies).pluck(), people: db.prepare(RECOUNT_CHECKS.people).pluck(),
        rollups: db.prepare(ROLLUP_CHECK_SQL).pluck(),
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

  /**
   * Counts of a branch's subtree (from the rollups at the branch) or of the branch alone (its own
   * tallies) on the day `dates` describe. Synchronous.
   */
  subtreeCounts(branch: { id: number; path: string }, includeSubBranches: boolean, dates: TallyDates): SubtreeCounts {
    const params = includeSubBranches ? { id: branch.id, ...dates } : { from: branch.path, to: `${branch.path}\u0001`, ...dates };
    const { counts, people } = includeSubBranches ? { counts: this.stmts.rollupCounts, people: this.stmts.rollupPeople } : this.stmts;
    const byCourse = new Map<number, number[]>();
    for (const row of counts.all(params) as Array<{ course: number; status: number; n: number }>) {
      let statusCounts = byCourse.get(row.course);
      if (!statusCounts) byCourse.set(row.course, (statusCounts = new Array<number>(CERTIFICATION_STATUSES.length).fill(0)));
      statusCounts[row.status] += row.n;
    }
    const heads = people.get(params) as { headcount: number; people: number; compliant: number };
    return { byCourse, headcount: heads.headcount, people: heads.people, peopleCompliant: heads.compliant };
  }

  /** How many tally rows there are (for the benchmark's report). */
  async countTallyRows(): Promise<number> {
    return this.stmts.tallyRows.get() as number;
  }

  /** Rows that differ between the maintained tables and a recount from the records. Not for requests. */
  async recountDifferences(): Promise<{ keys: number; tallies: number; people: number; rollups: number }> {
    const { checks } = this.stmts;
    return {
      keys: checks.keys.get() as number, tallies: checks.tallies.get() as number, people: checks.people.get() as number,
      rollups: checks.rollups.get() as number,
    };
  }

  /** Recounts the rollups from the tallies, in one transaction (a bench that fills tallies straight in). */
  async rebuildRollups(): Promise<void> {
    const { db } = this.deps;
    db.transaction(() => {
      for (const sql of ROLLUP_REBUILD_SQL) db.prepare(sql).run();
    }).immediate();
  }

  /** Recounts keys, tallies and rollups from the records, in one transaction (the CLI's rebuild-aggregates). */
  async rebuild(): Promise<void> {
    const { db } = this.deps;
    db.transaction(() => {
      for (const sql of REBUILD_SQL) db.prepare(sql).run();
    }).immediate();
  }
}
