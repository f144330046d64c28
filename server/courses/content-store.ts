/**
 * Where unpacked package files live, for every node that serves them. One implementation: a folder
 * — the data folder's `packages/` by default, or a shared mount (NFS-style) named by `contentDir` /
 * `LMS_CONTENT_DIR` when several nodes serve one LMS. A package is unpacked into `<root>/.incoming/`
 * (the same file system), flushed to disk, then renamed into place in one step, so no node (and no
 * crash) ever sees a half-written package. A published package's files never change.
 */
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  commitStagedPackage, discardStagedPackage, removeStaleIncoming, stagePackage, type ExtractLimits, type StagedPackage,
} from './package/extract-package.js';

export interface ContentStore {
  /** Checks and unpacks a zip where no reader can see it. */
  stage(zipPath: string, limits: ExtractLimits): Promise<StagedPackage>;
  /** Makes a staged package readable as `name` all at once, durably (its files are on disk first). */
  publish(staged: StagedPackage, name: string): Promise<void>;
  /** Throws a staged package away. */
  discard(staged: StagedPackage): Promise<void>;
  /** Removes a published package (its database record could not be written). */
  remove(name: string): Promise<void>;
  /** The folder a published package is served from. */
  folderOf(name: string): string;
  /** Removes staging folders older than `olderThanMs` left by crashed uploads (on any node); returns their names. */
  sweep(olderThanMs: number): Promise<string[]>;
}

export class FolderContentStore implements ContentStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  stage(zipPath: string, limits: ExtractLimits): Promise<StagedPackage> {
    return stagePackage(zipPath, this.root, limits);
  }

  async publish(staged: StagedPackage, name: string): Promise<void> {
    if (staged.storageRoot !== this.root) throw new Error(`Package staged under ${staged.storageRoot}, not in this store (${this.root})`);
    // Files and folders reach the disk before the rename makes them visible; the rename itself
    // reaches it with the root folder's flush.
    await syncTree(staged.rootDir, staged.files);
    await commitStagedPackage(staged, name);
    await syncPath(this.root);
  }

  discard(staged: StagedPackage): Promise<void> {
    return discardStagedPackage(staged);
  }

  async remove(name: string): Promise<void> {
    await rm(this.folderOf(name), { recursive: true, force: true });
  }

  folderOf(name: string): string {
    const dir = path.join(this.root, name);
    if (path.dirname(dir) !== this.root || name.startsWith('.')) throw new TypeError(`Invalid package folder name: ${JSON.stringify(name)}`);
    return dir;
  }

  sweep(olderThanMs: number): Promise<string[]> {
    // Never 0 here: on a shared folder another node's upload may be unpacking right now.
    return removeStaleIncoming(this.root, { olderThanMs: Math.max(olderThanMs, 60_000) });
  }
}

const SYNC_PARALLEL = 8;

/** fsyncs every file, then every folder (deepest first), of an unpacked package. */
async function syncTree(rootDir: string, files: readonly string[]): Promise<void> {
  const targets = files.map((f) => path.join(rootDir, ...f.split('/')));
  for (let i = 0; i < targets.length; i += SYNC_PARALLEL) {
    await Promise.all(targets.slice(i, i + SYNC_PARALLEL).map(syncPath));
  }
  const folders = new Set<string>([rootDir]);
  for (const target of targets) {
    for (let dir = path.dirname(target); dir.startsWith(rootDir) && !folders.has(dir); dir = path.dirname(dir)) folders.add(dir);
  }
  for (const dir of [...folders].sort((a, b) => b.length - a.length)) await syncPath(dir);
}

async function syncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
