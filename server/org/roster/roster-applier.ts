/**
 * Applies a roster import off the event loop: each apply runs in a worker thread of its own
 * (roster-apply.worker.ts) on its own connection to the same SQLite file, and the request awaits
 * its one reply. The transaction stays one (all or nothing), so it is as long as before — 415,000
 * new hires take seconds — but it no longer holds the main loop: pages, sign-ins and every read
 * go on (WAL readers do not wait for the writer).
 *
 * The trade-off: SQLite has one writer. While the worker's transaction is open, a write on the
 * app's connection (a SCORM commit, a sign-in's session row) waits for the lock — up to the
 * connection's busy_timeout, and better-sqlite3 waits synchronously, so such a write still pauses
 * the loop for the rest of the apply (or fails with SQLITE_BUSY past 5 s). Statements are prepared
 * and every row planned and staged before BEGIN, so the lock is held only for the writes
 * themselves; splitting the apply into short transactions would free the lock but break "all or
 * nothing".
 */
import { once } from 'node:events';
import { ConflictError } from '../../errors.js';
import { startWorker } from '../../shared/start-worker.js';
import type { BranchOp } from './branch-planner.js';
import type { RosterStage } from './roster-stage.repository.js';
import type { ApplyContext } from './roster-writer.js';

export type ApplyJob = { databaseFile: string; now: string; context: ApplyContext; enrollTimeZone: string | null } & (
  | { kind: 'branches'; ops: readonly BranchOp[] }
  | { kind: 'employees'; stageFile: string; skip: string[] }
);

export type ApplyReply = { ok: true; enrolled: number } | { ok: false; conflict: boolean; message: string };

/** Each resolves with how many enrollments the apply's follow-up created (0 without one). */
export interface RosterApplier {
  applyBranches(ops: readonly BranchOp[], context: ApplyContext): Promise<number>;
  /** `skip` holds employee numbers not to import. */
  applyEmployees(stage: RosterStage, skip: ReadonlySet<string>, context: ApplyContext): Promise<number>;
}

async function runInWorker(job: ApplyJob): Promise<number> {
  const worker = startWorker(import.meta.url, 'roster-apply.worker', job);
  const replies: ApplyReply[] = [];
  worker.on('message', (message: ApplyReply) => replies.push(message));
  // The worker posts its one reply and ends; an uncaught error in it rejects here.
  const [code] = (await once(worker, 'exit')) as [number];
  const reply = replies[0];
  if (!reply) throw new Error(`roster apply worker stopped without an answer (exit ${code})`);
  if (reply.ok) return reply.enrolled;
  if (reply.conflict) throw new ConflictError(reply.message);
  throw new Error(`roster apply failed: ${reply.message}`);
}

/**
 * `databaseFile` must be a file (a worker cannot share an in-memory database). With
 * `enrollTimeZone`, a written import is followed, in the worker, by enrolling the people newly
 * covered by assignments (due dates in that zone).
 */
export function workerRosterApplier(deps: { databaseFile: string; now: () => Date; enrollTimeZone?: string }): RosterApplier {
  const job = () => ({ databaseFile: deps.databaseFile, now: deps.now().toISOString(), enrollTimeZone: deps.enrollTimeZone ?? null });
  return {
    applyBranches: (ops, context) => runInWorker({ ...job(), context, kind: 'branches', ops }),
    applyEmployees: (stage, skip, context) => {
      stage.flush();
      return runInWorker({ ...job(), context, kind: 'employees', stageFile: stage.file, skip: [...skip] });
    },
  };
}
