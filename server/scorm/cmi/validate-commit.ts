// Validates a whole commit body element by element: one refused element never loses the rest.

import { parseElementPath, type ElementPath } from './element-path.js';
import { errorCodeFor, type CmiVersion, type RefusalKind } from './error-codes.js';
import { flattenCmi, type FlattenProblemReason } from './flatten-cmi.js';
import type { ElementLookup } from './value-checks.js';
import { isLmsOwnedByPrefix, validateParsedElement } from './validate-element.js';
import { VerdictMemo } from './verdict-memo.js';

export interface RefusedElement {
  element: string;
  errorCode: number;
  message: string;
}

export interface CommitValidation {
  /** Element → value to store (normalised: trimmed ids and patterns, truncated time fractions). */
  accepted: Map<string, string>;
  refused: RefusedElement[];
  /** LMS-owned elements echoed by the runtime (learner id, credit, total_time...), dropped on purpose. */
  ignored: string[];
}

interface ParsedEntry {
  element: string;
  value: string;
  path: ElementPath;
}

/** scorm-again's 2004 "sharedData" repeats adl.data keyed by target id; adl.data is what counts. */
const SKIPPED_ROOT_KEYS = ['sharedData'];

const PROBLEM_KINDS: Record<FlattenProblemReason, { kind: RefusalKind; message: string }> = {
  'not-an-object': { kind: 'general', message: 'commit body is not a JSON object' },
  'forbidden-key': { kind: 'undefined-element', message: 'forbidden name' },
  'malformed-key': { kind: 'undefined-element', message: 'malformed element name' },
  'too-deep': { kind: 'undefined-element', message: 'nested deeper than any data model element' },
  'too-many-elements': { kind: 'general', message: 'too many elements; the rest of the commit was not read' },
  'unsupported-value': { kind: 'type-mismatch', message: 'value is not a string or number' },
};

const verdicts = new VerdictMemo();

/**
 * @param stored the state already stored for this SCO attempt, if any: indexes continue from it,
 *   and an interaction's type or id may have arrived in an earlier commit.
 */
export function validateCommit(
  version: CmiVersion,
  body: unknown,
  stored: Readonly<Record<string, string>> | null = null,
): CommitValidation {
  const accepted = new Map<string, string>();
  const refused: RefusedElement[] = [];
  const ignored: string[] = [];
  const refuse = (element: string, kind: RefusalKind, message: string): void => {
    refused.push({ element, errorCode: errorCodeFor(version, kind), message });
  };

  const { entries, problems } = flattenCmi(body, { skipRootKeys: SKIPPED_ROOT_KEYS });
  for (const problem of problems) {
    const { kind, message } = PROBLEM_KINDS[problem.reason];
    refuse(problem.element, kind, message);
  }

  const seen = new Set<string>();
  const parsed: ParsedEntry[] = [];
  for (const [element, value] of entries) {
    if (seen.has(element)) {
      refuse(element, 'general', 'element appears twice in the commit');
      continue;
    }
    seen.add(element);
    if (isLmsOwnedByPrefix(version, element)) {
      ignored.push(element);
      continue;
    }
    const path = parseElementPath(element);
    if (path.ok) parsed.push({ element, value, path: path.path });
    else refuse(element, path.kind, path.message);
  }

  const gaps = findIndexGaps(parsed, stored);
  const lookup: ElementLookup = (element) => {
    const value = accepted.get(element);
    return value !== undefined && value !== '' ? value : storedValue(stored, element);
  };
  for (const { element, value, path } of orderedForDependencies(parsed)) {
    const gap = gaps.get(element);
    if (gap !== undefined) {
      refuse(element, 'index', gap);
      continue;
    }
    const verdict = verdicts.judge(version, element, value, lookup, (reads) => validateParsedElement(version, element, path, value, reads));
    if (verdict.outcome === 'accepted') accepted.set(element, verdict.value);
    else if (verdict.outcome === 'ignored') ignored.push(element);
    else refused.push({ element, errorCode: verdict.errorCode, message: verdict.message });
  }
  return { accepted, refused, ignored };
}

/**
 * Collection entries must be contiguous from 0 (SCORM: an index may be at most _count). An entry
 * counts as present when the commit or the stored state names it. Returns element → reason.
 */
function findIndexGaps(entries: ParsedEntry[], stored: Readonly<Record<string, string>> | null): Map<string, string> {
  // Stored indexes were contiguous when they came and are never removed: an entry whose innermost
  // collection entry is already stored is in place. scorm-again resends every element, so usually
  // that is all of them and nothing needs counting.
  const storedEntries = new Set<string>();
  for (const element of Object.keys(stored ?? {})) {
    const parsed = parseElementPath(element);
    if (parsed.ok) for (const { entry } of parsed.path.indexes) storedEntries.add(entry);
  }
  const unplaced = entries.some(({ path }) => path.indexes.length > 0 && !storedEntries.has(path.indexes[path.indexes.length - 1].entry));
  if (!unplaced) return new Map();

  const present = new Map<string, Set<number>>();
  const note = (path: ElementPath): void => {
    for (const { collection, index } of path.indexes) {
      const indexes = present.get(collection) ?? new Set<number>();
      indexes.add(index);
      present.set(collection, indexes);
    }
  };
  for (const entry of entries) note(entry.path);
  for (const element of Object.keys(stored ?? {})) {
    const parsed = parseElementPath(element);
    if (parsed.ok) note(parsed.path);
  }

  const countOf = new Map<string, number>();
  for (const [collection, indexes] of present) {
    let count = 0;
    while (indexes.has(count)) count += 1;
    countOf.set(collection, count);
  }
  const gaps = new Map<string, string>();
  for (const { element, path } of entries) {
    const beyond = path.indexes.find(({ collection, index }) => index >= (countOf.get(collection) ?? 0));
    if (beyond) {
      const count = countOf.get(beyond.collection) ?? 0;
      gaps.set(element, `index ${beyond.index} leaves a gap: ${beyond.collection} has ${count} contiguous entries`);
    }
  }
  return gaps;
}

/** Ids, then types, then the rest: responses are read by type, and 2004 fields need their id. */
function orderedForDependencies(entries: ParsedEntry[]): ParsedEntry[] {
  const ids: ParsedEntry[] = [];
  const types: ParsedEntry[] = [];
  const rest: ParsedEntry[] = [];
  for (const entry of entries) {
    if (entry.element.endsWith('.id')) ids.push(entry);
    else if (entry.element.endsWith('.type')) types.push(entry);
    else rest.push(entry);
  }
  return [...ids, ...types, ...rest];
}

function storedValue(stored: Readonly<Record<string, string>> | null, element: string): string | undefined {
  return stored !== null && Object.hasOwn(stored, element) ? stored[element] : undefined;
}
