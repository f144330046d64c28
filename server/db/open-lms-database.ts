import path from 'node:path';
import type { LmsConfig } from '../config.js';
import type { LmsDatabase } from './database.js';
import { openDatabase, type Db } from './open-database.js';
import { migrate } from './migrate.js';
import { createPgPool } from './postgres/pool.js';
import { migratePostgres } from './postgres/migrate-postgres.js';

export interface OpenedDatabase {
  database: LmsDatabase & { close(): void };
  /**
   * The SQLite connection (CLI commands, tests and workers that read the file). On PostgreSQL it
   * throws on use, naming the mistake, rather than silently opening a second, empty SQLite file.
   */
  db: Db;
  /** Resolves when migrations are applied: at once on SQLite (synchronous), after the runner on PostgreSQL. */
  ready: Promise<void>;
}

/** SQLite in the data folder by default; PostgreSQL when a database URL is configured. */
export function openLmsDatabase(config: LmsConfig): OpenedDatabase {
  const migrations = path.join(config.projectRoot, 'migrations');
  if (config.databaseUrl) {
    const pool = createPgPool(config.databaseUrl, { max: config.databasePoolSize });
    const ready = migratePostgres(pool, path.join(migrations, 'postgres'), config.now).then(() => undefined);
    ready.catch(() => undefined); // reported to whoever awaits it (main.ts, the request gate)
    return {
      database: { dialect: 'postgres', pool, close: () => { void pool.end().catch(() => undefined); } },
      db: sqliteOnly(),
      ready,
    };
  }
  const db = openDatabase(config.databaseFile);
  migrate(db, migrations, config.now);
  return { database: { dialect: 'sqlite', db, close: () => { if (db.open) db.close(); } }, db, ready: Promise.resolve() };
}

function sqliteOnly(): Db {
  return new Proxy({} as Db, {
    get(_target, property) {
      if (property === 'open') return false;
      if (typeof property === 'symbol' || property === 'then') return undefined;
      throw new Error(`app.lms.db.${property}: the LMS runs on PostgreSQL (databaseUrl); app.lms.database.pool is its connection pool`);
    },
  });
}
