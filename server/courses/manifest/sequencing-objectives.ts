// Objectives of an activity as the runtime needs them: imsss objectives with the 4th-edition
// adlseq:mapInfo flags folded into their mapInfo, and the passing score they imply.
import type { ManifestObjective, ObjectiveMapInfo } from './manifest.types.js';
import type { AdlObjectiveJson, ObjectiveJson, SequencingJson } from './sequencing.types.js';

/** Primary objective first, then the others, in manifest order. */
export function manifestObjectivesOf(sequencing: SequencingJson | null): ManifestObjective[] {
  const objectives = sequencing?.objectives;
  if (!objectives) return [];
  const adlObjectives = sequencing.adlObjectives ?? [];
  const primary = objectives.primaryObjective ? [toManifestObjective(objectives.primaryObjective, true, adlObjectives)] : [];
  return [...primary, ...objectives.objectives.map((objective) => toManifestObjective(objective, false, adlObjectives))];
}

/** adlseq objective ids that name no imsss objective of the same sequencing element. */
export function unmatchedAdlObjectiveIds(sequencing: SequencingJson | null): string[] {
  const known = new Set(manifestObjectivesOf(sequencing).map((objective) => objective.id));
  return (sequencing?.adlObjectives ?? []).map((objective) => objective.objectiveID).filter((id) => !known.has(id));
}

/**
 * cmi.scaled_passing_score: the primary objective's minNormalizedMeasure when it is satisfied
 * by measure (1.0 when the measure is left out, the SCORM default); otherwise none.
 */
export function scaledPassingScoreOf(sequencing: SequencingJson | null): number | null {
  const primary = sequencing?.objectives?.primaryObjective;
  if (!primary?.satisfiedByMeasure) return null;
  return primary.minNormalizedMeasure ?? 1;
}

function toManifestObjective(objective: ObjectiveJson, isPrimary: boolean, adlObjectives: AdlObjectiveJson[]): ManifestObjective {
  const id = objective.objectiveID ?? '';
  const mapInfo: ObjectiveMapInfo[] = objective.mapInfo.map((map) => ({
    targetObjectiveId: map.targetObjectiveID,
    readSatisfiedStatus: map.readSatisfiedStatus,
    readNormalizedMeasure: map.readNormalizedMeasure,
    writeSatisfiedStatus: map.writeSatisfiedStatus,
    writeNormalizedMeasure: map.writeNormalizedMeasure,
  }));
  const extensions = id === '' ? [] : adlObjectives.filter((adl) => adl.objectiveID === id);
  for (const { targetObjectiveID, ...flags } of extensions.flatMap((adl) => adl.mapInfo)) {
    const existing = mapInfo.find((map) => map.targetObjectiveId === targetObjectiveID);
    if (existing) {
      Object.assign(existing, flags);
    } else {
      // Only adlseq maps this target: no imsss status or measure flows through it.
      mapInfo.push({
        targetObjectiveId: targetObjectiveID,
        readSatisfiedStatus: false,
        readNormalizedMeasure: false,
        writeSatisfiedStatus: false,
        writeNormalizedMeasure: false,
        ...flags,
      });
    }
  }
  return {
    id,
    isPrimary,
    satisfiedByMeasure: objective.satisfiedByMeasure,
    minNormalizedMeasure: objective.minNormalizedMeasure,
    mapInfo,
  };
}
