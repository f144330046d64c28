import type { Db } from './open-database.js';
import { WalSync } from './wal-sync.js';

/** Most units one transaction takes; the rest wait for the next turn (bounds a batch's latency). */
const MAX_BATCH = 100;

interface Unit { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }

/** Running totals since start (or the last reset): for benchmarks and health figures. */
export interface GroupCommitStats {
  /** Transactions run, and the units they carried. */
  flushes: number; units: number;
  /** Time the event loop spent inside flushes (statements and COMMIT; in memory only: the fsync runs off the loop), and the longest flush. */
  busyMs: number; maxMs: number;
}

/**
 * Group commit. With `synchronous=FULL` every transaction ends in an fsync, and better-sqlite3
 * blocks the event loop for it; fifty learners committing at once would pay fifty of them in a
 * row. Units queued during one event-loop turn instead run together at `setImmediate`, in one
 * IMMEDIATE transaction, each in its own savepoint: a unit that throws is rolled back alone and
 * only its promise rejects.
 *
 * The fsync itself leaves the event loop too: on a database file, the group transaction commits
 * with `synchronous=NORMAL` (WAL frames written, not synced; consistent after a power cut, as
 * SQLite documents) and the WAL is then fsynced from libuv's thread pool (wal-sync.ts); every
 * promise settles only after that fsync, so an answered request is on disk exactly as with a
 * FULL transaction of its own — while the loop serves other requests during the fsync instead of
 * waiting in it. Every other transaction of the connection stays FULL (the pragma is set back
 * before the flush returns). In memory (tests), the COMMIT is the end of it.
 */
export class GroupCommit {
  private queue: Unit[] = [];
  private scheduled = false;
  /** A group's WAL fsync is under way (the next group waits for it: see schedule()). */
  private isSyncing = false;
  readonly stats: GroupCommitStats = { flushes: 0, units: 0, busyMs: 0, maxMs: 0 };
  private readonly walSync: WalSync | null;
  private readonly synchronous;

  /** `afterFlush`: called after each group transaction (the WAL checkpointer's nudge). */
  constructor(private readonly db: Db, private readonly afterFlush?: () => void) {
    this.walSync = db.memory ? null : new WalSync(`${db.name}-wal`);
    this.synchronous = { normal: db.prepare('PRAGMA synchronous = NORMAL'), full: db.prepare('PRAGMA synchronous = FULL') };
  }

  /** Runs `work` inside the next group transaction; resolves with its result once durable. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * The next flush, at setImmediate — or, while the previous group's fsync is under way, when it
   * ends: units arriving meanwhile would wait for that fsync and one more anyway, so they lose
   * nothing by waiting in the queue, and they go in one transaction instead of several (fewer
   * COMMITs, fewer WAL pages written, fewer to checkpoint).
   */
  private schedule(): void {
    if (this.scheduled || this.isSyncing || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  resetStats(): void {
    Object.assign(this.stats, { flushes: 0, units: 0, busyMs: 0, maxMs: 0 });
  }

  private flush(): void {
    const started = performance.now();
    try {
      this.flushBatch();
    } finally {
      const ms = performance.now() - started;
      this.stats.busyMs += ms;
      if (ms > this.stats.maxMs) this.stats.maxMs = ms;
      this.afterFlush?.();
    }
  }

  private flushBatch(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.stats.flushes += 1;
    this.stats.units += batch.length;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      if (this.walSync) this.synchronous.normal.run();
      this.db.transaction(() => {
        for (const unit of batch) {
          try {
            outcomes.push({ ok: true, value: this.db.transaction(unit.work)() }); // nested: a savepoint
          } catch (error) {
            // Some failures (disk full, I/O) make SQLite roll the whole transaction back: nothing to commit then.
            if (!this.db.inTransaction) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      this.schedule();
      return;
    } finally {
      if (this.walSync && this.db.open) this.synchronous.full.run();
    }
    const settle = () => batch.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
    if (!this.walSync) {
      settle();
      this.schedule();
      return;
    }
    this.isSyncing = true;
    this.walSync.durable().then(settle, (error: unknown) => {
      // A failed fsync leaves what was written in doubt: no unit is answered as stored.
      for (const unit of batch) unit.reject(error);
    }).finally(() => {
      this.isSyncing = false;
      this.schedule();
    });
  }

  /** Closes the WAL descriptor (before the connection closes). */
  close(): void {
    this.walSync?.close();
  }
}
