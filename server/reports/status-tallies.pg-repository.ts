/**
 * The status tallies on PostgreSQL: kept by the plpgsql triggers of migrations/postgres/0018; this
 * reads their size, compares them with a recount and rebuilds them (rebuild_status_tallies()). The
 * dashboard's snapshots read tallies on SQLite only for now (on PostgreSQL today's figures come
 * from the walk, see container.ts).
 */
import type { PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import type { StatusTalliesStore } from './status-tallies.repository.js';

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

export class PgStatusTalliesRepository implements StatusTalliesStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  /** How many tally rows there are (for the benchmark's report). */
  async countTallyRows(): Promise<number> {
    return (await this.deps.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM status_tallies')).rows[0].n;
  }

  /** Rows that differ between the maintained tables and a recount from the records, read at one moment. Not for requests. */
  async recountDifferences(): Promise<{ keys: number; tallies: number; people: number }> {
    return transaction(this.deps.pool, async (client) => {
      const count = async (sql: string) => (await client.query<{ n: number }>(sql)).rows[0].n;
      return { keys: await count(RECOUNT_CHECKS.keys), tallies: await count(RECOUNT_CHECKS.tallies), people: await count(RECOUNT_CHECKS.people) };
    }, { isolation: 'repeatable read', readOnly: true });
  }

  /** Recounts keys and tallies from the records, in one transaction (the CLI's rebuild-aggregates). */
  async rebuild(): Promise<void> {
    await transaction(this.deps.pool, async (client) => { await client.query('SELECT rebuild_status_tallies()'); });
  }
}
