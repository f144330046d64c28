import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

/** Opens (or creates) the SQLite file with the pragmas the whole app relies on. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // FULL: a committed grade or certificate survives a power cut, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // 32 MB of pages (default 2 MB): a bank-size file's index interior pages stay cached, so a small
  // read (one sub-branch's export, one trainer page) costs about the same on a full bank as on an
  // empty one (issue 14 growth).
  db.pragma('cache_size = -32768');
  return db;
}
