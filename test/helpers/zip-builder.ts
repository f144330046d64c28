/**
 * Writes zip files byte by byte, so tests can make the hostile zips that yazl refuses to:
 * traversal and absolute names, backslashes, symlinks, sizes that lie, deflate bombs, GBK names
 * without the UTF-8 flag, more than 65,535 entries (zip64 end record).
 *
 *   const zip = buildZip([
 *     { name: 'imsmanifest.xml', data: '<manifest/>' },
 *     { name: '../evil.html', data: 'x' },
 *     symlinkEntry('link', '/etc/passwd'),
 *     { name: iconv.encode('课程/第一课.html', 'gbk'), data: 'hi' },
 *     deflateBombEntry('bomb.bin', 50 * 1024 * 1024, { declaredSize: 1000 }),
 *   ]);
 *   await writeZip(zipPath, entries);           // or .attach('package', zip, 'course.zip') in supertest
 */
import { writeFile } from 'node:fs/promises';
import zlib from 'node:zlib';

export interface ZipEntrySpec {
  /** A string is written as UTF-8 bytes; a Buffer is written as is (e.g. GBK bytes). */
  name: string | Buffer;
  /** File content; default empty. Ignored when `rawData` is given. */
  data?: string | Buffer;
  /** Already-compressed bytes to store verbatim (with `crc32` and `declaredSize`); for bombs built once. */
  rawData?: Buffer;
  /** 'deflate' (default for non-empty data) or 'store'. */
  method?: 'deflate' | 'store';
  /** Raw compression-method number, overriding `method` (e.g. 99 for AES, 14 for LZMA). */
  compressionMethod?: number;
  /** Set general-purpose bit 11 ("name is UTF-8"). Default: true when `name` is a string with non-ASCII characters. */
  utf8Flag?: boolean;
  /** Extra general-purpose bits (e.g. 0x1 "encrypted"). */
  flags?: number;
  /** Uncompressed size written in both headers; default the real size. A lie when set. */
  declaredSize?: number;
  /** CRC-32 written in both headers; default the real one. */
  crc32?: number;
  /** Unix mode (e.g. 0o100644, 0o120777 for a symlink); written as external attributes `mode << 16`, "made by" Unix. */
  unixMode?: number;
  /** Raw external attributes, overriding `unixMode`. */
  externalAttributes?: number;
  /** Extra fields written in both headers. */
  extraFields?: Array<{ id: number; data: Buffer }>;
}

export interface BuildZipOptions {
  /** Write a zip64 end record even with few entries. Automatic above 65,535 entries. */
  zip64?: boolean;
  /** The entry count the end record claims; default the real count. A lie when set. */
  claimedEntryCount?: number;
}

const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1; // 2024-01-01
const MADE_BY_UNIX = 3 << 8;
const VERSION = 20;
const VERSION_ZIP64 = 45;

interface PreparedEntry {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressed: Buffer;
  declaredSize: number;
  madeBy: number;
  externalAttributes: number;
  extra: Buffer;
}

function prepare(spec: ZipEntrySpec): PreparedEntry {
  const name = typeof spec.name === 'string' ? Buffer.from(spec.name, 'utf8') : spec.name;
  const data = typeof spec.data === 'string' ? Buffer.from(spec.data, 'utf8') : (spec.data ?? Buffer.alloc(0));
  const method = spec.compressionMethod ?? ((spec.method ?? (data.length > 0 || spec.rawData ? 'deflate' : 'store')) === 'deflate' ? 8 : 0);
  const compressed = spec.rawData ?? (method === 8 ? zlib.deflateRawSync(data) : data);
  const isNonAscii = typeof spec.name === 'string' && /[^\x20-\x7e]/.test(spec.name);
  const utf8 = spec.utf8Flag ?? isNonAscii;
  return {
    name,
    flags: (utf8 ? 0x800 : 0) | (spec.flags ?? 0),
    method,
    crc: spec.crc32 ?? zlib.crc32(data),
    compressed,
    declaredSize: spec.declaredSize ?? data.length,
    madeBy: spec.unixMode !== undefined ? MADE_BY_UNIX | VERSION : VERSION,
    externalAttributes: spec.externalAttributes ?? (spec.unixMode !== undefined ? (spec.unixMode << 16) >>> 0 : 0),
    extra: Buffer.concat((spec.extraFields ?? []).map(encodeExtraField)),
  };
}

function encodeExtraField({ id, data }: { id: number; data: Buffer }): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(id, 0);
  header.writeUInt16LE(data.length, 2);
  return Buffer.concat([header, data]);
}

