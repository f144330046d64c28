/**
 * Dashboard summaries computed off the event loop: one worker thread, started on first use, with
 * its own read-only connection to the app's SQLite file (better-sqlite3's pattern for long reads:
 * WAL readers neither wait for nor block the writer). The walk is the same code as in-process
 * (ReportsService.summarise), so the figures are the same; the main thread only receives the
 * result (a structured clone of the summary). The worker does not keep the process alive; a
 * crashed worker fails its pending requests and is replaced on the next one.
 */
import type { Worker } from 'node:worker_threads';
import type { CertificationPolicy } from '../certification/status-rules.js';
import { startWorker } from '../shared/start-worker.js';
import type { AsOf } from './as-of.js';
import type { ReportBranch } from './reports.repository.js';
import type { SubtreeSummary } from './reports.service.js';

export interface SummaryJob { id: number; root: ReportBranch; asOf: AsOf }
export type SummaryReply = { id: number; summary: SubtreeSummary } | { id: number; error: string };

export interface Summariser {
  summarise(root: ReportBranch, asOf: AsOf): Promise<SubtreeSummary>;
  close(): Promise<void>;
}

/** `databaseFile` must be a file (a worker cannot share an in-memory database). */
export function createSummaryWorker(deps: { databaseFile: string; policy: CertificationPolicy; now: () => Date }): Summariser {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (summary: SubtreeSummary) => void; reject: (error: Error) => void }>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = startWorker(import.meta.url, 'summary.worker', { databaseFile: deps.databaseFile, policy: { ...deps.policy } });
    w.unref();
    w.on('message', (reply: SummaryReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      // Stamped with the app's clock (the worker has none of its own), as the in-process walk is.
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve({ ...reply.summary, computedAt: deps.now() });
    });
    w.on('error', (error) => { if (worker === w) worker = null; failAll(error); });
    w.on('exit', () => { if (worker === w) worker = null; failAll(new Error('summary worker stopped')); });
    return w;
  };

  return {
    summarise(root, asOf) {
      worker ??= start();
      const id = nextId++;
      return new Promise<SubtreeSummary>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker!.postMessage({ id, root, asOf } satisfies SummaryJob);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
