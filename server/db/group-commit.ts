import type { Db } from './open-database.js';

/** Most units one transaction takes; the rest wait for the next turn (bounds a batch's latency). */
const MAX_BATCH = 100;

interface Unit { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }

/** Running totals since start (or the last reset): for benchmarks and health figures. */
export interface GroupCommitStats {
  /** Transactions run, and the units they carried. */
  flushes: number; units: number;
  /** Time the event loop spent inside flushes (statements, COMMIT and its fsync), and the longest flush. */
  busyMs: number; maxMs: number;
}

/**
 * Group commit. With `synchronous=FULL` every transaction ends in an fsync, and better-sqlite3
 * blocks the event loop for it; fifty learners committing at once would pay fifty of them in a
 * row. Units queued during one event-loop turn instead run together at `setImmediate`, in one
 * IMMEDIATE transaction, each in its own savepoint: a unit that throws is rolled back alone and
 * only its promise rejects. Every promise settles after the shared COMMIT returned, so an
 * answered request is on disk exactly as with a transaction of its own.
 */
export class GroupCommit {
  private queue: Unit[] = [];
  private scheduled = false;
  readonly stats: GroupCommitStats = { flushes: 0, units: 0, busyMs: 0, maxMs: 0 };

  constructor(private readonly db: Db) {}

  /** Runs `work` inside the next group transaction; resolves with its result once durable. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
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
    }
  }

  private flushBatch(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    this.stats.flushes += 1;
    this.stats.units += batch.length;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
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
      return;
    }
    batch.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }
}
