import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { openDatabase, type Db } from '../../server/db/open-database.js';
import { GroupCommit } from '../../server/db/group-commit.js';
import { createCheckpointer, type Checkpointer } from '../../server/db/checkpointer.js';

describe('WAL checkpoints in a worker thread (checkpointer)', () => {
  let dir: string;
  let file: string;
  let db: Db;
  let checkpointer: Checkpointer;
  let groupCommit: GroupCommit;

  const autocheckpoint = () => db.pragma('wal_autocheckpoint', { simple: true }) as number;
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 600 && !what(); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(what()).to.equal(true);
  };
  const write = (n: number) => groupCommit.run(() => db.prepare('INSERT INTO rows (n, filler) VALUES (?, ?)').run(n, 'x'.repeat(3000)));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-checkpointer-'));
    file = path.join(dir, 'lms.db');
    db = openDatabase(file);
    db.exec('CREATE TABLE rows (n INTEGER PRIMARY KEY, filler TEXT NOT NULL)');
    checkpointer = createCheckpointer({ db, databaseFile: file, logger: pino({ level: 'silent' }), everyMs: 0 });
    groupCommit = new GroupCommit(db, () => checkpointer.nudge());
  });

  afterEach(async () => {
    await checkpointer.close();
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a quiet app without a worker and with SQLite\'s own checkpoints', async () => {
    for (let n = 1; n <= 5; n += 1) await write(n);
    expect(autocheckpoint()).to.equal(1000);
    expect(checkpointer.stats.runs).to.equal(0);
  });

  it('copies a busy app\'s WAL into the database file from the worker; the server keeps only a backstop', async () => {
    let n = 0;
    // Busy: group transactions keep coming until the worker has started and copied pages.
    await until(() => {
      for (let i = 0; i < 30; i += 1) void write((n += 1));
      return checkpointer.stats.pagesCopied > 0;
    });
    await Promise.all([write((n += 1))]);
    expect(autocheckpoint()).to.equal(4000);

    // The copied pages are in the database file itself: a copy of it alone (no WAL) holds the rows written before that checkpoint.
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(file, copy);
    const alone = new Database(copy, { readonly: true });
    const rows = alone.prepare('SELECT COUNT(*) FROM rows').pluck().get() as number;
    alone.close();
    expect(rows).to.be.greaterThan(0);
    expect(db.prepare('SELECT COUNT(*) FROM rows').pluck().get()).to.equal(n);
  });

  it('hands checkpoints back to the server\'s connection when the worker stops', async () => {
    let n = 0;
    await until(() => {
      for (let i = 0; i < 30; i += 1) void write((n += 1));
      return autocheckpoint() === 4000;
    });
    await checkpointer.close();
    await until(() => autocheckpoint() === 1000);
    await write((n += 1));
    expect(db.prepare('SELECT COUNT(*) FROM rows').pluck().get()).to.equal(n);
  });
});
