/**
 * Where an applying import parks its employee changes while the file streams: a scratch SQLite
 * file of its own (not the app's database, so no schema and no migration), written in batches
 * and read back synchronously, by the apply worker, inside the one transaction that applies them. It keeps 415,000
 * pending changes off the heap, and being a separate connection it can be read while the app's
 * connection writes. Deleted when the run ends.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EmployeeOp } from './employee-planner.js';

// Small enough that one batch (a synchronous write) stays well inside the loop budget.
const BATCH = 1_000;

export class RosterStage {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertBatch: (ops: string[]) => void;
  private pending: string[] = [];
  private size = 0;

  private constructor(readonly file: string) {
    this.db = new Database(file);
    // Scratch data: losing it in a crash only loses the run, which then wrote nothing.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE ops (seq INTEGER PRIMARY KEY, op TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO ops (op) VALUES (?)');
    this.insertBatch = this.db.transaction((ops: string[]) => { for (const op of ops) this.insert.run(op); });
  }

  static open(workDir: string): RosterStage {
    fs.mkdirSync(workDir, { recursive: true });
    return new RosterStage(path.join(workDir, `roster-stage-${crypto.randomUUID()}.sqlite`));
  }

  get count(): number {
    return this.size;
  }

  add(op: EmployeeOp): void {
    this.pending.push(JSON.stringify(op));
    this.size += 1;
    if (this.pending.length >= BATCH) this.flush();
  }

  flush(): void {
    if (!this.pending.length) return;
    this.insertBatch(this.pending);
    this.pending = [];
  }

  /** Every staged change in file order. */
  *ops(): Generator<EmployeeOp> {
    this.flush();
    yield* readStagedOps(this.db);
  }

  dispose(): void {
    if (this.db.open) this.db.close();
    fs.rmSync(this.file, { force: true });
  }
}

/** The staged changes of a stage file, read on a connection of the caller's (the apply worker's). */
export function* readStagedOps(db: Database.Database): Generator<EmployeeOp> {
  for (const text of db.prepare('SELECT op FROM ops ORDER BY seq').pluck().iterate() as IterableIterator<string>) {
    yield JSON.parse(text) as EmployeeOp;
  }
}
