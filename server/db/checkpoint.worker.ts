/**
 * Worker thread that checkpoints the app's WAL on a connection of its own (checkpointer.ts): the
 * copy of WAL pages into the database file and its fsync happen here, beside the server's writes,
 * instead of inside whichever commit made the WAL long. PASSIVE: it never waits for the writer
 * and never blocks it; what it cannot copy now, the next round copies.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckpointReply } from './checkpointer.js';

const { databaseFile } = workerData as { databaseFile: string };

/**
 * A connection per checkpoint, closed after it: between rounds this thread holds nothing open, so
 * the server's connection stays the last one at shutdown and checkpoints and removes the WAL then,
 * as it did without the worker.
 */
function checkpoint(): CheckpointReply {
  const started = performance.now();
  const db = new Database(databaseFile, { fileMustExist: true });
  try {
    // FULL as the server's connection: the WAL is synced before its pages are copied, the file after.
    db.pragma('synchronous = FULL');
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    return { frames: row.log, copied: row.checkpointed, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

parentPort!.postMessage({ ready: true } satisfies CheckpointReply);
parentPort!.on('message', () => {
  try {
    parentPort!.postMessage(checkpoint());
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies CheckpointReply);
  }
});
