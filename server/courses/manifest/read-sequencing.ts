// Reads one imsss:sequencing element (with its adlseq extensions) into SequencingJson.
// Defaults are those of imsss_v1p0*.xsd and adlseq_v1p3.xsd as shipped in SCORM 2004 4th edition.
import type { Element } from '@xmldom/xmldom';
import type { AttributeValues } from './attribute-values.js';
import { ADLSEQ_NS, IMSSS_NS } from './manifest-namespaces.js';
import type {
  AdlObjectiveJson,
  AdlObjectiveMapInfoJson,
  AuxiliaryResourceJson,
  ChildActivitySet,
  ConditionCombination,
  ConditionOperator,
  ConstrainedChoiceConsiderationsJson,
  ControlModeJson,
  DeliveryControlsJson,
  LimitConditionsJson,
  ObjectiveJson,
  ObjectivesJson,
  RandomizationControlsJson,
  RandomizationTiming,
  RollupAction,
  RollupConsiderationRequirement,
  RollupConsiderationsJson,
  RollupRuleCondition,
  RollupRuleJson,
  RollupRulesJson,
  SequencingJson,
  SequencingRuleCondition,
  SequencingRuleJson,
  SequencingRulesJson,
} from './sequencing.types.js';
import { childElement, childElements } from './xml-elements.js';

const COMBINATIONS: readonly ConditionCombination[] = ['all', 'any'];
const OPERATORS: readonly ConditionOperator[] = ['noOp', 'not'];
const RULE_CONDITIONS: readonly SequencingRuleCondition[] = [
  'satisfied', 'objectiveStatusKnown', 'objectiveMeasureKnown', 'objectiveMeasureGreaterThan',
  'objectiveMeasureLessThan', 'completed', 'activityProgressKnown', 'attempted', 'attemptLimitExceeded',
  'timeLimitExceeded', 'outsideAvailableTimeRange', 'always',
];
const PRE_ACTIONS = ['skip', 'disabled', 'hiddenFromChoice', 'stopForwardTraversal'] as const;
const EXIT_ACTIONS = ['exit'] as const;
const POST_ACTIONS = ['exitParent', 'exitAll', 'retry', 'retryAll', 'continue', 'previous'] as const;
const ROLLUP_CONDITIONS: readonly RollupRuleCondition[] = [
  'satisfied', 'objectiveStatusKnown', 'objectiveMeasureKnown', 'completed', 'activityProgressKnown',
  'attempted', 'attemptLimitExceeded', 'timeLimitExceeded', 'outsideAvailableTimeRange',
];
const ROLLUP_ACTIONS: readonly RollupAction[] = ['satisfied', 'notSatisfied', 'completed', 'incomplete'];
const CHILD_ACTIVITY_SETS: readonly ChildActivitySet[] = ['all', 'any', 'none', 'atLeastCount', 'atLeastPercent'];
const TIMINGS: readonly RandomizationTiming[] = ['never', 'once', 'onEachNewAttempt'];
const CONSIDERATIONS: readonly RollupConsiderationRequirement[] = ['always', 'ifAttempted', 'ifNotSkipped', 'ifNotSuspended'];
const MEASURE = { min: -1, max: 1 };
const UNIT = { min: 0, max: 1 };

export function readSequencing(element: Element, values: AttributeValues): SequencingJson {
  const imsss = (name: string): Element | null => childElement(element, IMSSS_NS, name);
  const adlseq = (name: string): Element | null => childElement(element, ADLSEQ_NS, name);
  const optional = <T>(child: Element | null, read: (e: Element, v: AttributeValues) => T): T | null =>
    child ? read(child, values) : null;
  return {
    id: values.string(element, 'ID'),
    idRef: values.string(element, 'IDRef'),
    controlMode: optional(imsss('controlMode'), readControlMode),
    sequencingRules: optional(imsss('sequencingRules'), readSequencingRules),
    limitConditions: optional(imsss('limitConditions'), readLimitConditions),
    auxiliaryResources: optional(imsss('auxiliaryResources'), readAuxiliaryResources),
    rollupRules: optional(imsss('rollupRules'), readRollupRules),
    objectives: optional(imsss('objectives'), readObjectives),
    randomizationControls: optional(imsss('randomizationControls'), readRandomizationControls),
    deliveryControls: optional(imsss('deliveryControls'), readDeliveryControls),
    constrainedChoiceConsiderations: optional(adlseq('constrainedChoiceConsiderations'), readConstrainedChoice),
    rollupConsiderations: optional(adlseq('rollupConsiderations'), readRollupConsiderations),
    adlObjectives: optional(adlseq('objectives'), readAdlObjectives),
  };
}

function readControlMode(e: Element, v: AttributeValues): ControlModeJson {
  return {
    choice: v.boolean(e, 'choice', true),
    choiceExit: v.boolean(e, 'choiceExit', true),
    flow: v.boolean(e, 'flow', false),
    forwardOnly: v.boolean(e, 'forwardOnly', false),
    useCurrentAttemptObjectiveInfo: v.boolean(e, 'useCurrentAttemptObjectiveInfo', true),
    useCurrentAttemptProgressInfo: v.boolean(e, 'useCurrentAttemptProgressInfo', true),
  };
}

