import pg from 'pg';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** A pool or a client inside a transaction: what a read needs. */
export type PgQueryable = Pick<pg.Pool, 'query'>;

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Row values as the SQLite driver gives them: 64-bit ids and counts as numbers (pg hands them back
 * as strings; ids stay far below 2^53, and the audit hash covers `id` as a JSON number), NUMERIC as
 * numbers. Per pool, not pg's global type table: the LMS keeps no module state inside a host.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PgPoolOptions {
  /** Connections per node (default 10): with N nodes the server needs N × this below max_connections. */
  max?: number;
  applicationName?: string;
}

/**
 * The pool every PostgreSQL repository shares. `synchronous_commit=on` for each session whatever
 * the server's default: a commit the LMS answered is flushed to the WAL on disk (and to a synchronous
 * standby if the server has one), as `synchronous=FULL` makes it on SQLite.
 */
export function createPgPool(url: string, options: PgPoolOptions = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    application_name: options.applicationName ?? 'compliance-lms',
    options: '-c synchronous_commit=on',
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process: the pool drops it.
  pool.on('error', () => { /* the next checkout opens a new connection */ });
  return pool;
}

/** `postgres://` or `postgresql://` URLs select PostgreSQL; anything else is a configuration error. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}
