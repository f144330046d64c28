/**
 * `<storageRoot>/.incoming/` holds packages being unpacked. It lives inside the storage root so the
 * final move is a same-file-system `rename` (atomic), and its dot name can never be a version folder.
 */
import { lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

export const INCOMING_FOLDER = '.incoming';

/** A fresh, private staging folder: `<storageRoot>/.incoming/stage-XXXXXX` (absolute). */
export async function createStagingDir(storageRoot: string): Promise<string> {
  const incoming = path.join(path.resolve(storageRoot), INCOMING_FOLDER);
  await mkdir(incoming, { recursive: true, mode: 0o755 });
  return mkdtemp(path.join(incoming, 'stage-'));
}

export interface RemoveStaleOptions {
  /** Keep staging folders younger than this (for periodic sweeps while uploads run). Default 0: remove all, as at startup. */
  olderThanMs?: number;
  now?: Date;
}

/**
 * Removes staging folders left by a crash or a killed upload. Call it at startup, before uploads are
 * accepted; with `olderThanMs` it is also safe to run while other uploads are in progress.
 * Returns the names removed, for the log.
 */
export async function removeStaleIncoming(storageRoot: string, options: RemoveStaleOptions = {}): Promise<string[]> {
  const { olderThanMs = 0, now = new Date() } = options;
  const incoming = path.join(path.resolve(storageRoot), INCOMING_FOLDER);
  let names: string[];
  try {
    names = await readdir(incoming);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    const stale = path.join(incoming, name);
    const stats = await lstat(stale).catch(() => null);
    if (stats === null) continue;
    // With no age limit remove everything: a folder made this millisecond can carry an mtime a
    // fraction ahead of `now` (file-system timestamps are finer than Date), which is not "young".
    if (olderThanMs > 0 && now.getTime() - stats.mtimeMs < olderThanMs) continue;
    await rm(stale, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
