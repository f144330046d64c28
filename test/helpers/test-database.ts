/**
 * Which database the tests' apps run on: SQLite files (the default), or PostgreSQL with
 * `LMS_TEST_DB=postgres` (`npm run test:pg`). On PostgreSQL one server per test process (h18b's
 * helper, started by the root hook in postgres-hooks.ts) holds a migrated template database; each
 * app gets a fresh copy (`CREATE DATABASE … TEMPLATE`, made synchronously with psql so that
 * buildTestApp stays synchronous), dropped when the test closes the app.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { postgresBinDir } from './postgres.js';

export const TEMPLATE_DATABASE = 'lms_template';

export const testsOnPostgres = () => process.env.LMS_TEST_DB === 'postgres';

let serverUrl: string | null = null;
let made = 0;

/** Set by the root hook once the server runs and the template is migrated. */
export function setTestPostgres(url: string): void {
  serverUrl = url;
}

function psql(sql: string): void {
  execFileSync(path.join(postgresBinDir()!, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', serverUrl!, '-c', sql], { stdio: 'pipe' });
}

/** A fresh migrated PostgreSQL database for one app, and how to drop it. */
export function freshPostgresDatabase(): { url: string; drop(): void } {
  if (!serverUrl) throw new Error('LMS_TEST_DB=postgres needs the root hook: mocha --require test/helpers/postgres-hooks.ts (npm run test:pg)');
  const name = `lms_app_${process.pid}_${++made}`;
  psql(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    // After the app's pool has ended: FORCE ends anything still connected (a worker, a leaked client).
    drop: () => {
      const client = new pg.Client({ connectionString: serverUrl! });
      void client.connect().then(() => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined).finally(() => void client.end());
    },
  };
}

/** Data folder → the PostgreSQL database its test app runs on, so that `lms` child processes (run-cli.ts) use the same one. */
const databaseOfDataDir = new Map<string, string>();

export function rememberDatabaseOf(dataDir: string, url: string): void {
  databaseOfDataDir.set(dataDir, url);
}

/** `LMS_DATABASE_URL` for a CLI run against a test app's data folder (none on SQLite). */
export function databaseEnvOf(dataDir: string): Record<string, string> {
  const url = databaseOfDataDir.get(dataDir);
  return url ? { LMS_DATABASE_URL: url } : {};
}
