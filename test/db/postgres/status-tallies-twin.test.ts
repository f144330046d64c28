/**
 * The PostgreSQL twin of the status tallies (migration status_tallies) keeps exactly the rows the
 * SQLite triggers keep: one random sequence of writes (test/reports/status-writes.ts, the
 * generator of the SQLite recount test, widened with deletes, hires and multi-row statements) is
 * applied to a migrated SQLite database and a migrated PostgreSQL database, and every table the
 * triggers maintain — keys, tallies, people, and the course score tallies of course_aggregates —
 * is compared row for row along the way. Both recounts (SQLite's `rebuild`, PostgreSQL's
 * rebuild_status_tallies()) then leave the same rows. The per-ancestor rollups of the tallies
 * (migration status_rollups) are compared too, by their counted rows. A PostgreSQL trigger switched
 * off is caught.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../../server/config.js';
import { migrate, POSTGRES_MIGRATIONS } from '../../../server/db/migrate.js';
import { migratePostgres } from '../../../server/db/postgres/migrate-postgres.js';
import { openDatabase, type Db } from '../../../server/db/open-database.js';
import { StatusTalliesRepository } from '../../../server/reports/status-tallies.repository.js';
import { createMigratedTestDatabase, createTestDatabase } from '../../helpers/postgres.js';
import { instant, random, statusWrites, type TallyWorld, type TallyWriteStore } from '../../reports/status-writes.js';

const TRIGGER_TABLES = ['status_keys', 'status_tallies', 'person_keys', 'person_tallies', 'status_tallies_rebuilding', 'course_score_tallies', 'enrollments'];
// Per-ancestor rollups of the tallies (migration status_rollups). Rows at 0 stay on both sides, but
// PostgreSQL's AFTER ROW triggers run at the end of a multi-row statement and pass through fewer
// intermediate keys, so only rows with a count are compared (the dashboard sums n).
const ROLLUP_TABLES = ['status_expiry_rollups', 'status_due_rollups', 'status_joint_rollups', 'person_rollups'];
const COUNTED = 'WHERE n <> 0';

type Row = Record<string, unknown>;
const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();
const SQLITE_DIR = path.join(PROJECT_ROOT, 'migrations');
const POSTGRES_DIR = path.join(SQLITE_DIR, POSTGRES_MIGRATIONS);

/** Tables whose rows differ between the two databases, with the first differing row of each. */
async function tableDifferences(db: Db, client: pg.Client, tables: string[], where = ''): Promise<string[]> {
  const found: string[] = [];
  for (const table of tables) {
    const expected = sorted(db.prepare(`SELECT * FROM ${table} ${where}`).all() as Row[]);
    const actual = sorted((await client.query(`SELECT * FROM ${table} ${where}`)).rows as Row[]);
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      const at = expected.findIndex((r, i) => r !== actual[i]);
      found.push(`${table}: ${expected.length} rows on SQLite, ${actual.length} on PostgreSQL; first difference ${expected[at] ?? '(none)'} ≠ ${actual[at] ?? '(none)'}`);
    }
  }
  return found;
}

/** The same statement on both databases (`?` placeholders, numbered for PostgreSQL); reads from SQLite. */
function teeStore(db: Db, client: pg.Client): TallyWriteStore {
  return {
    run: async (sql, ...params) => {
      db.prepare(sql).run(...params);
      let n = 0;
      await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
    },
    column: (sql, ...params) => db.prepare(sql).pluck().all(...params),
  };
}

/**
 * A branch tree of six, four courses (C4 with an exam bank; C1 with a second version, C3 with a
 * manifest that names no identifier) and 70 people, two of them without a branch.
 */
