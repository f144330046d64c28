/**
 * Dashboard figures computed off the event loop — snapshots from the status tallies (today and
 * later) and summaries walked through the status rules (past dates): one worker thread, started on first use, with
 * its own read-only connection to the app's SQLite file (better-sqlite3's pattern for long reads:
 * WAL readers neither wait for nor block the writer). The walk is the same code as in-process
 * (ReportsService.summarise), so the figures are the same; the main thread only receives the
 * result (a structured clone of the summary). The worker does not keep the process alive; a
 * crashed worker fails its pending requests and is replaced on the next one.
 *
 * Starting the worker (loading the reports code in a fresh thread) takes a second or more on a
 * busy machine; requests that come before it is ready use `fallback` (the in-process walk, in
 * time slices) so a small bank's first page is not "being computed" for the start-up alone, and a
 * snapshot of a subtree small enough (`fitsInProcess`) is read in-process; a bigger one waits for
 * the worker (one synchronous read of a whole bank's tallies would hold the loop for seconds).
 * `warm()` starts it ahead of the first request (the standalone server does, at listen).
 */
import type { Worker } from 'node:worker_threads';
import type { CertificationPolicy } from '../certification/status-rules.js';
import { startWorker } from '../shared/start-worker.js';
import type { AsOf } from './as-of.js';
import type { BranchSnapshot } from './branch-snapshot.js';
import type { ReportBranch } from './reports.repository.js';
import type { SubtreeSummary } from './reports.service.js';

export type SummaryJob = { id: number; kind: 'summary'; root: ReportBranch; asOf: AsOf }
  | { id: number; kind: 'snapshot'; branch: ReportBranch; asOf: AsOf; after: string | null };
export type SummaryReply = { id: number; summary: SubtreeSummary } | { id: number; snapshot: BranchSnapshot } | { id: number; error: string } | { ready: true };

export interface Summariser {
  summarise(root: ReportBranch, asOf: AsOf): Promise<SubtreeSummary>;
  snapshot(branch: ReportBranch, asOf: AsOf, after: string | null): Promise<BranchSnapshot>;
  /** Starts the worker if it is not running; resolves once it takes requests. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

type Summarise = (root: ReportBranch, asOf: AsOf) => Promise<SubtreeSummary>;
type Snapshot = (branch: ReportBranch, asOf: AsOf, after: string | null) => BranchSnapshot;

/** `databaseFile` must be a file (a worker cannot share an in-memory database). */
export function createSummaryWorker(deps: {
  databaseFile: string; policy: CertificationPolicy; now: () => Date; fallback: Summarise;
  /** In-process snapshots, for small subtrees before the worker is ready. */
  snapshotInProcess?: Snapshot; fitsInProcess?: (branch: ReportBranch) => boolean;
}): Summariser {
  let worker: Worker | null = null;
  let ready: Promise<void> | null = null;
  let isReady = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (reply: SummaryReply) => void; reject: (error: Error) => void }>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = startWorker(import.meta.url, 'summary.worker', { databaseFile: deps.databaseFile, policy: { ...deps.policy } });
    w.unref();
    isReady = false;
    ready = new Promise<void>((resolve, reject) => {
      w.once('message', () => { isReady = true; resolve(); });
      w.once('exit', () => reject(new Error('summary worker stopped')));
    });
    ready.catch(() => undefined);
    w.on('message', (reply: SummaryReply) => {
      if ('ready' in reply) return;
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply);
    });
    w.on('error', (error) => { if (worker === w) worker = null; failAll(error); });
    w.on('exit', () => { if (worker === w) { worker = null; isReady = false; } failAll(new Error('summary worker stopped')); });
    return w;
  };

  const post = (job: DistributiveOmit<SummaryJob, 'id'>): Promise<SummaryReply> => {
    const id = nextId++;
    return new Promise<SummaryReply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker!.postMessage({ ...job, id } as SummaryJob);
    });
  };

  return {
    summarise(root, asOf) {
      worker ??= start();
      if (!isReady) return deps.fallback(root, asOf);
      // Stamped with the app's clock (the worker has none of its own), as the in-process walk is.
      return post({ kind: 'summary', root, asOf }).then((reply) => ({ ...(reply as { summary: SubtreeSummary }).summary, computedAt: deps.now() }));
    },
    async snapshot(branch, asOf, after) {
      worker ??= start();
      if (!isReady && deps.snapshotInProcess && (deps.fitsInProcess?.(branch) ?? false)) return deps.snapshotInProcess(branch, asOf, after);
      try {
        await ready;
      } catch (error) {
        if (deps.snapshotInProcess) return deps.snapshotInProcess(branch, asOf, after);
        throw error;
      }
      return ((await post({ kind: 'snapshot', branch, asOf, after })) as { snapshot: BranchSnapshot }).snapshot;
    },
    async warm() {
      worker ??= start();
      await ready;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