function readSequencingRules(e: Element, v: AttributeValues): SequencingRulesJson {
  const rules = <A extends string>(name: string, actions: readonly A[]): Array<SequencingRuleJson<A>> =>
    childElements(e, IMSSS_NS, name).flatMap((rule) => {
      const read = readSequencingRule(rule, v, actions);
      return read ? [read] : [];
    });
  return {
    preConditionRules: rules('preConditionRule', PRE_ACTIONS),
    exitConditionRules: rules('exitConditionRule', EXIT_ACTIONS),
    postConditionRules: rules('postConditionRule', POST_ACTIONS),
  };
}

/** A rule without a valid action is dropped (after an error): it could only misfire. */
function readSequencingRule<A extends string>(
  rule: Element,
  v: AttributeValues,
  actions: readonly A[],
): SequencingRuleJson<A> | null {
  const conditionsElement = childElement(rule, IMSSS_NS, 'ruleConditions');
  const actionElement = childElement(rule, IMSSS_NS, 'ruleAction');
  const action = actionElement ? v.requiredToken(actionElement, 'action', actions) : null;
  if (!actionElement) v.missing(rule, 'ruleAction');
  if (action === null) return null;
  const conditions = conditionsElement ? childElements(conditionsElement, IMSSS_NS, 'ruleCondition') : [];
  return {
    conditionCombination: conditionsElement ? v.token(conditionsElement, 'conditionCombination', COMBINATIONS, 'all') : 'all',
    conditions: conditions.flatMap((condition) => {
      const name = v.requiredToken(condition, 'condition', RULE_CONDITIONS);
      if (name === null) return [];
      return [{
        condition: name,
        operator: v.token(condition, 'operator', OPERATORS, 'noOp'),
        referencedObjective: v.string(condition, 'referencedObjective'),
        measureThreshold: v.decimal(condition, 'measureThreshold', MEASURE),
      }];
    }),
    action,
  };
}

function readLimitConditions(e: Element, v: AttributeValues): LimitConditionsJson {
  return {
    attemptLimit: v.nonNegativeInteger(e, 'attemptLimit'),
    attemptAbsoluteDurationLimit: v.string(e, 'attemptAbsoluteDurationLimit'),
    attemptExperiencedDurationLimit: v.string(e, 'attemptExperiencedDurationLimit'),
    activityAbsoluteDurationLimit: v.string(e, 'activityAbsoluteDurationLimit'),
    activityExperiencedDurationLimit: v.string(e, 'activityExperiencedDurationLimit'),
    beginTimeLimit: v.string(e, 'beginTimeLimit'),
    endTimeLimit: v.string(e, 'endTimeLimit'),
  };
}

function readAuxiliaryResources(e: Element, v: AttributeValues): AuxiliaryResourceJson[] {
  return childElements(e, IMSSS_NS, 'auxiliaryResource').flatMap((resource) => {
    const id = v.requiredString(resource, 'auxiliaryResourceID');
    return id === null ? [] : [{ auxiliaryResourceID: id, purpose: v.string(resource, 'purpose') ?? '' }];
  });
}

function readRollupRules(e: Element, v: AttributeValues): RollupRulesJson {
  return {
    rollupObjectiveSatisfied: v.boolean(e, 'rollupObjectiveSatisfied', true),
    rollupProgressCompletion: v.boolean(e, 'rollupProgressCompletion', true),
    objectiveMeasureWeight: v.decimal(e, 'objectiveMeasureWeight', UNIT) ?? 1,
    rules: childElements(e, IMSSS_NS, 'rollupRule').flatMap((rule) => {
      const read = readRollupRule(rule, v);
      return read ? [read] : [];
    }),
  };
}

function readRollupRule(rule: Element, v: AttributeValues): RollupRuleJson | null {
  const actionElement = childElement(rule, IMSSS_NS, 'rollupAction');
  const action = actionElement ? v.requiredToken(actionElement, 'action', ROLLUP_ACTIONS) : null;
  if (!actionElement) v.missing(rule, 'rollupAction');
  if (action === null) return null;
  const conditionsElement = childElement(rule, IMSSS_NS, 'rollupConditions');
  const conditions = conditionsElement ? childElements(conditionsElement, IMSSS_NS, 'rollupCondition') : [];
  return {
    childActivitySet: v.token(rule, 'childActivitySet', CHILD_ACTIVITY_SETS, 'all'),
    minimumCount: v.nonNegativeInteger(rule, 'minimumCount') ?? 0,
    minimumPercent: v.decimal(rule, 'minimumPercent', UNIT) ?? 0,
    conditionCombination: conditionsElement ? v.token(conditionsElement, 'conditionCombination', COMBINATIONS, 'any') : 'any',
    conditions: conditions.flatMap((condition) => {
      const name = v.requiredToken(condition, 'condition', ROLLUP_CONDITIONS);
      return name === null ? [] : [{ condition: name, operator: v.token(condition, 'operator', OPERATORS, 'noOp') }];
    }),
    action,
  };
}

