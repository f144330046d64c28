// After extraction: does the package hold the files its manifest launches and lists?
// A missing SCO launch file is an error (the SCO cannot start); a file missing from a <file>
// list is only a warning, because real packages list files they do not ship.
import type { PackageProblem, ParsedManifest } from './manifest.types.js';
import { PackageProblemCode } from './manifest-problems.js';
import { filePathOfHref, isExternalHref } from './package-href.js';

/** `fileExists` answers for a path relative to the package root, '/'-separated. */
export function checkPackageFiles(manifest: ParsedManifest, fileExists: (relativePath: string) => boolean): PackageProblem[] {
  const problems: PackageProblem[] = [];
  const reported = new Set<string>();

  for (const sco of manifest.scos) {
    const path = filePathOfHref(sco.href);
    // An external href is already refused by parseManifest: there is no file to look for.
    if (reported.has(path) || isExternalHref(sco.href) || fileExists(path)) continue;
    reported.add(path);
    problems.push({
      code: PackageProblemCode.LAUNCH_FILE_MISSING,
      message: `the launch file ${path} of SCO "${sco.identifier}" (${sco.title}) is not in the package`,
      path,
      severity: 'error',
    });
  }

  for (const resource of manifest.resources) {
    for (const file of resource.files) {
      const path = filePathOfHref(file);
      if (reported.has(path) || fileExists(path)) continue;
      reported.add(path);
      problems.push({
        code: PackageProblemCode.LISTED_FILE_MISSING,
        message: `the file ${path} listed by resource "${resource.identifier}" is not in the package`,
        path,
        severity: 'warning',
      });
    }
  }
  return problems;
}
