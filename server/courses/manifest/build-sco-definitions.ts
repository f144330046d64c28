// The SCO list the LMS stores and launches: every item, at any depth, whose resource is a SCO; in
// SCORM 2004 also every item launching an asset (a launchable activity that makes no API calls,
// which the sequencing engine delivers and completes like any leaf; issue 16, item 3).
import type { ManifestItem, ManifestResource, ScoDefinition } from './manifest.types.js';
import { ManifestProblemCode, type ProblemList } from './manifest-problems.js';
import { completionThresholdValue } from './read-item-extensions.js';
import { manifestObjectivesOf, scaledPassingScoreOf } from './sequencing-objectives.js';

export function buildScoDefinitions(
  items: ManifestItem[],
  resources: ReadonlyMap<string, ManifestResource>,
  problems: ProblemList,
  options: { includeAssets: boolean } = { includeAssets: false },
): ScoDefinition[] {
  const scos: ScoDefinition[] = [];
  const visit = (item: ManifestItem): void => {
    const resource = item.resourceId === null ? undefined : resources.get(item.resourceId);
    if (options.includeAssets && resource?.scormType === 'asset' && item.href !== null && item.children.length === 0) {
      scos.push(toScoDefinition(item, resource.identifier, item.href, scos.length));
    } else if (resource?.scormType === 'sco') {
      if (item.href === null) {
        problems.error(ManifestProblemCode.SCO_WITHOUT_HREF, `item "${item.identifier}": its SCO resource "${resource.identifier}" has no href to launch`);
      } else {
        scos.push(toScoDefinition(item, resource.identifier, item.href, scos.length));
      }
    }
    item.children.forEach(visit);
  };
  items.forEach(visit);
  return scos;
}

function toScoDefinition(item: ManifestItem, resourceId: string, href: string, position: number): ScoDefinition {
  return {
    identifier: item.identifier,
    resourceId,
    title: item.title,
    href,
    parameters: item.parameters,
    masteryScore: item.masteryScore,
    scaledPassingScore: scaledPassingScoreOf(item.sequencing),
    launchData: item.dataFromLms,
    maxTimeAllowed: item.maxTimeAllowed,
    timeLimitAction: item.timeLimitAction,
    completionThreshold: completionThresholdValue(item.completionThreshold),
    objectives: manifestObjectivesOf(item.sequencing),
    dataMaps: item.dataMaps,
    hideLmsUi: item.hideLmsUi,
    prerequisites: item.prerequisites?.expression ?? null,
    position,
  };
}
