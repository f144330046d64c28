import type { PgClient, PgPool } from './pool.js';

/** Fixed keys (any numbers, distinct from the migration runner's): the daily job's run and its day's claim. */
export const DAILY_JOB_RUN_LOCK = 7_318_400_101;
export const DAILY_JOB_CLAIM_LOCK = 7_318_400_102;

/**
 * Runs `work` holding a session-level advisory lock on a connection of its own, waiting for it if
 * another node holds it: the daily job never runs on two nodes at once. A node that dies releases
 * the lock with its connection.
 */
export async function withAdvisoryLock<T>(pool: PgPool, key: number, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}

/**
 * Claims a scheduled run for this node: `pg_try_advisory_lock`, kept for `holdMs` after the claim
 * (then unlocked), so that the other nodes, whose timers fire at the same local hour give or take
 * their clocks' skew, find it taken and skip. Null when another node holds it; otherwise a release
 * for shutdown.
 */
export async function claimForWindow(pool: PgPool, key: number, holdMs: number): Promise<{ release(): void } | null> {
  const client: PgClient = await pool.connect();
  let claimed = false;
  try {
    claimed = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key])).rows[0].ok;
  } finally {
    if (!claimed) client.release();
  }
  if (!claimed) return null;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    // Unlocking on the same connection; a connection that is already gone has released it anyway.
    void client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined).finally(() => client.release());
  };
  const timer = setTimeout(release, holdMs);
  timer.unref();
  return { release };
}
