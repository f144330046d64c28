// Writes a package zip with yazl. A fixed timestamp keeps rebuilds of unchanged sources
// byte-identical, so a re-import of the same course is recognisable by its hash.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');

export async function writeZip(zipPath: string, files: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    zip.addBuffer(content, path, { mtime: FIXED_MTIME, mode: 0o100644 });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
}
