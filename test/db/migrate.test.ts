import { expect } from 'chai';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/db/open-database.js';
import { migrate } from '../../server/db/migrate.js';
import { PROJECT_ROOT } from '../../server/config.js';

const realMigrations = path.join(PROJECT_ROOT, 'migrations');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lms-migrate-'));
}

function copyMigrations(): string {
  const dir = tempDir();
  for (const f of fs.readdirSync(realMigrations).filter((f) => f.endsWith('.sql'))) fs.copyFileSync(path.join(realMigrations, f), path.join(dir, f));
  return dir;
}

function tables(db: ReturnType<typeof openDatabase>): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
}

describe('migrations', () => {
  it('creates the whole data model with WAL, foreign keys and FULL sync, once', () => {
    const db = openDatabase(path.join(tempDir(), 'lms.db'));
    const first = migrate(db, realMigrations);
    expect(first.applied.length).to.equal(fs.readdirSync(realMigrations).filter((f) => f.endsWith('.sql')).length);
    for (const table of ['branches', 'users', 'user_roles', 'user_branch_history', 'api_tokens', 'courses', 'course_versions', 'scos',
      'assignments', 'enrollments', 'attempts', 'sco_states', 'interactions', 'certificates', 'audit_events']) {
      expect(tables(db)).to.include(table);
    }
    expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    expect(db.pragma('foreign_keys', { simple: true })).to.equal(1);
    expect(db.pragma('synchronous', { simple: true })).to.equal(2);
    expect(migrate(db, realMigrations).applied).to.deep.equal([]);
    db.close();
  });

  it('refuses an applied migration that was edited, naming the file', () => {
    const dir = copyMigrations();
    const db = openDatabase(path.join(tempDir(), 'lms.db'));
    migrate(db, dir);
    fs.appendFileSync(path.join(dir, '0002_courses.sql'), '\n-- edited\n');
    assert.throws(() => migrate(db, dir), { name: 'MigrationError', message: /0002_courses\.sql was edited/ });
  });

  it('refuses a gap and a duplicate number, naming the file', () => {
    const gap = copyMigrations();
    // Two past the last shipped number, whatever that is now.
    const last = Math.max(...fs.readdirSync(gap).map((f) => Number(f.slice(0, 4))).filter(Number.isFinite));
    const later = `${String(last + 2).padStart(4, '0')}_later.sql`;
    fs.writeFileSync(path.join(gap, later), 'CREATE TABLE x (id INTEGER);');
    assert.throws(() => migrate(openDatabase(':memory:'), gap), { name: 'MigrationError', message: new RegExp(`${later.replace('.', '\\.')} leaves a gap`) });
    const duplicate = copyMigrations();
    fs.writeFileSync(path.join(duplicate, '0002_again.sql'), 'CREATE TABLE y (id INTEGER);');
    assert.throws(() => migrate(openDatabase(':memory:'), duplicate), { name: 'MigrationError', message: /0002_courses\.sql duplicates number 0002|0002_again\.sql duplicates/ });
  });

  it('rolls a failing migration back completely: no table, no schema_migrations row', () => {
    const dir = copyMigrations();
    const next = String(fs.readdirSync(dir).length + 1).padStart(4, '0');
    fs.writeFileSync(path.join(dir, `${next}_broken.sql`), 'CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);');
    const db = openDatabase(path.join(tempDir(), 'lms.db'));
    assert.throws(() => migrate(db, dir), { name: 'MigrationError', message: new RegExp(`${next}_broken\\.sql failed`) });
    expect(tables(db)).not.to.include('half_done');
    const versions = db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).not.to.include(Number(next));
    expect(tables(db)).to.include('users');
  });
});
