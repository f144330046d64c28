/**
 * WAL checkpoints off the event loop. SQLite checkpoints by itself inside the commit that leaves
 * the WAL 1,000 pages long: on the server's connection, so on the event loop — the copy of those
 * pages into the database file and, with synchronous=FULL, an fsync of the WAL and of the file,
 * inside one learner's request (under a crowd of exam takers, flushes of 18 ms and loop stalls of
 * 60 ms). Here a worker thread with its own connection runs them instead (checkpoint.worker.ts),
 * at most once per `everyMs` while the group commit is busy; the server's connection keeps an
 * automatic checkpoint only as a backstop (`BACKSTOP_PAGES`, should the worker fall behind or
 * stop). The worker starts in the first busy second (`MIN_FLUSHES`), so an app that writes little
 * never starts it.
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startWorker } from '../shared/start-worker.js';
import type { Db } from './open-database.js';

export type CheckpointReply = { ready: true } | { frames: number; copied: number; ms: number } | { error: string };

/** SQLite's default automatic checkpoint, kept while no worker runs them. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/**
 * With the worker: the server's connection checkpoints only a WAL this long (≈ 16 MB). Under a
 * steady stream of writes a PASSIVE checkpoint rarely finds a moment with nothing new to copy, so
 * the WAL seldom starts over by itself; this backstop then finds nearly every page copied already
 * and costs the two fsyncs, every few thousand pages instead of every thousand.
 */
const BACKSTOP_PAGES = 4000;
/** Group transactions within one period before the worker is asked (or started): a quiet app never starts it. */
const MIN_FLUSHES = 20;
/** A worker that stops is restarted at most this many times; then the server's own checkpoints stay. */
const MAX_RESTARTS = 3;

export interface CheckpointStats { runs: number; pagesCopied: number; busyMs: number; maxMs: number }

export interface Checkpointer {
  /** After a group transaction: asks the worker for a checkpoint when `everyMs` passed since the last one asked. */
  nudge(): void;
  readonly stats: CheckpointStats;
  resetStats(): void;
  close(): Promise<void>;
}

export function createCheckpointer(deps: { db: Db; databaseFile: string; logger: Logger; everyMs?: number; now?: () => number }): Checkpointer {
  const everyMs = deps.everyMs ?? 1000;
  const now = deps.now ?? (() => performance.now());
  const stats: CheckpointStats = { runs: 0, pagesCopied: 0, busyMs: 0, maxMs: 0 };
  let worker: Worker | null = null;
  let isReady = false;
  let isRunning = false;
  let restarts = 0;
  let closed = false;
  let askedAt = now();
  let flushes = 0;

  const ownCheckpoints = (pages: number) => {
    if (deps.db.open) deps.db.pragma(`wal_autocheckpoint = ${pages}`);
  };

  const start = (): Worker => {
    const w = startWorker(import.meta.url, 'checkpoint.worker', { databaseFile: deps.databaseFile });
    w.unref();
    isReady = false;
    isRunning = false;
    w.on('message', (reply: CheckpointReply) => {
      if ('ready' in reply) {
        isReady = true;
        ownCheckpoints(BACKSTOP_PAGES);
        return;
      }
      isRunning = false;
      if ('error' in reply) {
        deps.logger.warn({ error: reply.error }, '[db] WAL checkpoint in the worker failed; the next one retries');
        return;
      }
      stats.runs += 1;
      stats.pagesCopied += reply.copied;
      stats.busyMs += reply.ms;
      if (reply.ms > stats.maxMs) stats.maxMs = reply.ms;
    });
    const stopped = (error?: Error) => {
      if (worker !== w) return;
      worker = null;
      isReady = false;
      ownCheckpoints(DEFAULT_AUTOCHECKPOINT_PAGES);
      if (!closed) deps.logger.warn({ err: error }, '[db] the WAL checkpoint worker stopped; the server checkpoints itself until it restarts');
    };
    w.on('error', stopped);
    w.on('exit', () => stopped());
    return w;
  };

  return {
    stats,
    nudge() {
      flushes += 1;
      if (flushes < MIN_FLUSHES) return;
      const at = now();
      if (closed || at - askedAt < everyMs) return;
      askedAt = at;
      flushes = 0;
      if (!worker) {
        if (restarts > MAX_RESTARTS) return;
        restarts += 1;
        worker = start();
        return;
      }
      if (!isReady || isRunning) return;
      isRunning = true;
      worker.postMessage('checkpoint');
    },
    resetStats() {
      Object.assign(stats, { runs: 0, pagesCopied: 0, busyMs: 0, maxMs: 0 });
    },
    async close() {
      closed = true;
      // Its exit hands the checkpoints back to the server's connection (if still open), as any stop does.
      if (worker) await worker.terminate();
    },
  };
}
