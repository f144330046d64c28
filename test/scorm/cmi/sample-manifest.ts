// Reads imsmanifest.xml out of a real package in ../shared/scorm-samples (never copied into the repo).

import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

const SAMPLES = new URL('../../../../shared/scorm-samples/', import.meta.url);

export function readSampleManifest(zipName: string): Promise<string> {
  const path = fileURLToPath(new URL(zipName, SAMPLES));
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      zip.on('error', reject);
      zip.on('end', () => reject(new Error(`${zipName} has no imsmanifest.xml`)));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'imsmanifest.xml') return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
          stream.on('error', reject);
        });
      });
      zip.readEntry();
    });
  });
}

/** objectiveID attributes of imsss:primaryObjective / imsss:objective, in document order, unique. */
export function objectiveIdsOf(manifestXml: string): string[] {
  const ids = [...manifestXml.matchAll(/<imsss:(?:primaryObjective|objective)\b[^>]*\bobjectiveID="([^"]+)"/g)].map((match) => match[1] ?? '');
  return [...new Set(ids)];
}
