// Public face of the SCORM runtime data-model module (pure: no HTTP, no database).
export type { CmiVersion } from './error-codes.js';
export { flattenCmi, type FlattenResult, type FlattenProblem } from './flatten-cmi.js';
export { validateElement, type ElementVerdict } from './validate-element.js';
export { validateCommit, type CommitValidation, type RefusedElement } from './validate-commit.js';
export { mergeScoState, type MergeScoStateInput, type MergedScoState, type ScoSummary, type ScoRules } from './sco-state.js';
export { extractInteractions, type InteractionRecord } from './interactions.js';
export { buildLaunchState, type LaunchInput, type LaunchState } from './launch-values.js';
export { formatTotalTime, parseSessionTime } from './time.js';
