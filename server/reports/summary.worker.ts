/**
 * Worker thread that computes hr dashboard figures on a read-only connection of its own, so the
 * server's event loop never runs them: snapshots from the status tallies (one read transaction,
 * a second or two for a whole bank) and, for past dates, summaries walked through the status
 * rules (minutes for a whole bank). Requests come by id; walks may interleave.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { AuditRepository } from '../audit/audit.repository.js';
import type { CertificationPolicy } from '../certification/status-rules.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';
import { BranchSnapshotReader } from './branch-snapshot.js';
import { StatusTalliesRepository } from './status-tallies.repository.js';
import type { SummaryJob, SummaryReply } from './summary-worker.js';

const { databaseFile, policy } = workerData as { databaseFile: string; policy: CertificationPolicy };
const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -32768');
// The service's audit is for exports, which this worker never runs; nothing is written here.
const repository = new ReportsRepository({ db });
const snapshots = new BranchSnapshotReader({ reports: repository, tallies: new StatusTalliesRepository({ db }), policy });
const reports = new ReportsService({
  reports: repository, audit: new AuditRepository({ db, now: () => new Date() }), policy, now: () => new Date(),
  // Alone on its thread: turns between slices are only for this worker's other requests.
  sliceMs: 200,
});

parentPort!.postMessage({ ready: true } satisfies SummaryReply);
parentPort!.on('message', (job: SummaryJob) => {
  const fail = (error: unknown) => parentPort!.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies SummaryReply);
  if (job.kind === 'snapshot') {
    try {
      parentPort!.postMessage({ id: job.id, snapshot: snapshots.read(job.branch, job.asOf, job.after) } satisfies SummaryReply);
    } catch (error) {
      fail(error);
    }
    return;
  }
  reports.summarise(job.root, job.asOf).then((summary) => parentPort!.postMessage({ id: job.id, summary } satisfies SummaryReply), fail);
});
