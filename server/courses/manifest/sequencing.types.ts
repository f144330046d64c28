// The JSON shape of one `imsss:sequencing` element (SCORM 2004), kept in full for the player.
//
// Conventions:
// - A field is `null` when its element is absent from the manifest; the consumer then applies the
//   SCORM defaults (scorm-again does). When an element IS present, every attribute is filled in,
//   with the schema default (imsss_v1p0*.xsd, adlseq_v1p3.xsd) where the manifest left it out.
// - Field names are the manifest's own attribute names, which are also scorm-again's
//   `sequencing` setting names (objectiveID, targetObjectiveID, choiceExit, …).

export type ConditionCombination = 'all' | 'any';
export type ConditionOperator = 'noOp' | 'not';

export type SequencingRuleCondition =
  | 'satisfied' | 'objectiveStatusKnown' | 'objectiveMeasureKnown' | 'objectiveMeasureGreaterThan'
  | 'objectiveMeasureLessThan' | 'completed' | 'activityProgressKnown' | 'attempted'
  | 'attemptLimitExceeded' | 'timeLimitExceeded' | 'outsideAvailableTimeRange' | 'always';

export type PreConditionRuleAction = 'skip' | 'disabled' | 'hiddenFromChoice' | 'stopForwardTraversal';
export type ExitConditionRuleAction = 'exit';
export type PostConditionRuleAction = 'exitParent' | 'exitAll' | 'retry' | 'retryAll' | 'continue' | 'previous';

export type RollupRuleCondition =
  | 'satisfied' | 'objectiveStatusKnown' | 'objectiveMeasureKnown' | 'completed'
  | 'activityProgressKnown' | 'attempted' | 'attemptLimitExceeded' | 'timeLimitExceeded'
  | 'outsideAvailableTimeRange';
export type RollupAction = 'satisfied' | 'notSatisfied' | 'completed' | 'incomplete';
export type ChildActivitySet = 'all' | 'any' | 'none' | 'atLeastCount' | 'atLeastPercent';
export type RandomizationTiming = 'never' | 'once' | 'onEachNewAttempt';
export type RollupConsiderationRequirement = 'always' | 'ifAttempted' | 'ifNotSkipped' | 'ifNotSuspended';

export interface ControlModeJson {
  choice: boolean;
  choiceExit: boolean;
  flow: boolean;
  forwardOnly: boolean;
  useCurrentAttemptObjectiveInfo: boolean;
  useCurrentAttemptProgressInfo: boolean;
}

export interface RuleConditionJson {
  condition: SequencingRuleCondition;
  operator: ConditionOperator;
  referencedObjective: string | null;
  measureThreshold: number | null;
}

export interface SequencingRuleJson<Action extends string> {
  conditionCombination: ConditionCombination;
  conditions: RuleConditionJson[];
  action: Action;
}

export interface SequencingRulesJson {
  preConditionRules: Array<SequencingRuleJson<PreConditionRuleAction>>;
  exitConditionRules: Array<SequencingRuleJson<ExitConditionRuleAction>>;
  postConditionRules: Array<SequencingRuleJson<PostConditionRuleAction>>;
}

/** Durations stay ISO-8601 strings (`PT1H30M`), times stay xs:dateTime strings. */
export interface LimitConditionsJson {
  attemptLimit: number | null;
  attemptAbsoluteDurationLimit: string | null;
  attemptExperiencedDurationLimit: string | null;
  activityAbsoluteDurationLimit: string | null;
  activityExperiencedDurationLimit: string | null;
  beginTimeLimit: string | null;
  endTimeLimit: string | null;
}

export interface AuxiliaryResourceJson {
  auxiliaryResourceID: string;
  purpose: string;
}

export interface RollupConditionJson {
  condition: RollupRuleCondition;
  operator: ConditionOperator;
}

export interface RollupRuleJson {
  childActivitySet: ChildActivitySet;
  minimumCount: number;
  minimumPercent: number;
  conditionCombination: ConditionCombination;
  conditions: RollupConditionJson[];
  action: RollupAction;
}

export interface RollupRulesJson {
  rollupObjectiveSatisfied: boolean;
  rollupProgressCompletion: boolean;
  objectiveMeasureWeight: number;
  rules: RollupRuleJson[];
}

export interface ObjectiveMapInfoJson {
  targetObjectiveID: string;
  readSatisfiedStatus: boolean;
  readNormalizedMeasure: boolean;
  writeSatisfiedStatus: boolean;
  writeNormalizedMeasure: boolean;
}

export interface ObjectiveJson {
  /** Optional on the primary objective, required on the others. */
  objectiveID: string | null;
  satisfiedByMeasure: boolean;
  /** As written; null when the element is absent (SCORM then uses 1.0). */
  minNormalizedMeasure: number | null;
  mapInfo: ObjectiveMapInfoJson[];
}

export interface ObjectivesJson {
  primaryObjective: ObjectiveJson | null;
  objectives: ObjectiveJson[];
}

export interface RandomizationControlsJson {
  randomizationTiming: RandomizationTiming;
  selectCount: number | null;
  reorderChildren: boolean;
  selectionTiming: RandomizationTiming;
}

export interface DeliveryControlsJson {
  tracked: boolean;
  completionSetByContent: boolean;
  objectiveSetByContent: boolean;
}

/** adlseq:constrainedChoiceConsiderations */
export interface ConstrainedChoiceConsiderationsJson {
  preventActivation: boolean;
  constrainChoice: boolean;
}

/** adlseq:rollupConsiderations */
export interface RollupConsiderationsJson {
  requiredForSatisfied: RollupConsiderationRequirement;
  requiredForNotSatisfied: RollupConsiderationRequirement;
  requiredForCompleted: RollupConsiderationRequirement;
  requiredForIncomplete: RollupConsiderationRequirement;
  measureSatisfactionIfActive: boolean;
}

/** adlseq:objectives/adlseq:objective/adlseq:mapInfo (4th edition: more data on global objectives). */
export interface AdlObjectiveMapInfoJson {
  targetObjectiveID: string;
  readRawScore: boolean;
  readMinScore: boolean;
  readMaxScore: boolean;
  readCompletionStatus: boolean;
  readProgressMeasure: boolean;
  writeRawScore: boolean;
  writeMinScore: boolean;
  writeMaxScore: boolean;
  writeCompletionStatus: boolean;
  writeProgressMeasure: boolean;
}

export interface AdlObjectiveJson {
  /** Names an imsss objective of the same sequencing element. */
  objectiveID: string;
  mapInfo: AdlObjectiveMapInfoJson[];
}

export interface SequencingJson {
  /** `ID` — set on the entries of imsss:sequencingCollection. */
  id: string | null;
  /** `IDRef` as written; the other fields already include what it references. */
  idRef: string | null;
  controlMode: ControlModeJson | null;
  sequencingRules: SequencingRulesJson | null;
  limitConditions: LimitConditionsJson | null;
  auxiliaryResources: AuxiliaryResourceJson[] | null;
  rollupRules: RollupRulesJson | null;
  objectives: ObjectivesJson | null;
  randomizationControls: RandomizationControlsJson | null;
  deliveryControls: DeliveryControlsJson | null;
  constrainedChoiceConsiderations: ConstrainedChoiceConsiderationsJson | null;
  rollupConsiderations: RollupConsiderationsJson | null;
  adlObjectives: AdlObjectiveJson[] | null;
}

/** The element-valued fields of SequencingJson: the unit in which IDRef merging works. */
export type SequencingElementKey = Exclude<keyof SequencingJson, 'id' | 'idRef'>;
