// Worker entry of ManifestReader: reads and parses manifests off the main thread, one at a time.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parseManifest } from './parse-manifest.js';

parentPort?.on('message', ({ id, file }: { id: number; file: string }) => {
  try {
    parentPort?.postMessage({ id, result: parseManifest(fs.readFileSync(file, 'utf8')) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
