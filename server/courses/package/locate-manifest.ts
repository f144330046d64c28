/**
 * Where is the package? SCORM puts imsmanifest.xml at the zip root; trainers often zip the course
 * folder itself, putting it one folder down. Anything else is missing or ambiguous.
 */
import type { PackageProblem } from './package-errors.js';
import { PackageRejectedError, packageProblems } from './package-errors.js';

const MANIFEST_NAME = 'imsmanifest.xml';

export interface ManifestLocation {
  /** '' when the manifest is at the zip root, else the folder holding it, with a trailing '/' (e.g. 'course/'). */
  packageRoot: string;
  /** The manifest's path relative to the package root: 'imsmanifest.xml', or e.g. 'IMSManifest.xml' when accepted with a warning. */
  manifestPath: string;
  warnings: PackageProblem[];
}

/** Picks the manifest from the zip's file paths ('/'-separated), exact name first, other casings with a warning. */
export function locateManifest(filePaths: readonly string[]): ManifestLocation {
  const candidates = filePaths.filter((path) => lastSegment(path).toLowerCase() === MANIFEST_NAME);
  const atDepth = (depth: number) => candidates.filter((path) => path.split('/').length === depth);

  const found = pickOne(atDepth(1)) ?? pickOne(atDepth(2));
  if (found === undefined) {
    throw new PackageRejectedError([packageProblems.manifestMissing(candidates.filter((path) => path.split('/').length > 2))]);
  }

  const slash = found.lastIndexOf('/');
  const packageRoot = found.slice(0, slash + 1);
  const manifestPath = found.slice(slash + 1);
  const warnings: PackageProblem[] = [];
  if (packageRoot !== '') warnings.push(packageProblems.rootInFolder(packageRoot));
  if (manifestPath !== MANIFEST_NAME) warnings.push(packageProblems.manifestNameCase(found));
  return { packageRoot, manifestPath, warnings };
}

/** The one candidate at this depth (exact name preferred), undefined if none; several is an error. */
function pickOne(sameDepth: string[]): string | undefined {
  const exact = sameDepth.filter((path) => lastSegment(path) === MANIFEST_NAME);
  const pool = exact.length > 0 ? exact : sameDepth;
  if (pool.length > 1) throw new PackageRejectedError([packageProblems.manifestAmbiguous([...pool].sort())]);
  return pool[0];
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
