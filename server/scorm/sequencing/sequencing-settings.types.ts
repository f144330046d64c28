// The JSON the player hands to scorm-again 3.4.3 as `settings.sequencing`: the shapes of its
// ActivitySettings / SequencingSettings (dist/types/types/sequencing_types.d.ts), restated with
// plain string unions because scorm-again declares its vocabularies as string enums.

export const HIDE_LMS_UI_TOKENS = ['continue', 'previous', 'exit', 'exitAll', 'abandon', 'abandonAll', 'suspendAll'] as const;
export type HideLmsUiToken = (typeof HIDE_LMS_UI_TOKENS)[number];

export interface RuleConditionSettings {
  condition: string;
  operator?: 'not';
  referencedObjective?: string;
  /** `threshold` for objectiveMeasureGreaterThan / LessThan. */
  parameters?: { threshold: number };
}

export interface SequencingRuleSettings {
  action: string;
  conditionCombination: 'all' | 'any';
  conditions: RuleConditionSettings[];
}

export interface SequencingRulesSettings {
  preConditionRules: SequencingRuleSettings[];
  exitConditionRules: SequencingRuleSettings[];
  postConditionRules: SequencingRuleSettings[];
}

export interface SequencingControlsSettings {
  choice?: boolean;
  choiceExit?: boolean;
  flow?: boolean;
  forwardOnly?: boolean;
  useCurrentAttemptObjectiveInfo?: boolean;
  useCurrentAttemptProgressInfo?: boolean;
  preventActivation?: boolean;
  constrainChoice?: boolean;
  rollupObjectiveSatisfied?: boolean;
  rollupProgressCompletion?: boolean;
  objectiveMeasureWeight?: number;
  selectionTiming?: string;
  selectCount?: number | null;
  randomizeChildren?: boolean;
  randomizationTiming?: string;
  reorderChildren?: boolean;
}

export interface DeliveryControlsSettings { tracked: boolean; completionSetByContent: boolean; objectiveSetByContent: boolean }

export interface ObjectiveMapInfoSettings {
  targetObjectiveID: string;
  readSatisfiedStatus: boolean;
  readNormalizedMeasure: boolean;
  writeSatisfiedStatus: boolean;
  writeNormalizedMeasure: boolean;
  readCompletionStatus: boolean;
  writeCompletionStatus: boolean;
  readProgressMeasure: boolean;
  writeProgressMeasure: boolean;
  readRawScore: boolean;
  writeRawScore: boolean;
  readMinScore: boolean;
  writeMinScore: boolean;
  readMaxScore: boolean;
  writeMaxScore: boolean;
}

export interface ObjectiveSettings {
  objectiveID: string;
  isPrimary: boolean;
  satisfiedByMeasure: boolean;
  minNormalizedMeasure: number | null;
  mapInfo: ObjectiveMapInfoSettings[];
}

export interface RollupRuleSettings {
  action: string;
  /** scorm-again calls the child activity set "consideration". */
  consideration: string;
  minimumCount: number;
  /** 0–100 in scorm-again (the manifest says 0–1). */
  minimumPercent: number;
  conditionCombination: 'all' | 'any';
  conditions: Array<{ condition: string; operator?: 'not' }>;
}

export interface RollupConsiderationsSettings {
  requiredForSatisfied: string;
  requiredForNotSatisfied: string;
  requiredForCompleted: string;
  requiredForIncomplete: string;
  measureSatisfactionIfActive: boolean;
}

export interface ActivitySettings {
  id: string;
  title: string;
  children?: ActivitySettings[];
  isVisible?: boolean;
  attemptLimit?: number | null;
  attemptAbsoluteDurationLimit?: string | null;
  activityAbsoluteDurationLimit?: string | null;
  timeLimitAction?: string | null;
  beginTimeLimit?: string | null;
  endTimeLimit?: string | null;
  primaryObjective?: ObjectiveSettings;
  objectives?: ObjectiveSettings[];
  sequencingRules?: SequencingRulesSettings;
  sequencingControls?: SequencingControlsSettings;
  deliveryControls?: DeliveryControlsSettings;
  rollupRules?: { rules: RollupRuleSettings[] };
  rollupConsiderations?: RollupConsiderationsSettings;
  completionThreshold?: { completedByMeasure: boolean; minProgressMeasure: number; progressWeight: number };
  hideLmsUi?: HideLmsUiToken[];
  auxiliaryResources?: Array<{ resourceId: string; purpose: string }>;
  sharedDataMaps?: Array<{ targetID: string; readSharedData: boolean; writeSharedData: boolean }>;
}

export interface SequencingSettings {
  activityTree: ActivitySettings;
  /** Let rollup follow the SCO's SetValues, so the TOC and navigation validity stay current. */
  autoRollupOnCMIChange: boolean;
  /** The engine logs every delivery at "info"; the LMS keeps errors only. */
  logLevel: 'error';
}
