import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../server/db/open-database.js';
import { GroupCommit } from '../../server/db/group-commit.js';

describe('GroupCommit (units of one event-loop turn share a transaction)', () => {
  let dir: string;
  let db: Db;
  let groupCommit: GroupCommit;

  const counters = () => Object.fromEntries((db.prepare('SELECT name, n FROM counters').all() as Array<{ name: string; n: number }>).map((r) => [r.name, r.n]));
  const bump = (name: string) => () => {
    db.prepare('INSERT INTO counters (name, n) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1').run(name);
    return (db.prepare('SELECT n FROM counters WHERE name = ?').get(name) as { n: number }).n;
  };
  /** Frames in the WAL since the last truncating checkpoint: one page written by N transactions is N frames, by one transaction 1. */
  const walFrames = () => (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0].log;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-group-commit-'));
    db = openDatabase(path.join(dir, 'lms.db'));
    db.exec('CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID'); // one b-tree: one page
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('wal_checkpoint(TRUNCATE)');
    groupCommit = new GroupCommit(db);
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs units queued together in one transaction, in order, each seeing the ones before it', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => groupCommit.run(bump('a'))));

    expect(results).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(counters()).to.deep.equal({ a: 10 });
    expect(walFrames()).to.equal(1); // ten separate transactions would have written the page ten times
  });

  it('uses a new transaction for units queued after a flush', async () => {
    await groupCommit.run(bump('a'));
    await groupCommit.run(bump('a'));
    expect(walFrames()).to.equal(2);
  });

  it('settles each promise only once the shared commit is readable from another connection', async () => {
    const reader = new Database(path.join(dir, 'lms.db'), { readonly: true });
    try {
      const seen = await Promise.all([1, 2, 3].map(() => groupCommit.run(bump('a')).then(
        () => (reader.prepare("SELECT n FROM counters WHERE name = 'a'").get() as { n: number }).n)));
      expect(seen).to.deep.equal([3, 3, 3]);
    } finally {
      reader.close();
    }
  });

  it('leaves the connection FULL for every other transaction (the group commits NORMAL and syncs the WAL itself)', async () => {
    await Promise.all(Array.from({ length: 5 }, () => groupCommit.run(bump('a'))));
    expect(counters()).to.deep.equal({ a: 5 });
    expect(db.pragma('synchronous', { simple: true })).to.equal(2); // FULL
    await Promise.allSettled([groupCommit.run(() => { throw new Error('refused'); })]);
    expect(db.pragma('synchronous', { simple: true })).to.equal(2);
  });

  it('rejects what is still queued when the connection has closed (the app shutting down), without throwing out of the flush', async () => {
    const queued = groupCommit.run(bump('a'));
    db.close();
    await Promise.allSettled([queued]).then(([outcome]) => expect(outcome.status).to.equal('rejected'));
    db = openDatabase(path.join(dir, 'lms.db')); // for afterEach
  });

  it('rolls back only the unit that threw and rejects only its promise', async () => {
    const failing = () => {
      bump('b')();
      throw new Error('refused by the unit');
    };
    const outcomes = await Promise.allSettled([groupCommit.run(bump('a')), groupCommit.run(failing), groupCommit.run(bump('c'))]);

    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).to.have.property('message', 'refused by the unit');
    expect(counters()).to.deep.equal({ a: 1, c: 1 });
  });

  it('fails the whole batch, writing nothing, when SQLite ends the transaction (as on a full disk)', async () => {
    const endsTransaction = () => db.exec('ROLLBACK');
    const outcomes = await Promise.allSettled([groupCommit.run(bump('a')), groupCommit.run(endsTransaction), groupCommit.run(bump('c'))]);

    expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected', 'rejected']);
    expect(counters()).to.deep.equal({});
    // The queue keeps working afterwards.
    expect(await groupCommit.run(bump('a'))).to.equal(1);
  });

  it('takes at most 100 units per transaction and runs the rest in the next ones', async () => {
    const results = await Promise.all(Array.from({ length: 250 }, () => groupCommit.run(bump('a'))));
    expect(results.at(-1)).to.equal(250);
    expect(walFrames()).to.equal(3);
  });

});
