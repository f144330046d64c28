// SCORM zips: the real sample packages, mutated (byte flips, truncation, duplicate and renamed
// entries, deep folders, hostile names aimed at a sentinel path outside the data folder) and with
// manifests made huge, deeply nested, damaged or full of values that hurt slow patterns.
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { buildZip, symlinkEntry, type ZipEntrySpec } from '../helpers/zip-builder.js';
import { SAMPLES_DIR } from '../helpers/samples.js';
import { nastyString, type Random } from './random.js';

export interface ZipCase { label: string; zip: Buffer; code: string | null; sentinels: string[] }
interface Entry { name: string; data: Buffer }

/** Samples small enough to rebuild a thousand times. */
const SAMPLE_NAMES = [
  'golf-RuntimeBasicCalls-SCORM12.zip', 'golf-RuntimeBasicCalls-SCORM2004-3rd.zip', 'golf-RuntimeMinimumCalls-SCORM12-multisco.zip',
  'golf-SequencingPostTestRollup-SCORM2004-4th.zip', 'odd-scorm-debugger-complex-SCORM12.zip', 'golf-ContentPackagingSingleSCO-SCORM2004-2nd.zip',
];

export async function loadSamples(): Promise<Entry[][]> {
  return Promise.all(SAMPLE_NAMES.map((name) => readEntries(path.join(SAMPLES_DIR, name))));
}

function readEntries(file: string): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries: Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => { entries.push({ name: entry.fileName, data: Buffer.concat(chunks) }); zip.readEntry(); });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

const MANIFEST = 'imsmanifest.xml';