async function seedWorld(store: TallyWriteStore, pick: (n: number) => number): Promise<TallyWorld> {
  const t = instant(400);
  const tree: Array<[string, number | null]> = [['HO', null], ['GD', 1], ['GD-GZ', 2], ['ZJ', 1], ['ZJ-HZ', 4], ['ZJ-HZ-1', 5]];
  const paths: string[] = [];
  for (const [i, [code, parent]] of tree.entries()) {
    const id = i + 1;
    paths[id] = `${parent ? paths[parent] : '/'}${id}/`;
    await store.run('INSERT INTO branches (id, code, name, parent_id, path, depth, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      id, code, `机构${code}`, parent, paths[id], paths[id].split('/').length - 3, t, t);
  }
  const courses: number[] = [];
  const version = (id: number, courseId: number, number: number, manifest: object) => store.run(
    `INSERT INTO course_versions (id, course_id, number, scorm_version, title, manifest_json, sha256, size_bytes, storage_dir, uploaded_at)
     VALUES (?, ?, ?, '1.2', 'v', ?, '', 0, '', ?)`, id, courseId, number, JSON.stringify(manifest), t);
  for (const [i, code] of ['C1', 'C2', 'C3', 'C4'].entries()) {
    courses.push(i + 1);
    await store.run("INSERT INTO courses (id, code, title, status, created_at, updated_at) VALUES (?, ?, ?, 'published', ?, ?)", i + 1, code, `课程${code}`, t, t);
    await version(i + 1, i + 1, 1, code === 'C3' ? { title: '无标识' } : { identifier: `PKG-${code}`, title: code });
  }
  await version(5, 1, 2, { identifier: 'PKG-C1-2025', title: 'C1 v2' });
  await store.run("INSERT INTO question_banks (id, code, title, created_at, updated_at) VALUES (1, 'B1', '题库', ?, ?)", t, t);
  const users: number[] = [];
  for (let id = 1; id <= 70; id++) {
    // Two people wait for a branch (not counted until a roster move gives them one).
    await store.run(`INSERT INTO users (id, username, employee_no, name, branch_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)`,
      id, `u${id}`, `E${String(id).padStart(6, '0')}`, `员工${id}`, id > 68 ? null : 1 + pick(tree.length), t, t);
    // Three people no write picks: assigned nothing, they count in the headcount only.
    if (id < 66 || id > 68) users.push(id);
  }
  return { users, courses, branches: tree.map((_, i) => i + 1), examCourse: 4, bankId: 1 };
}

/** A copy of a migrations folder holding only the files before the one named `*_<name>.sql`. */
function migrationsBefore(dir: string, name: string): string {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const stop = files.findIndex((f) => f.endsWith(`_${name}.sql`));
  expect(stop, name).to.be.above(0);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-migrations-'));
  for (const f of files.slice(0, stop)) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
  return copy;
}

describe('PostgreSQL status tallies (0018) and rollups (0020) twins against SQLite', function () {
  this.timeout(600_000);
  let db: Db;
  let client: pg.Client;
  let world: TallyWorld;
  let store: TallyWriteStore;

  const differences = async () => [...await tableDifferences(db, client, TRIGGER_TABLES), ...await tableDifferences(db, client, ROLLUP_TABLES, COUNTED)];

  before(async () => {
    db = openDatabase(':memory:');
    migrate(db, SQLITE_DIR);
    client = new pg.Client({ connectionString: await createMigratedTestDatabase() });
    await client.connect();
    store = teeStore(db, client);
    const pick = random(18);
    world = await seedWorld(store, pick);
    await statusWrites(store, world, {
      pick, count: 1_500, checkEvery: 100, wider: true,
      check: async () => { expect(await differences()).to.deep.equal([]); },
    });
  });
  after(async () => {
    await client?.end();
    db?.close();
  });

  it('keeps the same keys, tallies, people and course score tallies as SQLite through the whole sequence', async () => {
    expect(await differences()).to.deep.equal([]);
    // Not vacuous: every kind of key the triggers can produce is there.
    const keys = db.prepare(`SELECT COUNT(*) AS n, SUM(expiry <> '') AS certified, SUM(due <> '') AS due, SUM(left_on <> '') AS leavers,
      SUM(progress = 4) AS in_progress, SUM(progress = 5) AS failed, SUM(progress = 6) AS not_started FROM status_keys`).get() as Record<string, number>;
    for (const [name, n] of Object.entries(keys)) expect(n, name).to.be.above(5);
    const people = db.prepare('SELECT SUM(has_courses = 0) AS none, SUM(has_courses = 1) AS some, COUNT(DISTINCT branch_id) AS branches FROM person_tallies').get() as Record<string, number>;
    expect(people.none).to.be.above(0);
    expect(people.some).to.be.above(0);
    expect(people.branches).to.be.above(3);
    expect((db.prepare('SELECT COUNT(*) FROM course_score_tallies').pluck().get() as number)).to.be.above(20);
    // The rollups: every table holds counted rows, leavers among the whole ones, and ZJ-HZ was moved.
    for (const table of ROLLUP_TABLES) expect(db.prepare(`SELECT COUNT(*) FROM ${table} WHERE n <> 0`).pluck().get(), table).to.be.above(5);
    expect(db.prepare("SELECT COUNT(*) FROM status_joint_rollups WHERE n <> 0 AND left_on <> ''").pluck().get(), 'leavers').to.be.above(0);
    expect(db.prepare("SELECT COUNT(*) FROM status_due_rollups WHERE n <> 0 AND branch_id = 2 AND course_id = 1").pluck().get(), 'GD').to.be.above(0);
  });

  it('equal their own recount on both sides, and both recounts leave the same rows', async () => {
    expect(await new StatusTalliesRepository({ db }).recountDifferences()).to.deep.equal({ keys: 0, tallies: 0, people: 0, rollups: 0 });
    const before = (await client.query('SELECT * FROM status_tallies')).rows as Row[];
    await client.query('BEGIN');
    await client.query('SELECT rebuild_status_tallies()');
    await client.query('COMMIT');
    await new StatusTalliesRepository({ db }).rebuild();
    expect(await differences()).to.deep.equal([]);
    expect(sorted((await client.query('SELECT * FROM status_tallies')).rows as Row[])).to.deep.equal(sorted(before));
    // The triggers are back on after a recount, in the same session.
    await statusWrites(store, world, { pick: random(21), count: 80, checkEvery: 1_000, wider: true, check: async () => undefined });
    expect(await differences()).to.deep.equal([]);
    expect((await client.query('SELECT * FROM status_tallies')).rows).to.not.deep.equal(before);
  });

  it('repairs a wrong tally with rebuild_status_tallies(), the rollups included', async () => {
    await client.query("SET lms.rebuilding_status_tallies = 'on'"); // the rollups' triggers stand aside: only the tallies go wrong
    await client.query('UPDATE status_tallies SET n = n + 3 WHERE course_id = 1');
    await client.query('DELETE FROM person_tallies WHERE branch_id = (SELECT MIN(branch_id) FROM person_tallies)');
    await client.query("SET lms.rebuilding_status_tallies = ''");
    await client.query('UPDATE status_due_rollups SET n = n + 2 WHERE branch_id = 1 AND n <> 0');
    await client.query('DELETE FROM person_rollups WHERE branch_id = 4');
    expect((await differences()).map((d) => d.split(':')[0])).to.deep.equal(['status_tallies', 'person_tallies', 'status_due_rollups', 'person_rollups']);
    await client.query('SELECT rebuild_status_tallies()');
    expect(await differences()).to.deep.equal([]);
  });

  it('catches a PostgreSQL rollup trigger that stops reacting (a branch moved)', async () => {
    await client.query('DROP TRIGGER branches_rollup_move ON branches');
    await statusWrites(store, world, { pick: random(23), count: 300, checkEvery: 1_000, wider: true, check: async () => undefined });
    const found = await differences();
    expect(found.map((d) => d.split(':')[0])).to.include.members(['status_due_rollups', 'person_rollups']);
    expect(found.join('\n')).to.not.match(/^status_tallies: /m);
  });

  it('catches a PostgreSQL trigger that stops reacting (a leaver, a move)', async () => {
    await client.query('DROP TRIGGER users_status_update ON users');
    await statusWrites(store, world, { pick: random(19), count: 300, checkEvery: 1_000, wider: true, check: async () => undefined });
    const found = await differences();
    expect(found.join('\n')).to.match(/^status_keys: /m);
    expect(found.join('\n')).to.match(/^person_tallies: /m);
  });
});

describe('PostgreSQL backfills of status_tallies and course_codes against SQLite', function () {
  this.timeout(600_000);

  it('give the same keys, tallies and package identifiers when records exist before the migrations', async () => {
    const db = openDatabase(':memory:');
    const pool = new pg.Pool({ connectionString: await createTestDatabase(), max: 1 });
    const client = new pg.Client({ connectionString: pool.options.connectionString });
    const early = [migrationsBefore(SQLITE_DIR, 'status_tallies'), migrationsBefore(POSTGRES_DIR, 'status_tallies')];
    try {
      migrate(db, early[0]);
      await migratePostgres(pool, early[1]);
      await client.connect();
      const store = teeStore(db, client);
      const pick = random(180);
      await statusWrites(store, await seedWorld(store, pick), { pick, count: 500, checkEvery: 1_000, wider: true, check: async () => undefined });
      expect(migrate(db, SQLITE_DIR).applied.length).to.be.above(1);
      expect((await migratePostgres(pool, POSTGRES_DIR)).applied.length).to.be.above(1);
      expect(await tableDifferences(db, client, [...TRIGGER_TABLES, ...ROLLUP_TABLES, 'courses'])).to.deep.equal([]);
      expect(db.prepare('SELECT COUNT(*) FROM person_rollups').pluck().get()).to.be.above(5);
      expect(db.prepare('SELECT COUNT(*) FROM status_keys').pluck().get()).to.be.above(50);
      expect(db.prepare('SELECT code, package_identifier FROM courses ORDER BY id').all()).to.deep.equal([
        { code: 'C1', package_identifier: 'PKG-C1-2025' }, { code: 'C2', package_identifier: 'PKG-C2' },
        { code: 'C3', package_identifier: null }, { code: 'C4', package_identifier: 'PKG-C4' }]);
    } finally {
      await client.end();
      await pool.end();
      db.close();
      for (const dir of early) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL status tallies under concurrent writers', function () {
  this.timeout(120_000);

  // What a recount from the records would hold, compared with what the triggers keep (0 = equal).
  const RECOUNT_DIFFERENCES = `SELECT
    (SELECT COUNT(*) FROM (SELECT * FROM status_keys EXCEPT SELECT * FROM enrollment_status_source
      UNION ALL SELECT * FROM enrollment_status_source EXCEPT SELECT * FROM status_keys) d)::integer AS keys,
    (SELECT COUNT(*) FROM (SELECT * FROM person_keys EXCEPT SELECT * FROM person_status_source
      UNION ALL SELECT * FROM person_status_source EXCEPT SELECT * FROM person_keys) d)::integer AS people,
    (SELECT COUNT(*) FROM (SELECT branch_id, course_id, expiry, due, progress, left_on, COUNT(*)::integer FROM status_keys GROUP BY 1, 2, 3, 4, 5, 6
      EXCEPT SELECT * FROM status_tallies) d)::integer AS tallies,
    (SELECT COUNT(*) FROM (SELECT branch_id, left_on, (courses > 0)::integer, min_expiry, COUNT(*)::integer FROM person_keys GROUP BY 1, 2, 3, 4
      EXCEPT SELECT * FROM person_tallies) d)::integer AS person_tallies`;

  it('lets two nodes change one person\'s courses at once: the second waits, neither fails, the tallies stay exact', async () => {
    const url = await createMigratedTestDatabase();
    const [a, b] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await a.connect();
    await b.connect();
    try {
      const store: TallyWriteStore = {
        run: async (sql, ...params) => { let n = 0; await a.query(sql.replace(/\?/g, () => `$${++n}`), params); },
        column: () => [],
      };
      await seedWorld(store, random(5));
      for (const [id, course] of [[1, 1], [2, 2], [3, 3]]) {
        await a.query("INSERT INTO enrollments (id, user_id, course_id, due_at, assigned_at, source) VALUES ($1, 1, $2, '2026-07-01', $3, 'assignment')", [id, course, instant(30)]);
      }
      await a.query('BEGIN');
      await a.query("INSERT INTO attempts (id, enrollment_id, version_id, number, started_at, completion_status, success_status) VALUES (1, 1, 1, 1, $1, 'incomplete', 'unknown')", [instant(1)]);
      await b.query('BEGIN');
      // Node B certifies the same person in another course while node A's transaction is open.
      const certify = b.query("INSERT INTO certificates (id, serial, user_id, course_id, score, issued_at, expires_at) VALUES (1, 'T-1', 1, 2, 90, $1, '2027-06-01')", [instant(1)]);
      let settled = false;
      const outcome = certify.then(() => 'done', (error: Error) => error).finally(() => { settled = true; });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled, 'node B waits for node A').to.equal(false);
      await a.query('COMMIT');
      expect(await outcome).to.equal('done');
      await b.query('COMMIT');
      expect((await a.query(RECOUNT_DIFFERENCES)).rows[0]).to.deep.equal({ keys: 0, people: 0, tallies: 0, person_tallies: 0 });
      expect((await a.query('SELECT courses, min_expiry FROM person_keys WHERE user_id = 1')).rows).to.deep.equal([{ courses: 3, min_expiry: '' }]);
    } finally {
      await a.end();
      await b.end();
    }
  });
});
