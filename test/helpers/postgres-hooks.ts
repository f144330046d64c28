/**
 * Mocha root hooks for `LMS_TEST_DB=postgres` (npm run test:pg): starts this process's PostgreSQL
 * server and migrates the template database every test app copies (test-database.ts).
 */
import path from 'node:path';
import pg from 'pg';
import { sharedPostgres } from './postgres.js';
import { setTestPostgres, TEMPLATE_DATABASE, testsOnPostgres } from './test-database.js';
import { migratePostgres } from '../../server/db/postgres/migrate-postgres.js';
import { PROJECT_ROOT } from '../../server/config.js';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    if (!testsOnPostgres()) return;
    this.timeout(120_000);
    const server = await sharedPostgres();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    } finally {
      await admin.end();
    }
    const templateUrl = server.url.replace(/\/[^/]*$/, `/${TEMPLATE_DATABASE}`);
    const pool = new pg.Pool({ connectionString: templateUrl, max: 1 });
    try {
      await migratePostgres(pool, path.join(PROJECT_ROOT, 'migrations', 'postgres'));
    } finally {
      await pool.end();
    }
    setTestPostgres(server.url);
  },
};
