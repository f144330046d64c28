import type { Db } from './open-database.js';

/** Most units one transaction takes; the rest wait for the next turn (bounds a batch's latency). */
const MAX_BATCH = 100;

interface Unit { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }

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

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
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