function localHeader(entry: PreparedEntry): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION, 4);
  header.writeUInt16LE(entry.flags, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(0, 10); // time
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.compressed.length, 18);
  header.writeUInt32LE(entry.declaredSize >>> 0, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(entry.extra.length, 28);
  return Buffer.concat([header, entry.name, entry.extra]);
}

function centralHeader(entry: PreparedEntry, localOffset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(entry.madeBy, 4);
  header.writeUInt16LE(VERSION, 6);
  header.writeUInt16LE(entry.flags, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(0, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressed.length, 20);
  header.writeUInt32LE(entry.declaredSize >>> 0, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(entry.extra.length, 30);
  header.writeUInt16LE(0, 32); // comment length
  header.writeUInt16LE(0, 34); // disk
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(entry.externalAttributes, 38);
  header.writeUInt32LE(localOffset, 42);
  return Buffer.concat([header, entry.name, entry.extra]);
}

function endRecords(count: number, centralSize: number, centralOffset: number, zip64: boolean): Buffer {
  const parts: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of this record
    record.writeUInt16LE(VERSION_ZIP64, 12);
    record.writeUInt16LE(VERSION_ZIP64, 14);
    record.writeUInt32LE(0, 16);
    record.writeUInt32LE(0, 20);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(centralSize), 40);
    record.writeBigUInt64LE(BigInt(centralOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeUInt32LE(0, 4);
    locator.writeBigUInt64LE(BigInt(centralOffset + centralSize), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : count, 8);
  end.writeUInt16LE(zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/** The bytes of a zip holding `entries`, in order. */
export function buildZip(entries: readonly ZipEntrySpec[], options: BuildZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const spec of entries) {
    const entry = prepare(spec);
    const local = localHeader(entry);
    centrals.push(centralHeader(entry, offset));
    locals.push(local, entry.compressed);
    offset += local.length + entry.compressed.length;
  }
  const central = Buffer.concat(centrals);
  const count = options.claimedEntryCount ?? entries.length;
  const zip64 = options.zip64 ?? count > 0xffff;
  return Buffer.concat([...locals, central, endRecords(count, central.length, offset, zip64)]);
}

/** Writes `buildZip(entries, options)` to `path`. */
export async function writeZip(path: string, entries: readonly ZipEntrySpec[], options: BuildZipOptions = {}): Promise<void> {
  await writeFile(path, buildZip(entries, options));
}

/** A Unix symlink entry pointing at `target` (the link text is the entry's data). */
export function symlinkEntry(name: string, target: string): ZipEntrySpec {
  return { name, data: target, method: 'store', unixMode: 0o120777 };
}

/** A directory entry (`name` should end with '/'). */
export function directoryEntry(name: string): ZipEntrySpec {
  return { name, method: 'store', unixMode: 0o040755 };
}

/**
 * `uncompressedBytes` zeros, deflated (50 MB → about 50 KB). Its headers declare `declaredSize`
 * (default: the truth) and a CRC that matches the real content.
 */
export function deflateBombEntry(name: string, uncompressedBytes: number, options: { declaredSize?: number } = {}): ZipEntrySpec {
  const zeros = Buffer.alloc(uncompressedBytes);
  return {
    name,
    rawData: zlib.deflateRawSync(zeros, { level: 9 }),
    crc32: zlib.crc32(zeros),
    declaredSize: options.declaredSize ?? uncompressedBytes,
  };
}

/** `count` tiny stored files named by `nameOf` (default `f/000001.txt`…): for entry-count limits. */
export function manyEntries(count: number, nameOf: (index: number) => string = (i) => `f/${String(i).padStart(6, '0')}.txt`): ZipEntrySpec[] {
  return Array.from({ length: count }, (_, i) => ({ name: nameOf(i), data: 'x', method: 'store' as const }));
}

/**
 * The Info-ZIP Unicode Path extra field (0x7075) that 7-Zip and WinRAR add next to a local-code-page
 * name: it carries the UTF-8 name and the CRC-32 of the raw name it stands for.
 */
export function unicodePathExtraField(rawName: Buffer, utf8Name: string): { id: number; data: Buffer } {
  const head = Buffer.alloc(5);
  head.writeUInt8(1, 0);
  head.writeUInt32LE(zlib.crc32(rawName), 1);
  return { id: 0x7075, data: Buffer.concat([head, Buffer.from(utf8Name, 'utf8')]) };
}
