import { expect } from 'chai';
import fs from 'node:fs';
import pg from 'pg';
import { createMigratedTestDatabase, createTestDatabase, startPostgres } from '../../helpers/postgres.js';

describe('PostgreSQL test server (test/helpers/postgres.ts)', () => {
  it('gives each call its own empty database on a real server with fsync on', async () => {
    const first = await createTestDatabase();
    const second = await createTestDatabase();
    expect(first).to.not.equal(second);
    const a = new pg.Client({ connectionString: first });
    const b = new pg.Client({ connectionString: second });
    await a.connect();
    await b.connect();
    try {
      const { rows } = await a.query<{ version: string }>('SELECT version()');
      expect(rows[0].version).to.match(/^PostgreSQL \d+/);
      expect((await a.query<{ fsync: string }>('SHOW fsync')).rows[0].fsync).to.equal('on');
      expect((await a.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0].synchronous_commit).to.equal('on');
      await a.query('CREATE TABLE only_here (id integer)');
      const seen = await b.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'only_here'");
      expect(seen.rowCount).to.equal(0);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('stops and removes its own server on close', async () => {
    const server = await startPostgres();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows[0].one).to.equal(1);
    await client.end();
    server.close();
    expect(fs.existsSync(server.dataDir)).to.equal(false);
    const late = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    let refused = false;
    try { await late.connect(); } catch { refused = true; }
    expect(refused).to.equal(true);
  });

  it('clones a migrated database per call, each with its own rows', async () => {
    const first = new pg.Client({ connectionString: await createMigratedTestDatabase() });
    const second = new pg.Client({ connectionString: await createMigratedTestDatabase() });
    await first.connect();
    await second.connect();
    try {
      const migrations = await first.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(migrations.rows[0].n).to.be.greaterThan(0);
      await first.query("INSERT INTO branches (code, name, path, depth, created_at, updated_at) VALUES ('HQ', 'HQ', '/1/', 0, 'now', 'now')");
      expect((await second.query('SELECT count(*)::int AS n FROM branches')).rows[0].n).to.equal(0);
    } finally {
      await first.end();
      await second.end();
    }
  });
});
