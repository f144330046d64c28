// Test helper: the third-party packages in ../shared/scorm-samples and the facts SOURCES.md
// records about them (read from its table, so a newly documented sample is covered too).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { ScormVersion } from '../../../server/courses/manifest/manifest.types.js';

const SAMPLES_DIR = fileURLToPath(new URL('../../../../shared/scorm-samples/', import.meta.url));

export function listSampleZips(): string[] {
  return readdirSync(SAMPLES_DIR).filter((name) => name.endsWith('.zip')).sort();
}

export interface SampleZip {
  manifestXml: string;
  /** Every entry name, '/'-separated, folders included (with their trailing slash). */
  entryNames: Set<string>;
}

export async function readSampleZip(fileName: string): Promise<SampleZip> {
  const zip = await yauzl.openPromise(SAMPLES_DIR + fileName, { lazyEntries: true });
  const entryNames = new Set<string>();
  let manifestXml: string | null = null;
  try {
    for await (const entry of zip.eachEntry()) {
      entryNames.add(entry.fileName);
      if (entry.fileName === 'imsmanifest.xml') {
        manifestXml = (await readAll(await zip.openReadStreamPromise(entry))).toString('utf8');
      }
    }
  } finally {
    zip.close();
  }
  if (manifestXml === null) throw new Error(`${fileName} has no imsmanifest.xml at its root`);
  return { manifestXml, entryNames };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface SampleFacts {
  scormVersion: ScormVersion;
  scoCount: number;
  firstLaunchHref: string;
  /** SOURCES.md marks the launch file as "not in the zip". */
  isLaunchFileMissing: boolean;
}

/** Rows of the SOURCES.md table: | `file.zip` | version | SCOs | score | launch href | size | */
export function readSampleFacts(): Map<string, SampleFacts> {
  const sources = readFileSync(SAMPLES_DIR + 'SOURCES.md', 'utf8');
  const facts = new Map<string, SampleFacts>();
  for (const line of sources.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const fileName = /^`([^`]+\.zip)`$/.exec(cells[1] ?? '')?.[1];
    if (!fileName) continue;
    const [versionCell = '', scoCell = '', , hrefCell = ''] = cells.slice(2);
    facts.set(fileName, {
      scormVersion: versionOf(versionCell),
      scoCount: Number.parseInt(scoCell, 10),
      firstLaunchHref: /`([^`]+)`/.exec(hrefCell)?.[1] ?? '',
      isLaunchFileMissing: /not in the zip/i.test(hrefCell),
    });
  }
  return facts;
}

function versionOf(cell: string): ScormVersion {
  if (/SCORM 1\.2/.test(cell)) return '1.2';
  if (/2nd ed/.test(cell)) return '2004-2nd';
  if (/3rd ed/.test(cell)) return '2004-3rd';
  if (/4th ed/.test(cell)) return '2004-4th';
  throw new Error(`SOURCES.md: cannot read a SCORM version from "${cell}"`);
}
