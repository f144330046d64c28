/**
 * Zip entry names: raw bytes → text → a checked relative path.
 * We decode and judge names ourselves instead of trusting yauzl, because Chinese Windows zip tools
 * write GBK without saying so, and because yauzl quietly turns backslashes into folder separators.
 */
import { crc32 } from './crc32.js';
import iconv from 'iconv-lite';
import type { PackageProblem } from './package-errors.js';
import { packageProblems } from './package-errors.js';

const UTF8_FLAG = 0x800; // general-purpose bit 11: "names are UTF-8"
const INFOZIP_UNICODE_PATH = 0x7075; // extra field 7-Zip and WinRAR add next to a local-code-page name
const MAX_SEGMENT_BYTES = 255; // the usual file-system limit for one name
const MAX_PATH_CHARS = 1024; // leaves room for the storage root in front

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type DecodedName = { ok: true; name: string } | { ok: false; problem: PackageProblem };

interface ExtraField { id: number; data: Buffer }

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The Info-ZIP Unicode Path field, used only when its checksum shows it describes this very name. */
function unicodePathFromExtra(raw: Buffer, extraFields: readonly ExtraField[]): string | null {
  for (const field of extraFields) {
    if (field.id !== INFOZIP_UNICODE_PATH || field.data.length < 6 || field.data[0] !== 1) continue;
    if (field.data.readUInt32LE(1) !== crc32(raw)) continue;
    return decodeUtf8(field.data.subarray(5));
  }
  return null;
}

/**
 * UTF-8 when the zip says so (bit 11 or a Unicode Path field); otherwise UTF-8 if the bytes are
 * valid UTF-8 (ASCII always is), else GBK/GB18030 as written by Chinese Windows tools.
 */
export function decodeEntryName(raw: Buffer, generalPurposeBitFlag: number, extraFields: readonly ExtraField[]): DecodedName {
  const fromExtra = unicodePathFromExtra(raw, extraFields);
  if (fromExtra !== null) return { ok: true, name: fromExtra };

  const asUtf8 = decodeUtf8(raw);
  if (asUtf8 !== null) return { ok: true, name: asUtf8 };
  if ((generalPurposeBitFlag & UTF8_FLAG) === 0) {
    const asGbk = iconv.decode(raw, 'gb18030');
    if (!asGbk.includes('\uFFFD')) return { ok: true, name: asGbk };
  }
  return { ok: false, problem: packageProblems.nameEncoding(displayBytes(raw)) };
}

/** Undecodable bytes shown as printable ASCII plus \xNN escapes, so the trainer can still spot the entry. */
function displayBytes(raw: Buffer): string {
  return [...raw].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('');
}

/** A name safe to show and log: control characters become visible \uXXXX escapes. */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export type CheckedPath =
  | { ok: true; segments: string[]; isDirectoryName: boolean }
  | { ok: false; problem: PackageProblem };

/**
 * Judges a decoded entry name and splits it into path segments. One problem per entry, the most
 * telling first (so `a\..\..\x` is reported as traversal, which is what it would do on Windows).
 * Empty and "." segments are dropped: they are harmless and some tools write "./index.html".
 */
export function checkEntryPath(name: string): CheckedPath {
  const shown = displayName(name);
  if (name === '') return { ok: false, problem: packageProblems.emptyName(shown) };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, problem: packageProblems.invalidCharacter(shown) };
  if (/^[a-zA-Z]:/.test(name)) return { ok: false, problem: packageProblems.driveLetterPath(shown) };
  if (name.startsWith('/') || name.startsWith('\\')) return { ok: false, problem: packageProblems.absolutePath(shown) };
  if (name.split(/[/\\]/).includes('..')) return { ok: false, problem: packageProblems.pathTraversal(shown) };
  if (name.includes('\\')) return { ok: false, problem: packageProblems.backslashPath(shown) };

  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  const isDirectoryName = name.endsWith('/');
  if (segments.length === 0 && !isDirectoryName) return { ok: false, problem: packageProblems.emptyName(shown) };
  if (name.length > MAX_PATH_CHARS || segments.some((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)) {
    return { ok: false, problem: packageProblems.nameTooLong(shown) };
  }
  return { ok: true, segments, isDirectoryName };
}

/** macOS resource forks and Finder files ride along in real packages; they are never content. */
export function isJunkEntry(segments: readonly string[]): boolean {
  return segments[0] === '__MACOSX' || segments[segments.length - 1] === '.DS_Store';
}
