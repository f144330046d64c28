// What parseManifest() returns: the facts of imsmanifest.xml the LMS stores and the player needs.
import type { SequencingJson } from './sequencing.types.js';

export type { SequencingJson } from './sequencing.types.js';

export type ScormVersion = '1.2' | '2004-2nd' | '2004-3rd' | '2004-4th';

/**
 * A finding about the package. `path` is the file inside the package the problem concerns
 * (e.g. 'imsmanifest.xml' or 'index_scorm.html'). A package is acceptable iff no problem is an error.
 */
export interface PackageProblem {
  code: string;
  message: string;
  path: string;
  severity: 'error' | 'warning';
}

export interface ObjectiveMapInfo {
  targetObjectiveId: string;
  readSatisfiedStatus: boolean;
  readNormalizedMeasure: boolean;
  writeSatisfiedStatus: boolean;
  writeNormalizedMeasure: boolean;
  /** 4th edition adlseq:mapInfo flags (readRawScore, writeCompletionStatus, …) when the manifest maps them. */
  [k: string]: unknown;
}

export interface ManifestObjective {
  /** '' for a primary objective without objectiveID (it is then no cmi.objectives entry). */
  id: string;
  isPrimary: boolean;
  satisfiedByMeasure: boolean;
  /** As written; null when absent (SCORM then uses 1.0). */
  minNormalizedMeasure: number | null;
  mapInfo: ObjectiveMapInfo[];
}

/** adlcp:data/adlcp:map (4th edition shared data buckets, `adl.data.n`). */
export interface SharedDataMap {
  targetId: string;
  readSharedData: boolean;
  writeSharedData: boolean;
}

/** adlcp:completionThreshold, in the 4th-edition attribute shape whatever form the manifest used. */
export interface CompletionThresholdJson {
  completedByMeasure: boolean;
  minProgressMeasure: number;
  progressWeight: number;
}

/** SCORM 1.2 adlcp:prerequisites, e.g. `{ type: 'aicc_script', expression: 's01 & s02' }`. */
export interface Prerequisites {
  type: string | null;
  expression: string;
}

export interface ManifestItem {
  identifier: string;
  title: string;
  isVisible: boolean;
  resourceId: string | null;
  parameters: string | null;
  /** Launch href of the referenced resource: package-relative, xml:base applied, parameters appended. */
  href: string | null;
  children: ManifestItem[];
  /** IDRef already resolved against imsss:sequencingCollection. */
  sequencing: SequencingJson | null;
  /** SCORM 1.2 adlcp:masteryscore, 0..100. */
  masteryScore: number | null;
  /** 1.2 adlcp:maxtimeallowed, or 2004 imsss:limitConditions@attemptAbsoluteDurationLimit. */
  maxTimeAllowed: string | null;
  timeLimitAction: string | null;
  dataFromLms: string | null;
  prerequisites: Prerequisites | null;
  completionThreshold: CompletionThresholdJson | null;
  /** adlnav:presentation/navigationInterface/hideLMSUI tokens. */
  hideLmsUi: string[];
  dataMaps: SharedDataMap[];
}

export interface ScoDefinition {
  identifier: string;            // item identifier
  resourceId: string;
  title: string;
  href: string;                  // relative to package root, xml:base applied, parameters appended
  parameters: string | null;
  masteryScore: number | null;   // 1.2 only, 0..100
  scaledPassingScore: number | null; // 2004: primary objective minNormalizedMeasure when satisfiedByMeasure
  launchData: string | null;
  maxTimeAllowed: string | null;
  timeLimitAction: string | null;
  completionThreshold: number | null; // 4th ed: completedByMeasure without minProgressMeasure => 1.0
  objectives: ManifestObjective[];
  dataMaps: SharedDataMap[];
  hideLmsUi: string[];
  prerequisites: string | null;
  position: number;              // 0-based order among the SCOs of the organisation
}

export interface ManifestResource {
  identifier: string;
  scormType: 'sco' | 'asset' | null;
  /** xml:base applied; null when the resource has no href. */
  href: string | null;
  /** `<file href>` values, xml:base applied. */
  files: string[];
  /** identifierref of each `<dependency>`. */
  dependencies: string[];
}

export interface ParsedManifest {
  scormVersion: ScormVersion;
  /** The literal `<schemaversion>`, null when absent. */
  schemaVersion: string | null;
  identifier: string;
  title: string;
  organizationId: string;
  items: ManifestItem[];
  scos: ScoDefinition[];
  /** The organisation's own imsss:sequencing: the root activity of the activity tree. */
  organizationSequencing: SequencingJson | null;
  /** adlseq:objectivesGlobalToSystem on the organisation (default true). */
  objectivesGlobalToSystem: boolean;
  /** adlcp:sharedDataGlobalToSystem on the organisation (default true). */
  sharedDataGlobalToSystem: boolean;
  sequencingCollection: Record<string, SequencingJson>;
  resources: ManifestResource[];
}
