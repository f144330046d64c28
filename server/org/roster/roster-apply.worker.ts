/**
 * Worker thread that writes one roster import: a connection of its own to the app's SQLite file,
 * every statement prepared before BEGIN, then the one all-or-nothing transaction. The main thread
 * only waits for the reply, so reads and pages carry on meanwhile (see roster-applier.ts).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { AuditRepository } from '../../audit/audit.repository.js';
import { CertificationRepository } from '../../certification/certification.repository.js';
import { dueDateFor } from '../../certification/due-dates.js';
import { openDatabase } from '../../db/open-database.js';
import { ConflictError } from '../../errors.js';
import type { ApplyJob, ApplyReply } from './roster-applier.js';
import { readStagedOps } from './roster-stage.repository.js';
import { RosterWriter } from './roster-writer.js';

async function apply(job: ApplyJob): Promise<ApplyReply> {
  const db = openDatabase(job.databaseFile);
  try {
    const now = new Date(job.now);
    const audit = new AuditRepository({ db, now: () => now });
    const writer = new RosterWriter({ db, audit, now: () => now });
    if (job.kind === 'branches') {
      writer.applyBranchOps(job.ops, job.context);
    } else {
      const stage = new Database(job.stageFile, { readonly: true });
      try {
        writer.applyEmployeeOps(readStagedOps(stage), new Set(job.skip), job.context);
      } finally {
        stage.close();
      }
    }
    if (job.enrollTimeZone === null) return { ok: true, enrolled: 0 };
    // New hires and transfers enrolled by existing assignments: a scan of every covered person per
    // assignment (hundreds of ms at bank scale), so here too rather than on the main thread. Its own
    // transaction after the import's, as CertificationService.syncEnrollments does.
    const enrolled = new CertificationRepository({ db, audit, now: () => now })
      .syncEnrollments((assignment, user) => dueDateFor(assignment, user.hiredAt, now, job.enrollTimeZone!));
    return { ok: true, enrolled: await enrolled };
  } catch (error) {
    return { ok: false, conflict: error instanceof ConflictError, message: error instanceof Error ? error.message : String(error) };
  } finally {
    db.close();
  }
}

parentPort!.postMessage(await apply(workerData as ApplyJob));
