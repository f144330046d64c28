/**
 * Streams checked zip entries to disk, one at a time, counting every inflated byte against the
 * package budget (declared sizes are never trusted) and verifying each entry's CRC-32.
 * Writes only regular files (mode 0644, flag `wx`: never over an existing file), never links.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Entry, ZipFile } from 'yauzl';
import { crc32 } from './crc32.js';
import { PackageRejectedError, packageProblems } from './package-errors.js';
import { asZipInvalid, isSystemError } from './zip-listing.js';

export interface EntryToWrite {
  entry: Entry;
  /** The entry's path in the zip, for messages. */
  zipPath: string;
  /** Where it goes, '/'-separated, relative to the target folder. */
  targetPath: string;
}

/** Bytes inflated so far across the whole package. */
class ByteBudget {
  used = 0;
  constructor(readonly max: number) {}
  /** Records `bytes`; false once the package has gone over its budget. */
  take(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.max;
  }
}

/** Resolves a checked relative path and proves it stays inside `dir` (defence in depth: names were already checked). */
export function resolveInside(dir: string, relativePath: string, zipPath: string): string {
  const target = path.resolve(dir, ...relativePath.split('/'));
  if (!target.startsWith(dir + path.sep)) throw new PackageRejectedError([packageProblems.pathTraversal(zipPath)]);
  return target;
}

/** Creates folders named by directory entries (empty folders are part of some packages). */
export async function createDirectories(dir: string, relativePaths: readonly string[]): Promise<void> {
  for (const relativePath of relativePaths) {
    await mkdir(resolveInside(dir, relativePath, relativePath), { recursive: true, mode: 0o755 });
  }
}

/** Writes every entry under `dir` (an absolute, freshly created folder); returns the bytes written. */
export async function writeEntries(zipfile: ZipFile, entries: readonly EntryToWrite[], dir: string, maxBytes: number): Promise<number> {
  const budget = new ByteBudget(maxBytes);
  const madeFolders = new Set<string>();
  for (const item of entries) {
    const target = resolveInside(dir, item.targetPath, item.zipPath);
    const folder = path.dirname(target);
    if (!madeFolders.has(folder)) {
      await mkdir(folder, { recursive: true, mode: 0o755 });
      madeFolders.add(folder);
    }
    await writeEntry(zipfile, item, target, budget);
  }
  return budget.used;
}

async function writeEntry(zipfile: ZipFile, { entry, zipPath }: EntryToWrite, target: string, budget: ByteBudget): Promise<void> {
  try {
    const source = await zipfile.openReadStreamPromise(entry);
    await pipeline(source, meter(entry, zipPath, budget), createWriteStream(target, { flags: 'wx', mode: 0o644 }));
  } catch (err) {
    throw explainWriteFailure(err, entry, zipPath);
  }
}

/** Counts against the budget as bytes come out of the inflater, and checks the CRC at the end. */
function meter(entry: Entry, zipPath: string, budget: ByteBudget): Transform {
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!budget.take(chunk.length)) return done(new PackageRejectedError([packageProblems.tooLarge(zipPath, budget.max)]));
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      if (crc !== entry.crc32) return done(asZipInvalid(new Error('checksum mismatch'), zipPath));
      done();
    },
  });
}

function explainWriteFailure(err: unknown, entry: Entry, zipPath: string): Error {
  if (err instanceof PackageRejectedError) return err;
  if (isSystemError(err)) {
    // Names were de-duplicated already; this means two names differ only in case on a case-insensitive disk.
    if (err.code === 'EEXIST') return new PackageRejectedError([packageProblems.duplicateEntry(zipPath)]);
    return err;
  }
  // yauzl (validateEntrySizes) stops an entry that inflates past its declared size: a zip bomb's lie.
  if (err instanceof Error && err.message.startsWith('too many bytes in the stream')) {
    return new PackageRejectedError([packageProblems.sizeLie(zipPath, entry.uncompressedSize)]);
  }
  return asZipInvalid(err, zipPath);
}
