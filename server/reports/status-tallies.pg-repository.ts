/**
 * The status tallies on PostgreSQL: kept by the plpgsql triggers of migrations/postgres/0018; this
 * reads their size, compares them with a recount and rebuilds them (rebuild_status_tallies()),
 * and gives the dashboard's snapshot its reads inside one repeatable-read transaction.
 */
import type { PgPool, PgQueryable } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import { named } from '../db/postgres/named.js';
import { subtreeRange } from '../shared/branch-path.js';
import { CERTIFICATION_STATUSES } from '../certification/status-rules.js';
import { COUNTS_SQL, PEOPLE_SQL, type StatusTalliesStore, type SubtreeCounts, type TallyDates } from './status-tallies.repository.js';
import { toBranch, type BranchRow } from './reports.repository.js';
import { PgReportsRepository } from './reports.pg-repository.js';
import type { SnapshotReads } from './branch-snapshot.js';

const KEY_COLUMNS = 'enrollment_id, user_id, branch_id, course_id, expiry, due, progress, left_on';
const RECOUNT_CHECKS = {
  keys: `SELECT COUNT(*) AS n FROM (
    (SELECT ${KEY_COLUMNS} FROM status_keys EXCEPT SELECT ${KEY_COLUMNS} FROM enrollment_status_source)
    UNION ALL
    (SELECT ${KEY_COLUMNS} FROM enrollment_status_source EXCEPT SELECT ${KEY_COLUMNS} FROM status_keys)) d`,
  tallies: `WITH recount AS (SELECT branch_id, course_id, expiry, due, progress, left_on, COUNT(*) AS n
      FROM enrollment_status_source GROUP BY 1, 2, 3, 4, 5, 6)
    SELECT COUNT(*) AS n FROM (
      (SELECT branch_id, course_id, expiry, due, progress, left_on, n::bigint FROM status_tallies EXCEPT SELECT * FROM recount)
      UNION ALL
      (SELECT * FROM recount EXCEPT SELECT branch_id, course_id, expiry, due, progress, left_on, n::bigint FROM status_tallies)) d`,
  people: `WITH keys AS (SELECT * FROM enrollment_status_source),
    recount AS (SELECT u.branch_id, CASE WHEN u.status = 'left' THEN COALESCE(u.left_at, '0000-00-00') ELSE '' END COLLATE "C" AS left_on,
        CASE WHEN (SELECT COUNT(*) FROM keys k WHERE k.user_id = u.id) > 0 THEN 1 ELSE 0 END AS has_courses,
        COALESCE((SELECT min(k.expiry) FROM keys k WHERE k.user_id = u.id), '') COLLATE "C" AS min_expiry
      FROM users u WHERE u.branch_id IS NOT NULL),
    tallies AS (SELECT branch_id, left_on, has_courses, min_expiry, COUNT(*) AS n FROM recount GROUP BY 1, 2, 3, 4)
    SELECT COUNT(*) AS n FROM (
      (SELECT branch_id, left_on, has_courses, min_expiry, n::bigint FROM person_tallies EXCEPT SELECT * FROM tallies)
      UNION ALL
      (SELECT * FROM tallies EXCEPT SELECT branch_id, left_on, has_courses, min_expiry, n::bigint FROM person_tallies)) d`,
};

const ROLLUP_TABLES = ['status_expiry_rollups', 'status_due_rollups', 'status_joint_rollups', 'person_rollups'];

