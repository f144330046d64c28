/** Shared by the package tests: temp folders, a file-tree snapshot, and an independent zip reader (yauzl's own decoding). */
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

export const SAMPLES_DIR = fileURLToPath(new URL('../../../../shared/scorm-samples/', import.meta.url));

export const GENEROUS_LIMITS = { maxEntries: 10_000, maxUncompressedBytes: 100 * 1024 * 1024 };

/** A fresh `<tmp>/pkg-test-XXXX/` with `storage/` (the storage root) and room for zip files next to it. */
export async function makeWorkDir(): Promise<{ work: string; storage: string; cleanup: () => Promise<void> }> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'pkg-test-'));
  return { work, storage: path.join(work, 'storage'), cleanup: () => rm(work, { recursive: true, force: true }) };
}

/** Every path under `dir` (relative, '/'-separated) with its kind and size, sorted: compare two to see any change. */
export async function snapshotTree(dir: string): Promise<string[]> {
  const lines: string[] = [];
  async function walk(current: string): Promise<void> {
    for (const name of await readdir(current)) {
      const full = path.join(current, name);
      const stats = await lstat(full);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      const kind = stats.isSymbolicLink() ? 'link' : stats.isDirectory() ? 'dir' : 'file';
      lines.push(`${kind} ${relative}${stats.isFile() ? ` ${stats.size}` : ''}`);
      if (stats.isDirectory()) await walk(full);
    }
  }
  await walk(dir);
  return lines.sort();
}

/** Files under `dir`, relative and '/'-separated, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  return (await snapshotTree(dir)).filter((line) => line.startsWith('file ')).map((line) => line.split(' ')[1]).sort();
}

export interface ZipFact { name: string; size: number; isDirectory: boolean }

/** The central directory as yauzl itself decodes it: an oracle independent of the code under test. */
export async function readZipFacts(zipPath: string): Promise<ZipFact[]> {
  const zipfile = await yauzl.openPromise(zipPath, { decodeStrings: true });
  const facts: ZipFact[] = [];
  for await (const entry of zipfile.eachEntry()) {
    facts.push({ name: entry.fileName, size: entry.uncompressedSize, isDirectory: entry.fileName.endsWith('/') });
  }
  zipfile.close();
  return facts;
}

/** Every file entry's name and bytes, to re-pack a real package in a new shape. */
export async function readZipFiles(zipPath: string): Promise<Array<{ name: string; data: Buffer }>> {
  const zipfile = await yauzl.openPromise(zipPath, { decodeStrings: true });
  const files: Array<{ name: string; data: Buffer }> = [];
  for await (const entry of zipfile.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    const stream = await zipfile.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    files.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  zipfile.close();
  return files;
}

/** The junk real packages carry that extraction must drop. */
export function isMacJunk(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').pop() === '.DS_Store';
}
