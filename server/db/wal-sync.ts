import fs from 'node:fs';

/**
 * fsync of a database's WAL from libuv's thread pool, for commits made with synchronous=NORMAL
 * (group-commit.ts): `durable()` resolves once an fsync that began after the call has finished,
 * so everything the caller committed before calling is on disk. Callers arriving while an fsync
 * runs share the next one. Linux syncs the file, not the descriptor: this descriptor of our own
 * covers what SQLite wrote through its own, as long as it is the same file — SQLite keeps its WAL
 * file (same inode) while the server's connection is open, and removes it only when the last
 * connection closes.
 */
export class WalSync {
  private fd: number | null = null;
  private isSyncing = false;
  private waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(private readonly walFile: string) {}

  durable(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.isSyncing) this.sync();
    });
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private sync(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.isSyncing = true;
    const done = (error: unknown) => {
      this.isSyncing = false;
      for (const w of batch) {
        if (error) w.reject(error);
        else w.resolve();
      }
      if (this.waiting.length > 0) this.sync();
    };
    try {
      this.fd ??= fs.openSync(this.walFile, 'r+');
    } catch (error) {
      done(error);
      return;
    }
    fs.fsync(this.fd, done);
  }
}