export class PgStatusTalliesRepository implements StatusTalliesStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  /** How many tally rows there are (for the benchmark's report). */
  async countTallyRows(): Promise<number> {
    return (await this.deps.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM status_tallies')).rows[0].n;
  }

  /** Rows that differ between the maintained tables and a recount from the records, read at one moment. Not for requests. */
  async recountDifferences(): Promise<{ keys: number; tallies: number; people: number; rollups: number }> {
    const tallies = await transaction(this.deps.pool, async (client) => {
      const count = async (sql: string) => (await client.query<{ n: number }>(sql)).rows[0].n;
      return { keys: await count(RECOUNT_CHECKS.keys), tallies: await count(RECOUNT_CHECKS.tallies), people: await count(RECOUNT_CHECKS.people) };
    }, { isolation: 'repeatable read', readOnly: true });
    return { ...tallies, rollups: await this.rollupDifferences() };
  }

  /**
   * Rollup rows (n ≠ 0) that differ from a recount: the rollups are rebuilt from the tallies inside a
   * transaction that is rolled back, and compared with what was kept before (the recount lives in
   * rebuild_status_rollups(), migrations/postgres/0020, so it is not written twice).
   */
  private async rollupDifferences(): Promise<number> {
    const client = await this.deps.pool.connect();
    try {
      await client.query('BEGIN');
      for (const table of ROLLUP_TABLES) await client.query(`CREATE TEMP TABLE kept_${table} ON COMMIT DROP AS SELECT * FROM ${table} WHERE n <> 0`);
      await client.query('SELECT rebuild_status_rollups()');
      let differences = 0;
      for (const table of ROLLUP_TABLES) {
        differences += (await client.query<{ n: number }>(`SELECT COUNT(*) AS n FROM (
          (SELECT * FROM kept_${table} EXCEPT SELECT * FROM ${table} WHERE n <> 0)
          UNION ALL
          (SELECT * FROM ${table} WHERE n <> 0 EXCEPT SELECT * FROM kept_${table})) d`)).rows[0].n;
      }
      return differences;
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  /** Recounts the rollups from the tallies, in one transaction (a bench that fills tallies straight in). */
  async rebuildRollups(): Promise<void> {
    await transaction(this.deps.pool, async (client) => { await client.query('SELECT rebuild_status_rollups()'); });
  }

  /** Recounts keys and tallies from the records, in one transaction (the CLI's rebuild-aggregates). */
  async rebuild(): Promise<void> {
    await transaction(this.deps.pool, async (client) => { await client.query('SELECT rebuild_status_tallies()'); });
  }
}

// The SQLite statements read as they are on PostgreSQL (the key columns are COLLATE "C", compared bytewise as SQLite does).
const PG_COUNTS_SQL = COUNTS_SQL;
const PG_PEOPLE_SQL = PEOPLE_SQL.replace(/ifnull\(/g, 'COALESCE(');

/** Reads for one dashboard snapshot (branch-snapshot.ts readSnapshot), all from the same moment. */
export class PgSnapshotReads {
  constructor(private readonly deps: { pool: PgPool }) {}

  inSnapshot<T>(read: (reads: SnapshotReads) => Promise<T>): Promise<T> {
    return transaction(this.deps.pool, (client) => read(snapshotReadsOn(client)), { isolation: 'repeatable read', readOnly: true });
  }
}

function snapshotReadsOn(client: PgQueryable): SnapshotReads {
  const reports = new PgReportsRepository({ pool: client });
  return {
    courses: () => reports.listCourses(),
    childBranches: async (parentId) => (await client.query<BranchRow & { has_children: boolean }>(`SELECT b.id, b.code, b.name, b.parent_id, p.code AS parent_code, b.path, b.depth,
        EXISTS (SELECT 1 FROM branches g WHERE g.parent_id = b.id) AS has_children
        FROM branches b JOIN branches p ON p.id = b.parent_id WHERE b.parent_id = $1 ORDER BY b.code`, [parentId])).rows
      .map((row) => ({ ...toBranch(row)!, hasChildren: row.has_children })),
    subtreeCounts: (branch, includeSubBranches, dates) => subtreeCounts(client, branch.path, includeSubBranches, dates),
    staffPage: (branchId, asOf, page) => reports.listStaffPage(branchId, asOf, page),
    facts: (userIds, asOf) => reports.listFactsOfUsers(userIds, asOf, null),
  };
}

async function subtreeCounts(client: PgQueryable, path: string, includeSubBranches: boolean, dates: TallyDates): Promise<SubtreeCounts> {
  const range = includeSubBranches ? subtreeRange(path) : { from: path, to: `${path}\u0001` };
  const byCourse = new Map<number, number[]>();
  const counts = named(PG_COUNTS_SQL, { ...range, ...dates });
  for (const row of (await client.query<{ course: number; status: number; n: number }>(counts.text, counts.values)).rows) {
    let statusCounts = byCourse.get(row.course);
    if (!statusCounts) byCourse.set(row.course, (statusCounts = new Array<number>(CERTIFICATION_STATUSES.length).fill(0)));
    statusCounts[row.status] += row.n;
  }
  const people = named(PG_PEOPLE_SQL, { ...range, ...dates });
  const row = (await client.query<{ headcount: number; people: number; compliant: number }>(people.text, people.values)).rows[0];
  return { byCourse, headcount: row.headcount, people: row.people, peopleCompliant: row.compliant };
}
