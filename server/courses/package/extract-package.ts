/**
 * Unpacks an uploaded SCORM zip safely, in two steps so a failure or a crash leaves nothing launchable:
 *
 *   const staged = await stagePackage(zipPath, storageRoot, limits); // checked + unpacked into .incoming/
 *   try { parse staged.rootDir/staged.manifestPath … } catch (e) { await discardStagedPackage(staged); throw e; }
 *   const dir = await commitStagedPackage(staged, finalName);        // one atomic rename into place
 *
 * `extractPackage` does both steps at once when nothing needs checking in between.
 * Everything the trainer did wrong is a PackageRejectedError; disk or permission failures are not.
 */
import { chmod, lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { locateManifest } from './locate-manifest.js';
import type { PackageProblem } from './package-errors.js';
import { PackageRejectedError, packageProblems } from './package-errors.js';
import { createStagingDir } from './incoming-folder.js';
import { createDirectories, writeEntries } from './write-entries.js';
import type { EntryToWrite } from './write-entries.js';
import { assertEntryCount, listZipEntries, openZip } from './zip-listing.js';

export { removeStaleIncoming } from './incoming-folder.js';
export type { RemoveStaleOptions } from './incoming-folder.js';

export interface ExtractLimits {
  /** Most central-directory entries (files, folders, junk) a zip may hold. */
  maxEntries: number;
  /** Most bytes the package may unpack to, counted while inflating. */
  maxUncompressedBytes: number;
}

/** An unpacked package waiting in `<storageRoot>/.incoming/`, not yet visible anywhere. */
export interface StagedPackage {
  storageRoot: string;
  /** The private staging folder; removed by commit or discard. */
  tempDir: string;
  /** The package root inside tempDir: where imsmanifest.xml is. Parse the manifest from here. */
  rootDir: string;
  /** '' or e.g. 'course/' when the manifest was one folder down in the zip. */
  packageRoot: string;
  /** The manifest, relative to rootDir: 'imsmanifest.xml' (or another casing, with a warning). */
  manifestPath: string;
  /** Files, relative to the package root, '/'-separated, sorted. */
  files: string[];
  totalBytes: number;
  warnings: PackageProblem[];
}

export interface ExtractedPackage {
  /** Final absolute folder: the package root, i.e. it holds the manifest. */
  dir: string;
  files: string[];
  packageRoot: string;
  manifestPath: string;
  totalBytes: number;
  warnings: PackageProblem[];
}

/** Checks the whole zip, then unpacks the package root into a fresh staging folder. */
export async function stagePackage(zipPath: string, storageRoot: string, limits: ExtractLimits): Promise<StagedPackage> {
  assertLimits(limits);
  const zipfile = await openZip(zipPath);
  try {
    assertEntryCount(zipfile, limits.maxEntries);
    const listing = await listZipEntries(zipfile);
    const location = locateManifest(listing.files.map((file) => file.path));
    const { packageRoot } = location;

    const inRoot = (entryPath: string) => entryPath.startsWith(packageRoot);
    const toWrite: EntryToWrite[] = listing.files
      .filter((file) => inRoot(file.path))
      .map((file) => ({ entry: file.entry, zipPath: file.path, targetPath: file.path.slice(packageRoot.length) }));
    const outside = listing.files.filter((file) => !inRoot(file.path)).map((file) => file.path);
    const warnings = [...location.warnings];
    if (outside.length > 0) warnings.push(packageProblems.filesOutsideRoot(packageRoot, outside));

    // Honest sizes over the limit fail here, before anything is written; lying ones fail while inflating.
    const declaredBytes = toWrite.reduce((sum, item) => sum + item.entry.uncompressedSize, 0);
    if (declaredBytes > limits.maxUncompressedBytes) {
      throw new PackageRejectedError([packageProblems.tooLarge('', limits.maxUncompressedBytes)]);
    }

    const tempDir = await createStagingDir(storageRoot);
    try {
      const rootDir = path.join(tempDir, ...packageRoot.split('/').filter(Boolean));
      await mkdir(rootDir, { recursive: true, mode: 0o755 });
      const folders = listing.directories.filter((dir) => inRoot(`${dir}/`)).map((dir) => dir.slice(packageRoot.length)).filter(Boolean);
      await createDirectories(rootDir, folders);
      const totalBytes = await writeEntries(zipfile, toWrite, rootDir, limits.maxUncompressedBytes);
      return {
        storageRoot: path.resolve(storageRoot),
        tempDir,
        rootDir,
        packageRoot,
        manifestPath: location.manifestPath,
        files: toWrite.map((item) => item.targetPath).sort(),
        totalBytes,
        warnings,
      };
    } catch (err) {
      await rm(tempDir, { recursive: true, force: true });
      throw err;
    }
  } finally {
    zipfile.close();
  }
}

/**
 * Moves the package root to `<storageRoot>/<finalName>` with one rename, then drops the staging
 * folder. `finalName` is a single folder name chosen by the caller (e.g. the version id); it must not
 * exist yet. Returns the final absolute folder.
 */
export async function commitStagedPackage(staged: StagedPackage, finalName: string): Promise<string> {
  assertFolderName(finalName);
  const finalDir = path.join(staged.storageRoot, finalName);
  if (await exists(finalDir)) throw new Error(`Package folder ${finalDir} already exists; refusing to replace it`);
  await chmod(staged.rootDir, 0o755); // mkdtemp makes it 0700
  await rename(staged.rootDir, finalDir);
  await rm(staged.tempDir, { recursive: true, force: true });
  return finalDir;
}

/** Throws a staged package away (the manifest was refused, the database write failed…). */
export async function discardStagedPackage(staged: StagedPackage): Promise<void> {
  await rm(staged.tempDir, { recursive: true, force: true });
}

/** Stage and commit in one call. */
export async function extractPackage(zipPath: string, storageRoot: string, finalName: string, limits: ExtractLimits): Promise<ExtractedPackage> {
  assertFolderName(finalName);
  const staged = await stagePackage(zipPath, storageRoot, limits);
  let dir: string;
  try {
    dir = await commitStagedPackage(staged, finalName);
  } catch (err) {
    await discardStagedPackage(staged);
    throw err;
  }
  const { files, packageRoot, manifestPath, totalBytes, warnings } = staged;
  return { dir, files, packageRoot, manifestPath, totalBytes, warnings };
}

function assertLimits(limits: ExtractLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`ExtractLimits.${name} must be a positive integer, got ${value}`);
  }
}

/** One plain folder name: no separators, no dot-names (so never `.incoming`), nothing a path could escape with. */
function assertFolderName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (name === '' || name.startsWith('.') || /[/\\\u0000-\u001f:]/.test(name)) {
    throw new TypeError(`Invalid package folder name: ${JSON.stringify(name)}`);
  }
}

async function exists(target: string): Promise<boolean> {
  try {
    await lstat(target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
