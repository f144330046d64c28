/**
 * `app.lms.db` for tests on PostgreSQL (LMS_TEST_DB=postgres): the few better-sqlite3 calls tests
 * make to check the database — prepare(sql).get/all/run, pluck(), raw() — answered synchronously
 * by psql on the app's database, so that a test reading "what was written" runs on both dialects
 * unchanged. Parameters (`?` or `@name`) are inlined as literals (tests' own values only); rows
 * come back through json_agg, booleans as 1/0 as SQLite gives them. SQL must be valid on both.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { postgresBinDir } from './postgres.js';

type Params = unknown[];

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** `?` in order, or `@name` from one object argument. */
function inline(sql: string, params: Params): string {
  if (params.length === 1 && params[0] !== null && typeof params[0] === 'object') {
    const named = params[0] as Record<string, unknown>;
    return sql.replace(/@(\w+)/g, (_m, name: string) => literal(named[name]));
  }
  let next = 0;
  return sql.replace(/\?/g, () => literal(params[next++]));
}

function sqliteValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

export function pgSyncDb(url: string) {
  const psql = (sql: string, quiet: boolean) => execFileSync(path.join(postgresBinDir()!, 'psql'),
    ['-X', ...(quiet ? ['-q'] : []), '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const query = (sql: string): Array<Record<string, unknown>> => {
    const out = psql(`SELECT COALESCE(json_agg(row_to_json(t)), '[]') FROM (${sql}) t`, true);
    return (JSON.parse(out.trim()) as Array<Record<string, unknown>>)
      .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, sqliteValue(value)])));
  };
  return {
    prepare(sql: string) {
      let shape: 'row' | 'pluck' | 'raw' = 'row';
      const rows = (params: Params) => query(inline(sql, params)).map((row) => {
        if (shape === 'pluck') return Object.values(row)[0];
        if (shape === 'raw') return Object.values(row);
        return row;
      });
      const statement = {
        pluck() { shape = 'pluck'; return statement; },
        raw() { shape = 'raw'; return statement; },
        all: (...params: Params) => rows(params),
        get: (...params: Params) => rows(params)[0],
        iterate: (...params: Params) => rows(params)[Symbol.iterator](),
        run: (...params: Params) => {
          if (/^\s*INSERT\b/i.test(sql) && !/\bRETURNING\b/i.test(sql)) {
            // The new rows come back, so lastInsertRowid is the last one's id (fixtures chain on it).
            const out = psql(`WITH ins AS (${inline(sql, params)} RETURNING *) SELECT COALESCE(json_agg(row_to_json(ins)), '[]') FROM ins`, true);
            const inserted = JSON.parse(out.trim()) as Array<{ id?: number }>;
            return { changes: inserted.length, lastInsertRowid: inserted.at(-1)?.id ?? 0 };
          }
          const tag = psql(inline(sql, params), false).trim().split('\n').at(-1) ?? '';
          return { changes: Number(/ (\d+)$/.exec(tag)?.[1] ?? 0), lastInsertRowid: 0 };
        },
      };
      return statement;
    },
    /** Runs `work` as it is: each statement commits on its own (no test here needs the rollback). */
    transaction<A extends unknown[], R>(work: (...args: A) => R) {
      return Object.assign((...args: A) => work(...args), { immediate: (...args: A) => work(...args) });
    },
    get open() { return true; },
    close() { /* the app's pool is the connection; nothing to close here */ },
  };
}
