// Translates the stored manifest (imsss:sequencing and its adlseq / adlnav / adlcp companions) into
// scorm-again's `sequencing` settings: the activity tree the player's sequencing engine runs (pure).
//
// Sequencing collections need no separate step: the ingest already merged each IDRef's
// referenced elements into the item's own sequencing (see sequencing.types.ts).
import type { ManifestItem, ParsedManifest } from '../../courses/manifest/manifest.types.js';
import type {
  AdlObjectiveMapInfoJson, ObjectiveJson, ObjectiveMapInfoJson, RuleConditionJson, SequencingJson, SequencingRuleJson,
} from '../../courses/manifest/sequencing.types.js';
import {
  HIDE_LMS_UI_TOKENS, type ActivitySettings, type HideLmsUiToken, type ObjectiveMapInfoSettings, type ObjectiveSettings,
  type RuleConditionSettings, type SequencingControlsSettings, type SequencingRuleSettings, type SequencingSettings,
} from './sequencing-settings.types.js';

/**
 * The activity tree: the organisation is the root, every item below it. Leaf items that launch
 * no SCO are left out, as the player can only deliver SCOs.
 */
export function buildSequencingSettings(manifest: ParsedManifest): SequencingSettings {
  const scoIds = new Set(manifest.scos.map((s) => s.identifier));
  const root: ActivitySettings = {
    id: manifest.organizationId || '__organization__',
    title: manifest.title,
    ...sequencingOf(manifest.organizationSequencing, manifest.organizationId),
    children: manifest.items.map((item) => activityOf(item, scoIds)).filter((a): a is ActivitySettings => a !== null),
  };
  return { activityTree: root, autoRollupOnCMIChange: true, logLevel: 'error' };
}

function activityOf(item: ManifestItem, scoIds: ReadonlySet<string>): ActivitySettings | null {
  const children = item.children.map((child) => activityOf(child, scoIds)).filter((a): a is ActivitySettings => a !== null);
  if (children.length === 0 && !scoIds.has(item.identifier)) return null;
  const activity: ActivitySettings = { id: item.identifier, title: item.title, ...sequencingOf(item.sequencing, item.identifier) };
  if (!item.isVisible) activity.isVisible = false;
  if (item.timeLimitAction) activity.timeLimitAction = item.timeLimitAction;
  if (item.completionThreshold) activity.completionThreshold = { ...item.completionThreshold };
  const hide = item.hideLmsUi.filter((t): t is HideLmsUiToken => (HIDE_LMS_UI_TOKENS as readonly string[]).includes(t));
  if (hide.length) activity.hideLmsUi = hide;
  if (item.dataMaps.length) {
    activity.sharedDataMaps = item.dataMaps.map((m) => ({ targetID: m.targetId, readSharedData: m.readSharedData, writeSharedData: m.writeSharedData }));
  }
  if (children.length) activity.children = children;
  return activity;
}

/** The activity fields one imsss:sequencing element sets; absent elements leave scorm-again's defaults. */
function sequencingOf(seq: SequencingJson | null, activityId: string): Partial<ActivitySettings> {
  if (!seq) return {};
  const out: Partial<ActivitySettings> = {};
  const controls: SequencingControlsSettings = {};
  if (seq.controlMode) Object.assign(controls, seq.controlMode);
  if (seq.constrainedChoiceConsiderations) Object.assign(controls, seq.constrainedChoiceConsiderations);
  if (seq.rollupRules) {
    const { rollupObjectiveSatisfied, rollupProgressCompletion, objectiveMeasureWeight } = seq.rollupRules;
    Object.assign(controls, { rollupObjectiveSatisfied, rollupProgressCompletion, objectiveMeasureWeight });
    out.rollupRules = {
      rules: seq.rollupRules.rules.map((r) => ({
        action: r.action, consideration: r.childActivitySet, minimumCount: r.minimumCount, minimumPercent: r.minimumPercent * 100,
        conditionCombination: r.conditionCombination,
        // scorm-again names the rollup condition "progressKnown".
        conditions: r.conditions.map((c) => ({
          condition: c.condition === 'activityProgressKnown' ? 'progressKnown' : c.condition, ...(c.operator === 'not' ? { operator: 'not' as const } : {}),
        })),
      })),
    };
  }
  if (seq.randomizationControls) {
    const r = seq.randomizationControls;
    Object.assign(controls, {
      randomizationTiming: r.randomizationTiming, reorderChildren: r.reorderChildren, randomizeChildren: r.reorderChildren,
      selectionTiming: r.selectionTiming, selectCount: r.selectCount,
    });
  }
  if (Object.keys(controls).length) out.sequencingControls = controls;
  if (seq.deliveryControls) out.deliveryControls = { ...seq.deliveryControls };
  if (seq.sequencingRules) {
    out.sequencingRules = {
      preConditionRules: seq.sequencingRules.preConditionRules.map(ruleOf),
      exitConditionRules: seq.sequencingRules.exitConditionRules.map(ruleOf),
      postConditionRules: seq.sequencingRules.postConditionRules.map(ruleOf),
    };
  }
  if (seq.limitConditions) {
    const l = seq.limitConditions;
    // Experienced-duration limits have no scorm-again counterpart (SCORM lets an LMS ignore them).
    Object.assign(out, {
      attemptLimit: l.attemptLimit, attemptAbsoluteDurationLimit: l.attemptAbsoluteDurationLimit,
      activityAbsoluteDurationLimit: l.activityAbsoluteDurationLimit, beginTimeLimit: l.beginTimeLimit, endTimeLimit: l.endTimeLimit,
    });
  }
  if (seq.rollupConsiderations) out.rollupConsiderations = { ...seq.rollupConsiderations };
  if (seq.auxiliaryResources?.length) out.auxiliaryResources = seq.auxiliaryResources.map((a) => ({ resourceId: a.auxiliaryResourceID, purpose: a.purpose }));
  if (seq.objectives) Object.assign(out, objectivesOf(seq, activityId));
  return out;
}

