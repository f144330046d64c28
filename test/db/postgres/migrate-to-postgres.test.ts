import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import supertest from 'supertest';
import Database from 'better-sqlite3';
import { verifyAuditChainPostgres } from '../../../server/audit/audit-verify.pg.js';
import { buildTestApp, createBranch, createUser, signIn, type TestContext } from '../../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../../helpers/launch.js';
import { createMigratedTestDatabase, createTestDatabase } from '../../helpers/postgres.js';
import { runCli } from '../../helpers/run-cli.js';

// Rows as better-sqlite3 gives them: bigint (size_bytes, counts) as numbers.
const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig;

const pathOf = (url: string) => new URL(url, 'http://x').pathname;

/** A deployment built through the app: a branch tree, people, a published course, attempts passed, failed and running. */
async function buildDeployment(): Promise<TestContext> {
  const ctx = buildTestApp();
  await createBranch(ctx.app, 'HO', null);
  await createBranch(ctx.app, 'SH', 'HO');
  await createBranch(ctx.app, 'SH01', 'SH');
  await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
  await publishCourse(ctx.app, 'tr', 'G04', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
  const outcomes = [['passed', '0.9'], ['failed', '0.4'], [null, null]] as const;
  for (const [i, [success, scaled]] of outcomes.entries()) {
    const username = `learner${i + 1}`;
    // One name carries every character COPY's text format escapes, and an empty-looking \\N.
    await createUser(ctx.app, { username, roles: ['employee'], branch: 'SH01', name: i === 2 ? 'O\'Brien \\N\t张\r\n三 \\' : `学员${i}` });
    const { agent } = await signIn(ctx.app, username);
    const launch = await openPlayer(agent as ReturnType<typeof supertest.agent>, 'G04');
    const cmi = success
      ? { completion_status: 'completed', success_status: success, score: { scaled }, exit: 'normal',
        interactions: [{ id: 'q1', type: 'choice', learner_response: success === 'passed' ? 'a' : 'b', correct_responses: [{ pattern: 'a' }], result: success === 'passed' ? 'correct' : 'incorrect', latency: 'PT5S' }] }
      : { location: 'page-2', suspend_data: '学习中', completion_status: 'incomplete', exit: 'suspend' };
    await agent.post(pathOf(launch.commitUrl)).send({ cmi, seq: 1, terminate: true }).expect(200, { result: true, errorCode: 0 });
  }
  ctx.app.lms.close();
  return ctx;
}

describe('lms migrate-to-postgres', function () {
  this.timeout(180_000);
  let ctx: TestContext;
  let dbFile: string;

  before(async () => {
    ctx = await buildDeployment();
    dbFile = path.join(ctx.dataDir, 'lms.db');
  });
  after(() => fs.rmSync(ctx.dataDir, { recursive: true, force: true }));

  it('copies every table row for row into an empty database, with the audit chain intact on both sides and ids continuing', async () => {
    const url = await createTestDatabase();
    const result = runCli(ctx.dataDir, ['migrate-to-postgres', '--from', dbFile, '--to', url]);
    expect(result.stderr).to.equal('');
    expect(result.status).to.equal(0);
    expect(result.stdout).to.match(/row counts match, audit trail intact on both sides \((\d+) events, head \1:[0-9a-f]{64}\)/);

    const sqlite = new Database(dbFile, { readonly: true });
    const client = new pg.Client({ connectionString: url, types });
    await client.connect();
    try {
      const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
      let rows = 0;
      for (const table of tables) {
        const columns = (sqlite.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((c) => `"${c.name}"`).join(', ');
        const sql = `SELECT ${columns} FROM "${table}" ORDER BY ${columns}`;
        const expected = sqlite.prepare(sql).all();
        rows += expected.length;
        // PostgreSQL sorts text by its collation, SQLite by bytes: compare as sets of rows.
        const key = (row: unknown) => JSON.stringify(row);
        expect((await client.query(sql)).rows.map(key).sort(), table).to.deep.equal(expected.map(key).sort());
      }
      for (const table of ['branches', 'users', 'course_versions', 'attempts', 'interactions', 'certificates', 'audit_events', 'sessions', 'question_tallies']) {
        expect((sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, `${table} has rows to copy`).to.be.greaterThan(0);
      }
      expect(rows).to.be.greaterThan(50);
      expect(sqlite.prepare("SELECT name FROM users WHERE username = 'learner3'").get(), 'the awkward name was stored as given').to.deep.equal({ name: 'O\'Brien \\N\t张\r\n三 \\' });

      // Keys, indexes and triggers dropped or disabled for the copy are all back, as migrations made them.
      const fresh = new pg.Client({ connectionString: await createMigratedTestDatabase() });
      await fresh.connect();
      try {
        for (const sql of [
          "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
          "SELECT conname, pg_get_constraintdef(oid) AS def, convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname",
          "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname",
        ]) {
          const want = (await fresh.query(sql)).rows;
          expect(want.length, sql).to.be.greaterThan(5);
          expect((await client.query(sql)).rows, sql).to.deep.equal(want);
        }
      } finally {
        await fresh.end();
      }

      // Identity sequences continue after the copied ids; triggers are back on.
      const maxBranch = (sqlite.prepare('SELECT max(id) AS id FROM branches').get() as { id: number }).id;
      const added = await client.query("INSERT INTO branches (code, name, path, depth, created_at, updated_at) VALUES ('NEW', 'New', '/new/', 0, 't', 't') RETURNING id");
      expect(added.rows[0].id).to.equal(maxBranch + 1);
      const head = (await client.query('SELECT last_id, last_hash FROM audit_head')).rows[0] as { last_id: number; last_hash: string };
      await client.query("INSERT INTO audit_events (at, action, subject, prev_hash, hash) VALUES ('t', 'x', 'y', $1, 'h')", [head.last_hash]);
      expect((await client.query('SELECT last_id FROM audit_head')).rows[0].last_id).to.equal(head.last_id + 1);
      let refused = false;
      try { await client.query("UPDATE audit_events SET action = 'edited' WHERE id = 1"); } catch { refused = true; }
      expect(refused, 'audit_events append-only again').to.equal(true);
    } finally {
      await client.end();
      sqlite.close();
    }

    const again = runCli(ctx.dataDir, ['migrate-to-postgres', '--from', dbFile, '--to', url]);
    expect(again.status).to.equal(1);
    expect(again.stderr).to.match(/target database is not empty/);
  });

  it('refuses a source behind this LMS\'s migrations, and its PostgreSQL audit check finds an edited event', async () => {
    const older = path.join(ctx.dataDir, 'older.db');
    const source = new Database(dbFile, { readonly: true });
    await source.backup(older);
    source.close();
    const db = new Database(older);
    db.exec('DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)');
    db.close();
    const refused = runCli(ctx.dataDir, ['migrate-to-postgres', '--from', older, '--to', await createTestDatabase()]);
    expect(refused.status).to.equal(1);
    expect(refused.stderr).to.match(/lacks migrations \d{4}_\w+\.sql: start this LMS version on it once/);

    const url = await createTestDatabase();
    expect(runCli(ctx.dataDir, ['migrate-to-postgres', '--from', dbFile, '--to', url]).status).to.equal(0);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect((await verifyAuditChainPostgres(pool)).ok).to.equal(true);
      // Someone with the table owner's rights turns the guard off and edits event 2.
      await pool.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      await pool.query("UPDATE audit_events SET action = 'course.deleted' WHERE id = 2");
      const broken = await verifyAuditChainPostgres(pool);
      expect(broken.ok).to.equal(false);
      expect(broken.firstBad).to.deep.equal({ id: 2, reason: 'content does not match its hash (edited)' });
    } finally {
      await pool.end();
    }
  });
});
