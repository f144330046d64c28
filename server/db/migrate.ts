import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './open-database.js';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationFile { version: number; name: string; file: string; sql: string; checksum: string }

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads migrations/NNNN_name.sql in order; a gap, a duplicate number or a stray file stops startup. */
export function readMigrations(dir: string): MigrationFile[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations: MigrationFile[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new MigrationError(`Migration file ${file} does not match NNNN_name.sql`);
    const version = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous?.version === version) {
      throw new MigrationError(`Migration ${file} duplicates number ${match[1]} (also ${previous.file})`);
    }
    const expected = (previous?.version ?? 0) + 1;
    if (version !== expected) {
      throw new MigrationError(`Migration ${file} leaves a gap: expected number ${String(expected).padStart(4, '0')}`);
    }
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    const checksum = crypto.createHash('sha256').update(sql).digest('hex');
    migrations.push({ version, name: match[2], file, sql, checksum });
  }
  return migrations;
}

export interface AppliedMigration { version: number; name: string; checksum: string }

/** The SQL dialect folders beside the SQLite migrations: `migrations/postgres/NNNN_name.sql`, one twin per file. */
export const POSTGRES_MIGRATIONS = 'postgres';

/**
 * What is left to apply, after checking what was applied: an applied file that is missing or whose
 * checksum changed is refused (shared by the SQLite and PostgreSQL runners).
 */
export function pendingMigrations(migrations: MigrationFile[], appliedRows: AppliedMigration[], dir: string): MigrationFile[] {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const row of appliedRows) {
    const file = byVersion.get(row.version);
    const label = `${String(row.version).padStart(4, '0')}_${row.name}.sql`;
    if (!file) throw new MigrationError(`Applied migration ${label} is missing from ${dir}`);
    if (file.checksum !== row.checksum) {
      throw new MigrationError(`Applied migration ${file.file} was edited (checksum differs); add a new migration instead`);
    }
  }
  const appliedVersions = new Set(appliedRows.map((r) => r.version));
  return migrations.filter((m) => !appliedVersions.has(m.version));
}

export const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`;

/**
 * Applies pending migrations, each in one transaction together with its schema_migrations row,
 * so a failing file leaves no partial schema. An applied file whose checksum changed is refused.
 */
export function migrate(db: Db, dir: string, now: () => Date = () => new Date()): { applied: string[] } {
  db.exec(SCHEMA_MIGRATIONS_TABLE);
  const appliedRows = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedMigration[];
  const pending = pendingMigrations(readMigrations(dir), appliedRows, dir);
  const insert = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const applied: string[] = [];
  for (const m of pending) {
    const apply = db.transaction(() => {
      db.exec(m.sql);
      insert.run(m.version, m.name, m.checksum, now().toISOString());
    });
    try {
      apply();
    } catch (error) {
      throw new MigrationError(`Migration ${m.file} failed and was rolled back: ${(error as Error).message}`);
    }
    applied.push(m.file);
  }
  return { applied };
}