function ruleOf(rule: SequencingRuleJson<string>): SequencingRuleSettings {
  return { action: rule.action, conditionCombination: rule.conditionCombination, conditions: rule.conditions.map(conditionOf) };
}

function conditionOf(c: RuleConditionJson): RuleConditionSettings {
  const out: RuleConditionSettings = { condition: c.condition };
  if (c.operator === 'not') out.operator = 'not';
  if (c.referencedObjective) out.referencedObjective = c.referencedObjective;
  if (c.measureThreshold !== null) out.parameters = { threshold: c.measureThreshold };
  return out;
}

/**
 * Objectives with their maps. imsss:mapInfo (satisfaction, measure) and adlseq:mapInfo (completion,
 * progress, raw/min/max score) to the same global objective become one scorm-again map entry; a
 * flag the manifest does not grant is false, because scorm-again would default the reads to true.
 */
function objectivesOf(seq: SequencingJson, activityId: string): Pick<ActivitySettings, 'primaryObjective' | 'objectives'> {
  const adlMaps = new Map((seq.adlObjectives ?? []).map((o) => [o.objectiveID, o.mapInfo]));
  const toSettings = (objective: ObjectiveJson, isPrimary: boolean, id: string): ObjectiveSettings => ({
    objectiveID: id, isPrimary, satisfiedByMeasure: objective.satisfiedByMeasure, minNormalizedMeasure: objective.minNormalizedMeasure,
    mapInfo: mergeMaps(objective.mapInfo, objective.objectiveID ? adlMaps.get(objective.objectiveID) ?? [] : []),
  });
  const out: Pick<ActivitySettings, 'primaryObjective' | 'objectives'> = {};
  const primary = seq.objectives?.primaryObjective;
  // A primary objective without an ID still carries satisfiedByMeasure and maps: scorm-again
  // needs an ID to keep them, so it gets one no content can collide with.
  if (primary && (primary.objectiveID || primary.satisfiedByMeasure || primary.mapInfo.length)) {
    out.primaryObjective = toSettings(primary, true, primary.objectiveID ?? `${activityId}#primary`);
  }
  const others = (seq.objectives?.objectives ?? []).filter((o) => o.objectiveID);
  if (others.length) out.objectives = others.map((o) => toSettings(o, false, o.objectiveID!));
  return out;
}

const NO_ACCESS: Omit<ObjectiveMapInfoSettings, 'targetObjectiveID'> = {
  readSatisfiedStatus: false, readNormalizedMeasure: false, writeSatisfiedStatus: false, writeNormalizedMeasure: false,
  readCompletionStatus: false, writeCompletionStatus: false, readProgressMeasure: false, writeProgressMeasure: false,
  readRawScore: false, writeRawScore: false, readMinScore: false, writeMinScore: false, readMaxScore: false, writeMaxScore: false,
};

function mergeMaps(imsss: ObjectiveMapInfoJson[], adl: AdlObjectiveMapInfoJson[]): ObjectiveMapInfoSettings[] {
  const byTarget = new Map<string, ObjectiveMapInfoSettings>();
  const entry = (target: string) => {
    let found = byTarget.get(target);
    if (!found) byTarget.set(target, (found = { targetObjectiveID: target, ...NO_ACCESS }));
    return found;
  };
  for (const m of imsss) {
    Object.assign(entry(m.targetObjectiveID), {
      readSatisfiedStatus: m.readSatisfiedStatus, readNormalizedMeasure: m.readNormalizedMeasure,
      writeSatisfiedStatus: m.writeSatisfiedStatus, writeNormalizedMeasure: m.writeNormalizedMeasure,
    });
  }
  for (const m of adl) {
    const { targetObjectiveID, ...flags } = m;
    Object.assign(entry(targetObjectiveID), flags);
  }
  return [...byTarget.values()];
}

/** The global objective ids the activity tree maps, split by whether some map may write them. */
export function globalObjectiveTargets(settings: SequencingSettings): { read: Set<string>; written: Set<string> } {
  const read = new Set<string>();
  const written = new Set<string>();
  const visit = (activity: ActivitySettings) => {
    for (const objective of [activity.primaryObjective, ...(activity.objectives ?? [])]) {
      for (const map of objective?.mapInfo ?? []) {
        const flags = Object.entries(map).filter(([key]) => key !== 'targetObjectiveID');
        if (flags.some(([key, on]) => key.startsWith('read') && on === true)) read.add(map.targetObjectiveID);
        if (flags.some(([key, on]) => key.startsWith('write') && on === true)) written.add(map.targetObjectiveID);
      }
    }
    activity.children?.forEach(visit);
  };
  visit(settings.activityTree);
  return { read, written };
}
