/**
 * Worker thread that writes one roster import: a connection of its own to the app's SQLite file,
 * every statement prepared before BEGIN, then the one all-or-nothing transaction. The main thread
 * only waits for the reply, so reads and pages carry on meanwhile (see roster-applier.ts).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { AuditRepository } from '../../audit/audit.repository.js';
import { openDatabase } from '../../db/open-database.js';
import { ConflictError } from '../../errors.js';
import type { ApplyJob, ApplyReply } from './roster-applier.js';
import { readStagedOps } from './roster-stage.repository.js';
import { RosterWriter } from './roster-writer.js';

function apply(job: ApplyJob): ApplyReply {
  const db = openDatabase(job.databaseFile);
  try {
    const now = new Date(job.now);
    const writer = new RosterWriter({ db, audit: new AuditRepository({ db, now: () => now }), now: () => now });
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
    return { ok: true };
  } catch (error) {
    return { ok: false, conflict: error instanceof ConflictError, message: error instanceof Error ? error.message : String(error) };
  } finally {
    db.close();
  }
}

parentPort!.postMessage(apply(workerData as ApplyJob));
