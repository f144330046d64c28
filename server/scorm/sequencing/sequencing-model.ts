// What the LMS needs per course version to run SCORM 2004 sequencing: the engine settings, the
// root activity id, and which global objectives the course reads and writes. Built once per
// version from the stored manifest and cached (manifests never change after upload).
import type { ParsedManifest, ScormVersion } from '../../courses/manifest/manifest.types.js';
import { buildSequencingSettings, globalObjectiveTargets } from './build-sequencing-settings.js';
import type { SequencingSettings } from './sequencing-settings.types.js';

export interface SequencingModel {
  settings: SequencingSettings;
  rootId: string;
  /** Global objectives shared with other courses (objectivesGlobalToSystem); else scoped to the attempt. */
  globalToSystem: boolean;
  readTargets: ReadonlySet<string>;
  writtenTargets: ReadonlySet<string>;
  /** Launchable items whose resource is an asset: they make no API calls, the player reports for them. */
  assetIds: ReadonlySet<string>;
}

/**
 * The player runs the sequencing engine for every SCORM 2004 package: even one SCO may rely on the
 * LMS for Continue/Exit and for resuming where the engine says (issue 16, item 4).
 */
export function isSequenced(scormVersion: ScormVersion, scoCount: number): boolean {
  return scormVersion !== '1.2' && scoCount >= 1;
}

/**
 * Whether the attempt's result comes from the engine's root activity (saved sequencing state)
 * rather than from the SCOs' commits: with one SCO the root only repeats that SCO's status, and
 * its commits decide as for SCORM 1.2 (finish when complete and not suspended).
 */
export function isResultFromEngine(scormVersion: ScormVersion, scoCount: number): boolean {
  return isSequenced(scormVersion, scoCount) && scoCount > 1;
}

export function buildSequencingModel(manifest: ParsedManifest): SequencingModel | null {
  if (!isSequenced(manifest.scormVersion, manifest.scos.length)) return null;
  const settings = buildSequencingSettings(manifest);
  const targets = globalObjectiveTargets(settings);
  const assetResources = new Set(manifest.resources.filter((r) => r.scormType === 'asset').map((r) => r.identifier));
  const assetIds = new Set(manifest.scos.filter((s) => assetResources.has(s.resourceId)).map((s) => s.identifier));
  return { settings, rootId: settings.activityTree.id, globalToSystem: manifest.objectivesGlobalToSystem, readTargets: targets.read, writtenTargets: targets.written, assetIds };
}

/** A per-service cache of models by version id; `null` for versions that are not sequenced. */
export function sequencingModels(loadManifest: (versionId: number) => Promise<ParsedManifest | null>) {
  const cache = new Map<number, SequencingModel | null>();
  return async (versionId: number): Promise<SequencingModel | null> => {
    if (cache.has(versionId)) return cache.get(versionId)!;
    const manifest = await loadManifest(versionId);
    const model = manifest ? buildSequencingModel(manifest) : null;
    if (cache.size > 200) cache.clear();
    cache.set(versionId, model);
    return model;
  };
}
