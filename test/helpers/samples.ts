import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real third-party packages beside the checkout (CI copies shared/ there too). */
export const SAMPLES_DIR = fileURLToPath(new URL('../../../shared/scorm-samples/', import.meta.url));

export function sampleZips(): string[] {
  return fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.zip')).sort();
}

/** The SCORM version a sample's file name declares (…-SCORM12…, …-SCORM2004-3rd…). */
export function expectedVersion(file: string): string {
  if (/SCORM12/.test(file)) return '1.2';
  const edition = /SCORM2004-(2nd|3rd|4th)/.exec(file)?.[1];
  if (!edition) throw new Error(`sample ${file} does not say its SCORM version in its name`);
  return `2004-${edition}`;
}
