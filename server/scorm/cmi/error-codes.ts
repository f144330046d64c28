// SCORM error codes the commit validator answers with, per version.
// A refusal is first classified by what went wrong (RefusalKind), then mapped to
// the version's code, so the rules stay version-neutral.

export type CmiVersion = '1.2' | '2004';

export type RefusalKind =
  | 'undefined-element' // not in the data model (or a malformed name / index)
  | 'keyword' // _children, _count, _version: never settable
  | 'type-mismatch' // wrong format, wrong vocabulary word, too long
  | 'out-of-range' // well-formed number outside its range
  | 'dependency' // e.g. interaction field before the interaction id
  | 'index' // collection index too large or leaving a gap
  | 'general'; // duplicate element, body not an object

/** SCORM 1.2 RTE 3.3.2: 1.2 has no range or dependency codes, so those fall back to 405 / 201. */
const SCORM12_CODES: Record<RefusalKind, number> = {
  'undefined-element': 401, // not implemented
  keyword: 402, // invalid set value, element is a keyword
  'type-mismatch': 405, // incorrect data type
  'out-of-range': 405, // 1.2 reports out-of-range values as incorrect data type
  dependency: 201, // invalid argument
  index: 201, // invalid argument
  general: 201,
};

/** SCORM 2004 4th ed. RTE 3.1.7. */
const SCORM2004_CODES: Record<RefusalKind, number> = {
  'undefined-element': 401, // undefined data model element
  keyword: 404, // keywords are read only
  'type-mismatch': 406, // data model element type mismatch
  'out-of-range': 407, // data model element value out of range
  dependency: 408, // data model dependency not established
  index: 351, // general set failure (index beyond _count)
  general: 351,
};

export function errorCodeFor(version: CmiVersion, kind: RefusalKind): number {
  return version === '1.2' ? SCORM12_CODES[kind] : SCORM2004_CODES[kind];
}
