import fs from 'node:fs';

export type TextEncoding = 'utf8' | 'gb18030' | 'utf16';
export type RosterFileType = 'csv' | 'xlsx';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** By content, not name: an XLSX is a zip; anything else is read as CSV text. */
export async function detectFileType(filePath: string): Promise<RosterFileType> {
  const head = await readHead(filePath, 4);
  return head.equals(ZIP_MAGIC) ? 'xlsx' : 'csv';
}

/**
 * A UTF-8 BOM means UTF-8 (a UTF-16 BOM is reported as such); otherwise the whole file is checked as UTF-8 (streaming, so a 40 MB roster
 * costs one quick read) and anything that is not valid UTF-8 is read as GB18030 — the superset of
 * GBK, which is what Chinese Excel writes for "CSV (comma delimited)".
 */
export async function detectTextEncoding(filePath: string): Promise<TextEncoding> {
  const head = await readHead(filePath, 3);
  if (head.equals(UTF8_BOM)) return 'utf8';
  // Excel's "Unicode text" is UTF-16 with a BOM (and tabs): named so the user can be told.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'utf16';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

async function readHead(filePath: string, length: number): Promise<Buffer> {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
