// Problem codes found while reading a package, in one place so callers and translations can use them.
import type { PackageProblem } from './manifest.types.js';

export const MANIFEST_PATH = 'imsmanifest.xml';

export const ManifestProblemCode = {
  DOCTYPE: 'MANIFEST_DOCTYPE',
  INVALID_XML: 'MANIFEST_INVALID_XML',
  TOO_DEEP: 'MANIFEST_TOO_DEEP',
  TOO_MANY_ELEMENTS: 'MANIFEST_TOO_MANY_ELEMENTS',
  TOO_LARGE: 'MANIFEST_TOO_LARGE',
  NOT_A_MANIFEST: 'MANIFEST_NOT_A_MANIFEST',
  VERSION_GUESSED: 'MANIFEST_VERSION_GUESSED',
  NO_ORGANIZATION: 'MANIFEST_NO_ORGANIZATION',
  DEFAULT_ORGANIZATION_NOT_FOUND: 'MANIFEST_DEFAULT_ORGANIZATION_NOT_FOUND',
  NO_ITEMS: 'MANIFEST_NO_ITEMS',
  NO_SCO: 'MANIFEST_NO_SCO',
  DUPLICATE_IDENTIFIER: 'MANIFEST_DUPLICATE_IDENTIFIER',
  MISSING_IDENTIFIER: 'MANIFEST_MISSING_IDENTIFIER',
  RESOURCE_NOT_FOUND: 'MANIFEST_RESOURCE_NOT_FOUND',
  DEPENDENCY_NOT_FOUND: 'MANIFEST_DEPENDENCY_NOT_FOUND',
  SCO_WITHOUT_HREF: 'MANIFEST_SCO_WITHOUT_HREF',
  HREF_EXTERNAL: 'MANIFEST_HREF_EXTERNAL',
  HREF_OUTSIDE_PACKAGE: 'MANIFEST_HREF_OUTSIDE_PACKAGE',
  SEQUENCING_REFERENCE_NOT_FOUND: 'MANIFEST_SEQUENCING_REFERENCE_NOT_FOUND',
  INVALID_VALUE: 'MANIFEST_INVALID_VALUE',
  MISSING_VALUE: 'MANIFEST_MISSING_VALUE',
} as const;

export const PackageProblemCode = {
  LAUNCH_FILE_MISSING: 'PACKAGE_LAUNCH_FILE_MISSING',
  LISTED_FILE_MISSING: 'PACKAGE_LISTED_FILE_MISSING',
} as const;

/** Collects problems while the manifest is read; every reader gets one. */
export class ProblemList {
  readonly problems: PackageProblem[] = [];

  error(code: string, message: string, path: string = MANIFEST_PATH): void {
    this.problems.push({ code, message, path, severity: 'error' });
  }

  warn(code: string, message: string, path: string = MANIFEST_PATH): void {
    this.problems.push({ code, message, path, severity: 'warning' });
  }
}
