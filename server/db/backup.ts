import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from './open-database.js';
import { readMigrations } from './migrate.js';
import { verifyAuditChain } from '../audit/audit.repository.js';

/** A backup or restore that cannot go ahead: the message says what and why. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupSummary { file: string; bytes: number; auditEvents: number; auditHead: string }

/**
 * An online, consistent copy of the live database while the server keeps writing: SQLite's backup
 * API (better-sqlite3's `db.backup()`) copying every page in one step, so it reads one snapshot
 * (WAL lets the server commit meanwhile) and is never restarted by those commits. Written to a
 * temporary name and renamed, so FILE is either complete or absent; then checked like a restore.
 */
export async function backupDatabase(sourceFile: string, outFile: string, migrationsDir: string): Promise<BackupSummary> {
  const target = path.resolve(outFile);
  if (fs.existsSync(target)) throw new BackupError(`${target} already exists: choose a new file name (a backup never overwrites)`);
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`The folder ${path.dirname(target)} does not exist`);
  if (!fs.existsSync(sourceFile)) throw new BackupError(`No database at ${sourceFile}: check LMS_DATA_DIR`);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const source = openDatabase(sourceFile);
  try {
    // The first step only starts the backup; the handler then asks for every page at once.
    await source.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  try {
    const summary = checkDatabaseCopy(partial, migrationsDir);
    fs.renameSync(partial, target);
    return { ...summary, file: target, bytes: fs.statSync(target).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Checks a database file before it is trusted: SQLite's integrity check, the migrations it records
 * against this code's migration files (same numbers, names and checksums), and the audit chain.
 * Leaves the file in rollback-journal mode with no -wal beside it, so it is one self-contained file.
 */
export function checkDatabaseCopy(file: string, migrationsDir: string): Omit<BackupSummary, 'file' | 'bytes'> {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    throw new BackupError(`${file} is not a readable SQLite database: ${(error as Error).message}`);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    if (integrity.length !== 1 || integrity[0].integrity_check !== 'ok') {
      throw new BackupError(`integrity_check failed: ${integrity.slice(0, 5).map((r) => r.integrity_check).join('; ')}`);
    }
    checkMigrations(db, migrationsDir);
    const audit = verifyAuditChain(db);
    if (!audit.ok) throw new BackupError(`the audit trail does not verify: broken at event ${audit.firstBad!.id}: ${audit.firstBad!.reason}`);
    return { auditEvents: audit.checked, auditHead: `${audit.headId}:${audit.headHash}` };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} could not be checked: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

function checkMigrations(db: Db, migrationsDir: string): void {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) throw new BackupError('it has no schema_migrations table: not an LMS database');
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string; checksum: string }>;
  const expected = readMigrations(migrationsDir);
  const label = (m: { version: number; name: string }) => `${String(m.version).padStart(4, '0')}_${m.name}`;
  for (const m of expected) {
    const row = applied.find((r) => r.version === m.version);
    if (!row) throw new BackupError(`migration ${label(m)} is not applied in it: it was taken by an older version of the LMS`);
    if (row.name !== m.name || row.checksum !== m.checksum) throw new BackupError(`migration ${label(row)} differs from this version's ${m.file}: it was taken by another version of the LMS`);
  }
  const unknown = applied.filter((r) => !expected.some((m) => m.version === r.version));
  if (unknown.length) throw new BackupError(`it has migrations this version does not know (${unknown.map(label).join(', ')}): it was taken by a newer version of the LMS`);
}

/** True when another process (the server) has the database open: it then holds a lock we cannot take. */
export function isDatabaseInUse(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
}

export interface RestoreSummary extends Omit<BackupSummary, 'file' | 'bytes'> { restoredTo: string; previousMovedTo: string | null }

/**
 * Puts a backup in place of the data folder's database, on a stopped server only. The backup is
 * copied beside the database and checked there first (so a failed check changes nothing); the
 * database it replaces is kept under a dated name with its -wal, never deleted.
 */
export function restoreDatabase(backupFile: string, databaseFile: string, migrationsDir: string, now: () => Date): RestoreSummary {
  const from = path.resolve(backupFile);
  if (!fs.existsSync(from)) throw new BackupError(`No backup at ${from}`);
  if (isDatabaseInUse(databaseFile)) {
    throw new BackupError(`The database ${databaseFile} is in use: stop the LMS server (and anything else that has it open) before restoring`);
  }
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  const staged = `${databaseFile}.restoring`;
  fs.rmSync(staged, { force: true });
  fs.copyFileSync(from, staged);
  let summary;
  try {
    summary = checkDatabaseCopy(staged, migrationsDir);
  } catch (error) {
    fs.rmSync(staged, { force: true });
    throw error;
  }
  let previousMovedTo: string | null = null;
  if (fs.existsSync(databaseFile)) {
    previousMovedTo = `${databaseFile}.before-restore-${now().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(databaseFile + suffix)) fs.renameSync(databaseFile + suffix, previousMovedTo + suffix);
    }
  }
  fs.renameSync(staged, databaseFile);
  return { ...summary, restoredTo: databaseFile, previousMovedTo };
}
