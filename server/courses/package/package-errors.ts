/**
 * Why an uploaded package was refused, in words a trainer can act on.
 * Every problem names the zip entry it is about (`path`, '' for the whole zip), and all
 * user-facing wording of this folder sits here so it can be translated in one place.
 */
import { ValidationError } from '../../errors.js';
import type { PackageProblem } from '../manifest/manifest.types.js';

/** One finding about a package, the shape the manifest parser reports too; `path` is the zip entry, '' for the whole zip. */
export type { PackageProblem };

/**
 * The upload cannot become a course version. A 422 through the app's error handler;
 * `code` is the first problem's code, `problems` lists everything found.
 */
export class PackageRejectedError extends ValidationError {
  override name = 'PackageRejectedError';
  declare readonly problems: PackageProblem[];

  constructor(problems: PackageProblem[]) {
    if (problems.length === 0) throw new TypeError('PackageRejectedError needs at least one problem');
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super(`${first.message}${more}`, problems, first.code);
  }
}

const error = (code: string, path: string, message: string): PackageProblem => ({ code, message, path, severity: 'error' });
const warning = (code: string, path: string, message: string): PackageProblem => ({ code, message, path, severity: 'warning' });

const REZIP_ADVICE = 'Export the package again from the authoring tool, or zip the course folder with a standard zip tool.';

/** Human sizes for messages: 10485760 → "10 MB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = unit === 0 ? String(value) : value.toFixed(value < 10 && !Number.isInteger(value) ? 1 : 0);
  return `${rounded} ${units[unit]}`;
}

/** Builders for every problem this folder reports; the code names the rule, the message says what to do. */
export const packageProblems = {
  notAZip: (detail: string) =>
    error('ZIP_INVALID', '', `The file is not a zip archive, or it is damaged (${detail}). ${REZIP_ADVICE}`),
  damagedEntry: (path: string, detail: string) =>
    error('ZIP_INVALID', path, `"${path}" in the zip is damaged and cannot be unpacked (${detail}). ${REZIP_ADVICE}`),
  tooManyEntries: (count: number, max: number) =>
    error('ZIP_TOO_MANY_ENTRIES', '', `The zip holds ${count} entries; at most ${max} are allowed in one package.`),
  tooLarge: (path: string, max: number) =>
    error('ZIP_TOO_LARGE', path, `The package unpacks to more than ${formatBytes(max)}, the most allowed for one package.`),
  sizeLie: (path: string, declared: number) =>
    error('ZIP_TOO_LARGE', path, `"${path}" unpacks to more than the ${formatBytes(declared)} its zip header declares, which is how "zip bombs" work; the package was refused.`),
  emptyName: (path: string) =>
    error('ZIP_EMPTY_NAME', path, 'The zip holds an entry without a name. ' + REZIP_ADVICE),
  invalidCharacter: (path: string) =>
    error('ZIP_INVALID_CHARACTER', path, `"${path}" contains a NUL or control character, which is not allowed in file names.`),
  nameTooLong: (path: string) =>
    error('ZIP_NAME_TOO_LONG', path, `"${path}" has a file or folder name that is too long to store.`),
  nameEncoding: (path: string) =>
    error('ZIP_NAME_ENCODING', path, `The name "${path}" is in a character encoding we cannot read (neither UTF-8 nor GBK). ${REZIP_ADVICE}`),
  pathTraversal: (path: string) =>
    error('ZIP_PATH_TRAVERSAL', path, `"${path}" uses ".." to point outside the package folder, so it could overwrite other files. ${REZIP_ADVICE}`),
  absolutePath: (path: string) =>
    error('ZIP_ABSOLUTE_PATH', path, `"${path}" is an absolute path; every file in a package must be relative to the package folder. ${REZIP_ADVICE}`),
  driveLetterPath: (path: string) =>
    error('ZIP_DRIVE_LETTER_PATH', path, `"${path}" starts with a Windows drive letter; every file in a package must be relative to the package folder. ${REZIP_ADVICE}`),
  backslashPath: (path: string) =>
    error('ZIP_BACKSLASH_PATH', path, `"${path}" uses backslashes (\\) as folder separators, which zip files must not. ${REZIP_ADVICE}`),
  symlink: (path: string) =>
    error('ZIP_SYMLINK', path, `"${path}" is a symbolic link; links are not allowed in packages. Put the real file in the zip instead.`),
  encrypted: (path: string) =>
    error('ZIP_ENCRYPTED', path, `"${path}" is password-protected; upload a zip without a password.`),
  unsupportedCompression: (path: string, method: number) =>
    error('ZIP_UNSUPPORTED_COMPRESSION', path, `"${path}" is compressed with a method we cannot unpack (method ${method}); use ordinary "deflate" compression. ${REZIP_ADVICE}`),
  duplicateEntry: (path: string) =>
    error('ZIP_DUPLICATE_ENTRY', path, `"${path}" appears more than once in the zip. ${REZIP_ADVICE}`),
  pathConflict: (path: string) =>
    error('ZIP_PATH_CONFLICT', path, `"${path}" is both a file and a folder in the zip. ${REZIP_ADVICE}`),
  manifestMissing: (deeperCandidates: string[]) =>
    error('PACKAGE_MANIFEST_MISSING', deeperCandidates[0] ?? '', deeperCandidates.length === 0
      ? 'The zip has no imsmanifest.xml, so it is not a SCORM package. Export the course as SCORM 1.2 or SCORM 2004 from the authoring tool.'
      : `imsmanifest.xml must be at the top of the zip (or one folder down), but it was found only deeper: ${deeperCandidates.join(', ')}. Zip the folder that contains imsmanifest.xml.`),
  manifestAmbiguous: (candidates: string[]) =>
    error('PACKAGE_MANIFEST_AMBIGUOUS', candidates[0], `The zip holds several packages (${candidates.join(', ')}); upload one package per zip.`),
  manifestNameCase: (path: string) =>
    warning('PACKAGE_MANIFEST_NAME_CASE', path, `The manifest is named "${path}"; the SCORM name is "imsmanifest.xml" (lower case). It was accepted, but some systems will not find it.`),
  rootInFolder: (packageRoot: string) =>
    warning('PACKAGE_ROOT_IN_FOLDER', packageRoot, `imsmanifest.xml is inside the folder "${packageRoot}" rather than at the top of the zip; that folder was used as the package.`),
  filesOutsideRoot: (packageRoot: string, outside: string[]) =>
    warning('PACKAGE_FILES_OUTSIDE_ROOT', outside[0], `${outside.length} file${outside.length > 1 ? 's' : ''} outside "${packageRoot}" (${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', …' : ''}) ${outside.length > 1 ? 'were' : 'was'} left out.`),
};