function readObjectives(e: Element, v: AttributeValues): ObjectivesJson {
  const primary = childElement(e, IMSSS_NS, 'primaryObjective');
  return {
    primaryObjective: primary ? readObjective(primary, v, false) : null,
    objectives: childElements(e, IMSSS_NS, 'objective').map((objective) => readObjective(objective, v, true)),
  };
}

function readObjective(e: Element, v: AttributeValues, isIdRequired: boolean): ObjectiveJson {
  const measure = childElement(e, IMSSS_NS, 'minNormalizedMeasure');
  return {
    objectiveID: isIdRequired ? v.requiredString(e, 'objectiveID') : v.string(e, 'objectiveID'),
    satisfiedByMeasure: v.boolean(e, 'satisfiedByMeasure', false),
    minNormalizedMeasure: measure ? v.decimalText(measure, MEASURE) : null,
    mapInfo: childElements(e, IMSSS_NS, 'mapInfo').flatMap((map) => {
      const target = v.requiredString(map, 'targetObjectiveID');
      if (target === null) return [];
      return [{
        targetObjectiveID: target,
        readSatisfiedStatus: v.boolean(map, 'readSatisfiedStatus', true),
        readNormalizedMeasure: v.boolean(map, 'readNormalizedMeasure', true),
        writeSatisfiedStatus: v.boolean(map, 'writeSatisfiedStatus', false),
        writeNormalizedMeasure: v.boolean(map, 'writeNormalizedMeasure', false),
      }];
    }),
  };
}

function readRandomizationControls(e: Element, v: AttributeValues): RandomizationControlsJson {
  return {
    randomizationTiming: v.token(e, 'randomizationTiming', TIMINGS, 'never'),
    selectCount: v.nonNegativeInteger(e, 'selectCount'),
    reorderChildren: v.boolean(e, 'reorderChildren', false),
    selectionTiming: v.token(e, 'selectionTiming', TIMINGS, 'never'),
  };
}

function readDeliveryControls(e: Element, v: AttributeValues): DeliveryControlsJson {
  return {
    tracked: v.boolean(e, 'tracked', true),
    completionSetByContent: v.boolean(e, 'completionSetByContent', false),
    objectiveSetByContent: v.boolean(e, 'objectiveSetByContent', false),
  };
}

function readConstrainedChoice(e: Element, v: AttributeValues): ConstrainedChoiceConsiderationsJson {
  return {
    preventActivation: v.boolean(e, 'preventActivation', false),
    constrainChoice: v.boolean(e, 'constrainChoice', false),
  };
}

function readRollupConsiderations(e: Element, v: AttributeValues): RollupConsiderationsJson {
  return {
    requiredForSatisfied: v.token(e, 'requiredForSatisfied', CONSIDERATIONS, 'always'),
    requiredForNotSatisfied: v.token(e, 'requiredForNotSatisfied', CONSIDERATIONS, 'always'),
    requiredForCompleted: v.token(e, 'requiredForCompleted', CONSIDERATIONS, 'always'),
    requiredForIncomplete: v.token(e, 'requiredForIncomplete', CONSIDERATIONS, 'always'),
    measureSatisfactionIfActive: v.boolean(e, 'measureSatisfactionIfActive', true),
  };
}

function readAdlObjectives(e: Element, v: AttributeValues): AdlObjectiveJson[] {
  return childElements(e, ADLSEQ_NS, 'objective').flatMap((objective) => {
    const id = v.requiredString(objective, 'objectiveID');
    if (id === null) return [];
    const mapInfo = childElements(objective, ADLSEQ_NS, 'mapInfo').flatMap((map) => {
      const read = readAdlMapInfo(map, v);
      return read ? [read] : [];
    });
    return [{ objectiveID: id, mapInfo }];
  });
}

function readAdlMapInfo(map: Element, v: AttributeValues): AdlObjectiveMapInfoJson | null {
  const target = v.requiredString(map, 'targetObjectiveID');
  if (target === null) return null;
  return {
    targetObjectiveID: target,
    readRawScore: v.boolean(map, 'readRawScore', true),
    readMinScore: v.boolean(map, 'readMinScore', true),
    readMaxScore: v.boolean(map, 'readMaxScore', true),
    readCompletionStatus: v.boolean(map, 'readCompletionStatus', true),
    readProgressMeasure: v.boolean(map, 'readProgressMeasure', true),
    writeRawScore: v.boolean(map, 'writeRawScore', false),
    writeMinScore: v.boolean(map, 'writeMinScore', false),
    writeMaxScore: v.boolean(map, 'writeMaxScore', false),
    writeCompletionStatus: v.boolean(map, 'writeCompletionStatus', false),
    writeProgressMeasure: v.boolean(map, 'writeProgressMeasure', false),
  };
}
