/**
 * Opens an uploaded zip with yauzl and reads its central directory (names and sizes only, no data),
 * judging every entry before a single byte is written. Name problems are all collected, so the
 * trainer sees every bad entry in one go.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { checkEntryPath, decodeEntryName, isJunkEntry } from './entry-name.js';
import type { PackageProblem } from './package-errors.js';
import { PackageRejectedError, packageProblems } from './package-errors.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const STORED = 0;
const DEFLATED = 8;

/** A file entry that passed every name check; `path` is '/'-joined and normalised. */
export interface ZipFileEntry { path: string; entry: Entry }

export interface ZipListing {
  files: ZipFileEntry[];
  /** Folders named by directory entries (folders implied by file paths are not listed). */
  directories: string[];
}

/**
 * Opens the zip. Raw names (`decodeStrings: false`) because we decode them ourselves; entries are
 * pulled one at a time (`lazyEntries`); yauzl checks each inflated size against the declared one.
 * `autoClose: false` keeps the file open between listing and extracting: the caller closes it.
 */
export async function openZip(zipPath: string): Promise<ZipFile> {
  try {
    return await new Promise<ZipFile>((resolve, reject) => {
      yauzl.open(zipPath, {
        lazyEntries: true,
        decodeStrings: false,
        validateEntrySizes: true,
        strictFileNames: false,
        autoClose: false,
      }, (err, zipfile) => (err ? reject(err) : resolve(zipfile)));
    });
  } catch (err) {
    throw asZipInvalid(err);
  }
}

/** The count comes from the end-of-central-directory record, so a 100,000-entry zip is refused without reading it. */
export function assertEntryCount(zipfile: ZipFile, maxEntries: number): void {
  if (zipfile.entryCount > maxEntries) {
    throw new PackageRejectedError([packageProblems.tooManyEntries(zipfile.entryCount, maxEntries)]);
  }
}

function unixFileType(entry: Entry): number {
  return (entry.externalFileAttributes >>> 16) & S_IFMT;
}

/** Reads every central-directory record and keeps the entries worth extracting. */
export async function listZipEntries(zipfile: ZipFile): Promise<ZipListing> {
  const problems: PackageProblem[] = [];
  const files: ZipFileEntry[] = [];
  const filePaths = new Set<string>();
  const directories = new Set<string>();

  try {
    for await (const entry of zipfile.eachEntry()) {
      // With decodeStrings: false yauzl hands over the raw bytes (its typings say string).
      const decoded = decodeEntryName(entry.fileNameRaw, entry.generalPurposeBitFlag, entry.extraFields);
      if (!decoded.ok) { problems.push(decoded.problem); continue; }
      const checked = checkEntryPath(decoded.name);
      if (!checked.ok) { problems.push(checked.problem); continue; }
      const path = checked.segments.join('/');
      const type = unixFileType(entry);
      if (type === S_IFLNK) { problems.push(packageProblems.symlink(path)); continue; }
      if (isJunkEntry(checked.segments)) continue;

      if (checked.isDirectoryName || type === S_IFDIR) {
        if (path !== '') directories.add(path);
        continue;
      }
      if (entry.isEncrypted()) { problems.push(packageProblems.encrypted(path)); continue; }
      if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
        problems.push(packageProblems.unsupportedCompression(path, entry.compressionMethod));
        continue;
      }
      if (filePaths.has(path)) { problems.push(packageProblems.duplicateEntry(path)); continue; }
      filePaths.add(path);
      files.push({ path, entry });
    }
  } catch (err) {
    throw asZipInvalid(err);
  }

  problems.push(...findFileFolderConflicts(filePaths, directories));
  if (problems.length > 0) throw new PackageRejectedError(problems);
  return { files, directories: [...directories] };
}

/**
 * `a` as a file next to `a/b` (or a directory entry `a/`) cannot both exist on disk. Paths go into a
 * tree of their segments, so the cost is linear in the names' length: checking every prefix of
 * every path costs depth² per entry, which a zip of 500-deep folders turns into a stall.
 */
function findFileFolderConflicts(filePaths: ReadonlySet<string>, directories: ReadonlySet<string>): PackageProblem[] {
  interface Node { file: string | null; isDirectory: boolean; children: Map<string, Node> }
  const newNode = (): Node => ({ file: null, isDirectory: false, children: new Map() });
  const root = newNode();
  const insert = (path: string): Node => {
    let node = root;
    for (const segment of path.split('/')) {
      let child = node.children.get(segment);
      if (!child) {
        child = newNode();
        node.children.set(segment, child);
      }
      node = child;
    }
    return node;
  };
  for (const path of filePaths) insert(path).file = path;
  for (const path of directories) insert(path).isDirectory = true;
  const conflicts: PackageProblem[] = [];
  const pending: Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.file !== null && (node.isDirectory || node.children.size > 0)) conflicts.push(packageProblems.pathConflict(node.file));
    for (const child of node.children.values()) pending.push(child);
  }
  return conflicts;
}

/** yauzl's and zlib's complaints about the archive itself become ZIP_INVALID; our own errors pass through. */
export function asZipInvalid(err: unknown, path = ''): Error {
  if (err instanceof PackageRejectedError) return err;
  if (isSystemError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new PackageRejectedError([path === '' ? packageProblems.notAZip(detail) : packageProblems.damagedEntry(path, detail)]);
}

/** Disk full, permission denied…: the server's problem, not the package's. */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}
