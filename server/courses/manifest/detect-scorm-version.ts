// Which SCORM the package speaks: from <schemaversion>, else from the namespaces it uses.
import type { Element } from '@xmldom/xmldom';
import type { ScormVersion } from './manifest.types.js';
import { ADLCP_2004_NS, ADLSEQ_NS, SCORM_2004_NAMESPACES } from './manifest-namespaces.js';
import { ManifestProblemCode, type ProblemList } from './manifest-problems.js';
import { childElement, namespacesMentioned, textOf, type NamespaceMatch } from './xml-elements.js';

export interface DetectedVersion {
  scormVersion: ScormVersion;
  /** The literal <schemaversion>, null when absent. */
  schemaVersion: string | null;
}

export function detectScormVersion(manifest: Element, cpNamespace: NamespaceMatch, problems: ProblemList): DetectedVersion {
  const metadata = childElement(manifest, cpNamespace, 'metadata');
  const schemaVersion = metadata ? textOf(childElement(metadata, cpNamespace, 'schemaversion')) : null;
  const stated = schemaVersion === null ? null : versionFromSchemaVersion(schemaVersion);
  if (stated) return { scormVersion: stated, schemaVersion };

  const guessed = versionFromNamespaces(manifest);
  const said = schemaVersion === null ? 'has no <schemaversion>' : `has an unknown <schemaversion> "${schemaVersion}"`;
  problems.warn(ManifestProblemCode.VERSION_GUESSED, `the manifest ${said}; read as SCORM ${guessed} from its namespaces`);
  return { scormVersion: guessed, schemaVersion };
}

/** "1.2", "CAM 1.3" (how 2004 2nd edition names itself), "2004 3rd Edition", "2004 4th Edition". */
export function versionFromSchemaVersion(text: string): ScormVersion | null {
  const value = text.trim().replace(/\s+/g, ' ').toLowerCase();
  if (value === '1.2') return '1.2';
  if (value === 'cam 1.3' || /\b2nd\b/.test(value)) return '2004-2nd';
  if (/\b3rd\b/.test(value)) return '2004-3rd';
  if (/\b4th\b/.test(value)) return '2004-4th';
  return null;
}

/**
 * 2004 editions share their namespaces, so the edition is a guess: 4th when the manifest uses
 * what only the 4th edition has (shared data, adlseq objectives, threshold attributes), else 3rd.
 * Otherwise 1.2: its own namespaces, or none at all (the older, sloppier packages).
 */
function versionFromNamespaces(manifest: Element): ScormVersion {
  const mentioned = namespacesMentioned(manifest);
  if (SCORM_2004_NAMESPACES.some((uri) => mentioned.has(uri))) {
    return usesFourthEditionFeatures(manifest) ? '2004-4th' : '2004-3rd';
  }
  return '1.2';
}

function usesFourthEditionFeatures(manifest: Element): boolean {
  if (manifest.getElementsByTagNameNS(ADLCP_2004_NS, 'data').length > 0) return true;
  if (manifest.getElementsByTagNameNS(ADLSEQ_NS, 'objectives').length > 0) return true;
  return Array.from(manifest.getElementsByTagNameNS(ADLCP_2004_NS, 'completionThreshold')).some((element) =>
    ['completedByMeasure', 'minProgressMeasure', 'progressWeight'].some((name) => element.hasAttribute(name)),
  );
}
