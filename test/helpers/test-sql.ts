/**
 * Tests that check the database read it through this, so the same test runs on SQLite and on
 * PostgreSQL (`npm run test:pg`). SQL is written with `?` placeholders (numbered `$n` for
 * PostgreSQL) in the common subset of both dialects; no `?` inside string literals.
 */
import type { LmsApp } from '../../server/app.js';

type Row = Record<string, unknown>;

export interface TestSql {
  all<T = Row>(sql: string, ...params: unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  /** The first column of every row (better-sqlite3's `.pluck().all()`). */
  column<T = unknown>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** The first column of the first row (`.pluck().get()`). */
  value<T = unknown>(sql: string, ...params: unknown[]): Promise<T>;
  /** Rows changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
}

export function sqlOf(app: LmsApp): TestSql {
  const { database } = app.lms;
  const all = async <T>(sql: string, params: unknown[]): Promise<T[]> => {
    if (database.dialect === 'sqlite') return database.db.prepare(sql).all(...params) as T[];
    let n = 0;
    return (await database.pool.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
  };
  const firstColumn = (row: Row | undefined) => (row === undefined ? undefined : Object.values(row)[0]);
  return {
    all: (sql, ...params) => all(sql, params),
    get: async (sql, ...params) => (await all<never>(sql, params))[0],
    column: async <T>(sql: string, ...params: unknown[]) => (await all<Row>(sql, params)).map((row) => firstColumn(row) as T),
    value: async <T>(sql: string, ...params: unknown[]) => firstColumn((await all<Row>(sql, params))[0]) as T,
    run: async (sql, ...params) => {
      if (database.dialect === 'sqlite') return database.db.prepare(sql).run(...params).changes;
      let n = 0;
      return (await database.pool.query(sql.replace(/\?/g, () => `$${++n}`), params)).rowCount ?? 0;
    },
  };
}
