/**
 * Uploaded roster files kept between the preview and the apply, so the user confirms exactly the
 * file they previewed without sending it twice. Each lives in the data folder under a random id
 * with a small JSON note of who uploaded it and when; only that user can use it, and it is
 * removed once applied or after `ttlMs`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface PendingUpload { id: string; filePath: string; fileName: string; userId: number; createdAt: string }

const ID = /^[0-9a-f]{32}$/;

export class PendingRosterUploads {
  constructor(private readonly deps: { dir: string; ttlMs: number; now: () => Date }) {
    fs.mkdirSync(deps.dir, { recursive: true });
  }

  get dir(): string {
    return this.deps.dir;
  }

  /** A fresh file name for an upload; its stem is the id. */
  static newFileName(): string {
    return `${crypto.randomBytes(16).toString('hex')}.upload`;
  }

  async keep(filePath: string, fileName: string, userId: number): Promise<PendingUpload> {
    const id = path.basename(filePath, '.upload');
    if (!ID.test(id) || path.resolve(path.dirname(filePath)) !== path.resolve(this.deps.dir)) throw new Error('Roster upload is not in the pending folder');
    const upload = { id, filePath, fileName, userId, createdAt: this.deps.now().toISOString() };
    await fs.promises.writeFile(this.notePath(id), JSON.stringify({ fileName, userId, createdAt: upload.createdAt }));
    return upload;
  }

  /** The upload when it exists, belongs to the user and has not expired. */
  async find(id: string, userId: number): Promise<PendingUpload | null> {
    if (!ID.test(id)) return null;
    const note = await this.readNote(id);
    if (!note || note.userId !== userId) return null;
    if (this.isExpired(note.createdAt)) {
      await this.remove(id);
      return null;
    }
    return { id, filePath: this.filePath(id), fileName: note.fileName, userId, createdAt: note.createdAt };
  }

  async remove(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await Promise.all([fs.promises.rm(this.filePath(id), { force: true }), fs.promises.rm(this.notePath(id), { force: true })]);
  }

  /** Removes expired uploads, and files a crash left without a note. */
  async removeExpired(): Promise<void> {
    for (const entry of await fs.promises.readdir(this.deps.dir)) {
      const id = entry.replace(/\.(upload|json)$/, '');
      if (!ID.test(id)) continue;
      const note = await this.readNote(id);
      if (note ? this.isExpired(note.createdAt) : await this.isOrphanStale(path.join(this.deps.dir, entry))) await this.remove(id);
    }
  }

  private isExpired(createdAt: string): boolean {
    return this.deps.now().getTime() - Date.parse(createdAt) > this.deps.ttlMs;
  }

  // Without a note there is only the file system's own (real) clock to go by.
  private async isOrphanStale(file: string): Promise<boolean> {
    const stat = await fs.promises.stat(file).catch(() => null);
    return stat !== null && Date.now() - stat.mtimeMs > this.deps.ttlMs;
  }

  private async readNote(id: string): Promise<{ fileName: string; userId: number; createdAt: string } | null> {
    try {
      return JSON.parse(await fs.promises.readFile(this.notePath(id), 'utf8')) as { fileName: string; userId: number; createdAt: string };
    } catch {
      return null;
    }
  }

  private filePath(id: string): string {
    return path.join(this.deps.dir, `${id}.upload`);
  }

  private notePath(id: string): string {
    return path.join(this.deps.dir, `${id}.json`);
  }
}