function mutateManifest(random: Random, xml: string): { xml: string; label: string } {
  switch (random.int(0, 9)) {
    case 0: {
      const depth = random.pick([50, 99, 101, 5000, 100_000, random.size(200_000)]);
      return { xml: xml.replace('</manifest>', `<metadata>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</metadata></manifest>`), label: `nested ${depth}` };
    }
    case 1: {
      const count = random.pick([1000, 10_000, 49_000, 50_001, random.size(120_000)]);
      return { xml: xml.replace('</manifest>', `<metadata>${'<x a="1"/>'.repeat(count)}</metadata></manifest>`), label: `${count} extra elements` };
    }
    case 2: return { xml: xml.replace('</manifest>', `<!--${'x'.repeat(random.pick([1e6, 9 * 1024 * 1024]))}--></manifest>`), label: 'huge comment' };
    case 3: {
      const value = nastyString(random, 200_000);
      return { xml: xml.replace(/(masteryscore|identifier|href|scormtype|scormType)="[^"]*"/, `$1="${value.replace(/[<&"]/g, '')}"`), label: `attribute ${value.length} chars` };
    }
    case 4: {
      const at = random.int(0, xml.length);
      return { xml: xml.slice(0, at) + xml.slice(at + random.int(1, 200)), label: 'cut a range' };
    }
    case 5: return { xml: `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x "${'y'.repeat(1000)}">]>${xml.replace(/^<\?xml[^>]*>/, '')}`, label: 'DOCTYPE' };
    case 6: {
      const items = Array.from({ length: random.size(3000) }, (_, i) => `<item identifier="F${i}" identifierref="${random.chance(0.5) ? 'nope' : 'x'}"><title>${i}</title></item>`).join('');
      return { xml: xml.replace(/(<organization[^>]*>)/, `$1${items}`), label: 'many items' };
    }
    case 7: return { xml: xml.replace(/<(\w+)/, `<$1 ${'a'.repeat(random.int(1, 5))}="1" ${'a'.repeat(random.int(1, 5))}="2"`), label: 'duplicate attributes' };
    case 8: return { xml: `\ufeff${xml}`.replace(/schemaversion>[^<]*</, `schemaversion>${random.pick(['1.2', 'CAM 1.3', '2004 4th Edition', 'x', ''])}<`), label: 'schemaversion' };
    default: return { xml: xml.replace(/>\s*</g, () => (random.chance(0.01) ? `>${nastyString(random, 300).replace(/[<&]/g, '')}<` : '><')), label: 'text noise' };
  }
}

export function zipCase(random: Random, samples: Entry[][], index: number, seed: number): ZipCase {
  let entries: ZipEntrySpec[] = random.pick(samples).map((e) => ({ name: e.name, data: e.data }));
  const sentinels: string[] = [];
  const labels: string[] = [];
  const mutations = random.int(0, 2);
  for (let m = 0; m < mutations; m += 1) {
    const kind = random.int(0, 7);
    if (kind === 0) {
      const manifest = entries.find((e) => e.name === MANIFEST);
      if (manifest) {
        const { xml, label } = mutateManifest(random, String(manifest.data));
        manifest.data = xml;
        labels.push(`manifest ${label}`);
      }
    } else if (kind === 1) {
      const victim = random.pick(entries);
      entries.push({ name: victim.name, data: random.chance(0.5) ? 'duplicate' : victim.data });
      labels.push(`duplicate ${String(victim.name)}`);
    } else if (kind === 2) {
      const victim = random.pick(entries);
      victim.name = random.pick([`sub/${String(victim.name)}`, String(victim.name).toUpperCase(), `${String(victim.name)}.bak`, '']);
      labels.push('renamed entry');
    } else if (kind === 3) {
      const depth = random.pick([10, 100, 300, 1000]);
      const prefix = `${'d/'.repeat(depth)}`;
      entries = random.chance(0.5) ? entries.map((e) => ({ ...e, name: prefix + String(e.name) })) : [...entries, { name: `${prefix}${'n'.repeat(random.int(1, 300))}.txt`, data: 'x' }];
      labels.push(`deep folders ${depth}`);
    } else if (kind === 4) {
      const sentinel = `lms-fuzz-escape-${seed}-${index}-${m}`;
      sentinels.push(sentinel);
      entries.push(random.pick([
        { name: `${'../'.repeat(random.int(1, 12))}tmp/${sentinel}`, data: 'escaped' },
        { name: `/tmp/${sentinel}`, data: 'escaped' },
        { name: `..\\..\\..\\..\\tmp\\${sentinel}`, data: 'escaped' },
        symlinkEntry(sentinel, `/tmp/${sentinel}-target`),
        { name: `ok/../../${sentinel}`, data: 'escaped' },
      ]));
      labels.push('hostile name');
    } else if (kind === 5) {
      entries = entries.filter(() => random.chance(0.7));
      labels.push('dropped entries');
    } else if (kind === 6) {
      entries.push({ name: `big-${m}.bin`, data: Buffer.alloc(random.size(5_000_000), random.int(0, 255)) });
      labels.push('large entry');
    } else {
      entries.push({ name: nastyString(random, 400) || 'x', data: 'x' });
      labels.push('nasty name');
    }
  }
  let zip = buildZip(entries);
  const damage = random.int(0, 9);
  if (damage === 0) {
    zip = Buffer.from(zip);
    for (let i = random.int(1, 20); i > 0; i -= 1) zip[random.int(0, zip.length - 1)] ^= 1 << random.int(0, 7);
    labels.push('byte flips');
  } else if (damage === 1) {
    zip = zip.subarray(0, random.int(0, zip.length - 1));
    labels.push('truncated');
  }
  const code = random.pick([null, `FZ${index}`, `FZ${index}`, nastyString(random, 100)]);
  return { label: labels.join(', ') || 'sample as is', zip, code, sentinels };
}

/** True when nothing named by a case's sentinels appeared where it could have escaped to. */
export function sentinelsEscaped(sentinels: string[], roots: string[]): string[] {
  return sentinels.flatMap((s) => roots.flatMap((root) => [path.join(root, s), path.join(root, `${s}-target`)]).filter((p) => fs.existsSync(p)));
}
