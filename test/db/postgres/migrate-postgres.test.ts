import { expect } from 'chai';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../../server/config.js';
import { migrate, POSTGRES_MIGRATIONS } from '../../../server/db/migrate.js';
import { openDatabase, type Db } from '../../../server/db/open-database.js';
import { migratePostgres } from '../../../server/db/postgres/migrate-postgres.js';
import { createTestDatabase } from '../../helpers/postgres.js';

const SQLITE_DIR = path.join(PROJECT_ROOT, 'migrations');
const POSTGRES_DIR = path.join(SQLITE_DIR, POSTGRES_MIGRATIONS);

interface Column { table: string; column: string; notNull: boolean; family: string }

// Type families the repositories see: whole numbers, floating point, text.
function sqliteFamily(type: string): string {
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t === 'REAL' || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'text';
}
function postgresFamily(type: string): string {
  if (type === 'integer' || type === 'bigint' || type === 'smallint') return 'integer';
  if (type === 'double precision' || type === 'real' || type === 'numeric') return 'real';
  return 'text';
}

function sqliteColumns(db: Db): Column[] {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  return tables.flatMap((table) => (db.prepare(`SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info(?)`).all(table) as Array<{ name: string; type: string; nn: number; pk: number }>)
    // A primary key column never holds NULL in practice (INTEGER PRIMARY KEY is the rowid; the others are declared NOT NULL).
    .map((c) => ({ table, column: c.name, notNull: c.nn === 1 || c.pk > 0, family: sqliteFamily(c.type) })))
    .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

async function postgresColumns(client: pg.Client): Promise<Column[]> {
  const { rows } = await client.query<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.is_nullable, c.data_type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.column_name`);
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, notNull: r.is_nullable === 'NO', family: postgresFamily(r.data_type) }))
    .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

// Views: the same names with the same columns in the same order (SQLite declares no types or nullability for them).
function sqliteViews(db: Db): string[] {
  const views = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  return views.map((view) => `${view}(${(db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(view) as Array<{ name: string }>).map((c) => c.name).join(', ')})`);
}

async function postgresViews(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ view: string; columns: string }>(
    `SELECT c.table_name AS view, string_agg(c.column_name, ', ' ORDER BY c.ordinal_position) AS columns
     FROM information_schema.columns c JOIN information_schema.views v ON v.table_schema = c.table_schema AND v.table_name = c.table_name
     WHERE c.table_schema = 'public' GROUP BY c.table_name ORDER BY c.table_name`);
  return rows.map((r) => `${r.view}(${r.columns})`);
}

async function migratedPostgres(dir = POSTGRES_DIR): Promise<{ pool: pg.Pool; client: pg.Client; url: string }> {
  const url = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await migratePostgres(pool, dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { pool, client, url };
}

describe('PostgreSQL migrations (migrations/postgres)', () => {
  it('has a PostgreSQL twin for every SQLite migration, and nothing else', () => {
    const sqlite = fs.readdirSync(SQLITE_DIR).filter((f) => f.endsWith('.sql')).sort();
    const postgres = fs.readdirSync(POSTGRES_DIR).filter((f) => f.endsWith('.sql')).sort();
    expect(sqlite.length).to.be.greaterThan(0);
    expect(postgres, 'migrations/postgres/ must hold one twin (same NNNN_name.sql) per migrations/*.sql').to.deep.equal(sqlite);
  });

  it('builds on a real server the same tables and columns (names, nullability, type family) as SQLite, once', async () => {
    const db = openDatabase(':memory:');
    migrate(db, SQLITE_DIR);
    const { pool, client } = await migratedPostgres();
    try {
      const expected = sqliteColumns(db);
      const actual = await postgresColumns(client);
      const key = (c: Column) => `${c.table}.${c.column} ${c.notNull ? 'NOT NULL' : 'NULL'} ${c.family}`;
      expect(actual.map(key)).to.deep.equal(expected.map(key));
      expect(expected.length).to.be.greaterThan(100);
      expect(await postgresViews(client), 'views').to.deep.equal(sqliteViews(db));
      expect((await migratePostgres(pool, POSTGRES_DIR)).applied).to.deep.equal([]);
      const versions = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((r: { version: number }) => r.version)).to.deep.equal(
        (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version));
    } finally {
      await client.end();
      await pool.end();
      db.close();
    }
  });

  it('refuses an edited applied file and rolls back a failing one, naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-pg-migrate-'));
    for (const f of fs.readdirSync(POSTGRES_DIR)) fs.copyFileSync(path.join(POSTGRES_DIR, f), path.join(dir, f));
    const { pool, client } = await migratedPostgres(dir);
    try {
      fs.appendFileSync(path.join(dir, '0002_courses.sql'), '\n-- edited\n');
      await assert.rejects(migratePostgres(pool, dir), { name: 'MigrationError', message: /0002_courses\.sql was edited/ });
      fs.copyFileSync(path.join(POSTGRES_DIR, '0002_courses.sql'), path.join(dir, '0002_courses.sql'));
      const last = Math.max(...fs.readdirSync(dir).map((f) => Number(f.slice(0, 4))));
      const broken = `${String(last + 1).padStart(4, '0')}_broken.sql`;
      fs.writeFileSync(path.join(dir, broken), 'CREATE TABLE half_made (id integer);\nSELECT no_such_function();');
      await assert.rejects(migratePostgres(pool, dir), { name: 'MigrationError', message: new RegExp(`${broken.replace('.', '\\.')} failed and was rolled back`) });
      expect((await client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_made'")).rowCount).to.equal(0);
    } finally {
      await client.end();
      await pool.end();
    }
  });

  it('keeps the audit trail append-only and its head one event forward, as SQLite does', async () => {
    const { pool, client } = await migratedPostgres();
    try {
      const append = (id: number, hash: string) => client.query(
        "INSERT INTO audit_events (id, at, action, subject, prev_hash, hash) VALUES ($1, '2026-01-01T00:00:00.000Z', 'x', 'y', 'p', $2)", [id, hash]);
      await append(1, 'h1');
      await append(2, 'h2');
      expect((await client.query('SELECT last_id, last_hash FROM audit_head')).rows).to.deep.equal([{ last_id: 2, last_hash: 'h2' }]);
      await assert.rejects(client.query("UPDATE audit_events SET action = 'z'"), /append-only/);
      await assert.rejects(client.query('DELETE FROM audit_events WHERE id = 2'), /append-only/);
      await assert.rejects(client.query('TRUNCATE audit_events'), /append-only/);
      await assert.rejects(client.query('UPDATE audit_head SET last_id = 1'), /only moves forward/);
      await assert.rejects(client.query('DELETE FROM audit_head'), /cannot be deleted/);
      expect((await client.query('SELECT count(*)::int AS n FROM audit_events')).rows[0].n).to.equal(2);
    } finally {
      await client.end();
      await pool.end();
    }
  });

  it('keeps the course aggregates (0012) exactly as the SQLite triggers do, through inserts, edits and deletes', async () => {
    const db = openDatabase(':memory:');
    migrate(db, SQLITE_DIR);
    const { pool, client } = await migratedPostgres();
    // The same statements on both databases (`?` placeholders, numbered for PostgreSQL).
    const run = async (sql: string, ...params: unknown[]) => {
      db.prepare(sql).run(...params);
      let n = 0;
      await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
    };
    const t = '2026-01-01T00:00:00.000Z';
    try {
      await run('INSERT INTO branches (id, code, name, path, depth, created_at, updated_at) VALUES (1, ?, ?, ?, 0, ?, ?)', 'HQ', 'HQ', '/1/', t, t);
      for (const [id, no] of [[1, 'E001'], [2, 'E002'], [3, null]] as const) {
        await run('INSERT INTO users (id, username, employee_no, name, branch_id, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)', id, `u${id}`, no, `U${id}`, t, t);
      }
      await run("INSERT INTO courses (id, code, title, created_at, updated_at) VALUES (1, 'C1', 'C1', ?, ?)", t, t);
      await run("INSERT INTO course_versions (id, course_id, number, scorm_version, title, manifest_json, sha256, size_bytes, storage_dir, uploaded_at) VALUES (1, 1, 1, '1.2', 'v', '{}', 's', 1, 'd', ?)", t);
      await run("INSERT INTO scos (id, version_id, identifier, title, href, position) VALUES (1, 1, 'sco', 'SCO', 'i.html', 0)");
      for (const u of [1, 2, 3]) await run("INSERT INTO enrollments (id, user_id, course_id, assigned_at, source) VALUES (?, ?, 1, ?, 'self')", u, u, t);
      await run("UPDATE users SET employee_no = 'E009' WHERE id = 2");
      await run('UPDATE enrollments SET user_id = 3 WHERE id = 3');
      const scores = [0.8125, 0.5, 0.0005, 0.9995, 1, null];
      for (const [i, score] of scores.entries()) {
        await run('INSERT INTO attempts (id, enrollment_id, version_id, number, started_at, finished_at, score_scaled) VALUES (?, ?, 1, ?, ?, ?, ?)',
          i + 1, (i % 3) + 1, Math.floor(i / 3) + 1, t, i === 4 ? null : t, score);
      }
      await run('UPDATE attempts SET finished_at = ? WHERE id = 5', t);
      await run('UPDATE attempts SET score_scaled = 0.25 WHERE id = 1');
      await run('DELETE FROM attempts WHERE id = 2');
      const answer = (attempt: number, idx: number, q: string, response: string | null, result: string | null) =>
        run('INSERT INTO interactions (attempt_id, sco_id, idx, interaction_id, response, result, recorded_at) VALUES (?, 1, ?, ?, ?, ?, ?)', attempt, idx, q, response, result, t);
      await answer(1, 0, 'q1', 'a', 'wrong');
      await answer(1, 1, 'q2', 'b', 'correct');
      await answer(1, 2, 'q1', 'c', 'correct');
      await answer(1, 3, 'q3', null, null);
      await answer(3, 0, 'q1', 'a', 'incorrect');
      await answer(3, 1, 'q2', 'd', 'unanticipated');
      await answer(4, 0, 'q1', 'a', 'wrong');
      await answer(4, 1, 'q1', 'e', 'neutral');
      await run('DELETE FROM interactions WHERE attempt_id = 1 AND idx = 2');
      await run("UPDATE interactions SET result = 'correct' WHERE attempt_id = 3 AND idx = 1");
      await run("UPDATE interactions SET interaction_id = 'q2' WHERE attempt_id = 4 AND idx = 0");
      await run('DELETE FROM interactions WHERE attempt_id = 4');
      await answer(5, 0, 'q1', 'x', 'wrong');
      await answer(5, 1, 'q1', 'x', 'wrong');
      for (const [table, order] of [['course_score_tallies', 'course_id, permille'], ['question_finals', 'attempt_id, sco_id, interaction_id'],
        ['question_tallies', 'course_id, sco_id, interaction_id'], ['question_wrong_responses', 'course_id, sco_id, interaction_id, response'],
        ['enrollments', 'id']] as const) {
        const sql = `SELECT * FROM ${table} ORDER BY ${order}`;
        const expected = db.prepare(sql).all();
        expect(expected.length, table).to.be.greaterThan(0);
        expect((await client.query(sql)).rows, table).to.deep.equal(expected);
      }
    } finally {
      await client.end();
      await pool.end();
      db.close();
    }
  });
});
