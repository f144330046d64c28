// Judges one element of a commit against the SCORM 1.2 or 2004 data model.

import { SCORM12_MODEL } from './data-model-12.js';
import { LMS_OWNED_PREFIXES_2004, SCORM2004_MODEL } from './data-model-2004.js';
import { parseElementPath, type ElementPath } from './element-path.js';
import { errorCodeFor, type CmiVersion, type RefusalKind } from './error-codes.js';
import type { ElementLookup } from './value-checks.js';
import { STRING_LIMITS } from './limits.js';

export type ElementVerdict =
  | { outcome: 'accepted'; value: string }
  /** An LMS-owned (read-only) element: dropped without complaint, see element-rule.ts. */
  | { outcome: 'ignored' }
  | { outcome: 'refused'; errorCode: number; message: string };

const noLookup: ElementLookup = () => undefined;

/** No element stores more than suspend data: longer values are refused before any pattern reads them. */
const LONGEST_VALUE = STRING_LIMITS.suspendData;

/**
 * @param lookup values of other elements (this commit, then the stored state): the interaction
 *   type decides how a response is read, and in 2004 an interaction or objective needs its id first.
 */
export function validateElement(
  version: CmiVersion,
  element: string,
  value: string,
  lookup: ElementLookup = noLookup,
): ElementVerdict {
  if (isLmsOwnedByPrefix(version, element)) return { outcome: 'ignored' };
  const parsed = parseElementPath(element);
  if (!parsed.ok) return refused(version, parsed.kind, parsed.message);
  return validateParsedElement(version, element, parsed.path, value, lookup);
}

/** Elements whose names cannot be parsed as data model paths but are known to belong to the LMS. */
export function isLmsOwnedByPrefix(version: CmiVersion, element: string): boolean {
  return version === '2004' && LMS_OWNED_PREFIXES_2004.some((prefix) => element.startsWith(prefix));
}

/** validateElement for a name already parsed by parseElementPath (the commit validator parses once). */
export function validateParsedElement(
  version: CmiVersion,
  element: string,
  path: ElementPath,
  value: string,
  lookup: ElementLookup,
): ElementVerdict {
  const rule = (version === '1.2' ? SCORM12_MODEL : SCORM2004_MODEL).get(path.template);
  if (rule === undefined) return refused(version, 'undefined-element', `${clipName(element)} is not a SCORM ${version} element`);
  if (rule.owner === 'lms') return { outcome: 'ignored' };
  const missing = version === '2004' && value !== '' ? missingDependency(path, lookup) : null;
  if (missing !== null) return refused(version, 'dependency', `${missing} must be set first`);
  if (value.length > LONGEST_VALUE) return refused(version, 'type-mismatch', `longer than ${LONGEST_VALUE} characters`);
  const result = rule.check(value, { element, indexes: path.indexes.map((entry) => entry.index), lookup });
  return result.ok ? { outcome: 'accepted', value: result.value } : refused(version, result.kind, result.message);
}

/** SCORM 2004 RTE 4.2.9 / 4.2.17: fields of an interaction or objective need its id (error 408). */
function missingDependency({ template, indexes }: ElementPath, lookup: ElementLookup): string | null {
  const [first] = indexes;
  if (first === undefined) return null;
  const collection = template.startsWith('cmi.interactions.n.') ? 'cmi.interactions' : template.startsWith('cmi.objectives.n.') ? 'cmi.objectives' : null;
  if (collection === null || template === `${collection}.n.id`) return null;
  const idElement = `${collection}.${first.index}.id`;
  return (lookup(idElement) ?? '') === '' ? idElement : null;
}

function refused(version: CmiVersion, kind: RefusalKind, message: string): ElementVerdict {
  return { outcome: 'refused', errorCode: errorCodeFor(version, kind), message };
}

function clipName(element: string): string {
  return element.length > 80 ? `${element.slice(0, 80)}…` : element;
}
