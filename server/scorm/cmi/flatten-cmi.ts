// Turns a parsed commit body into [dottedElement, stringValue] pairs.
//
// scorm-again (default settings, dataCommitFormat "json") posts {"cmi": {...}} (2004 adds
// "adl": {"data": {...}} and "sharedData" when adl.data is used). Its collections are plain
// objects keyed "0", "1", ... (CMIArray.toJSON), e.g. {"interactions": {"0": {"id": "q1"}}};
// real arrays are read the same way. Keys that already hold dots ("cmi.core.lesson_status", the
// "flattened" format) are split, so both spellings name the same element.
//
// The body is untrusted: nothing is ever assigned by a key taken from it (the output is a list),
// keys __proto__ / constructor / prototype are refused with their whole subtree, depth and entry
// count are bounded, and the walk is iterative, so neither deep nesting nor cycles can hurt.

import { BODY_LIMITS } from './limits.js';
import { FORBIDDEN_SEGMENTS } from './forbidden-names.js';

export type FlattenProblemReason =
  | 'not-an-object'
  | 'forbidden-key'
  | 'malformed-key'
  | 'too-deep'
  | 'too-many-elements'
  | 'unsupported-value';

export interface FlattenProblem {
  /** The element name as far as it could be read (clipped), "" for the body itself. */
  element: string;
  reason: FlattenProblemReason;
}

export interface FlattenOptions {
  maxDepth?: number;
  maxEntries?: number;
  maxElementLength?: number;
  /** Top-level keys to leave out entirely, e.g. scorm-again's "sharedData" duplicate of adl.data. */
  skipRootKeys?: readonly string[];
}

export interface FlattenResult {
  entries: Array<[string, string]>;
  problems: FlattenProblem[];
}

interface Frame {
  value: unknown;
  /** Dotted element name so far. */
  element: string;
  /** Number of name segments in element. */
  depth: number;
}

export function flattenCmi(body: unknown, options: FlattenOptions = {}): FlattenResult {
  const maxDepth = options.maxDepth ?? BODY_LIMITS.maxDepth;
  const maxEntries = options.maxEntries ?? BODY_LIMITS.maxEntries;
  const maxElementLength = options.maxElementLength ?? BODY_LIMITS.maxElementLength;
  const skipRootKeys = new Set(options.skipRootKeys ?? []);
  const entries: Array<[string, string]> = [];
  const problems: FlattenProblem[] = [];
  if (!isObject(body) || Array.isArray(body)) return { entries, problems: [{ element: '', reason: 'not-an-object' }] };

  const stack: Frame[] = [];
  let isCut = false;
  const pushChildren = (container: object, parent: string, parentDepth: number): void => {
    const keys = Array.isArray(container) ? container.map((_, index) => String(index)) : Object.keys(container);
    // Only as many keys as could still be read: a body of 100,000 keys costs no more than one of maxEntries.
    const room = Math.max(0, maxEntries - entries.length - problems.length - stack.length);
    if (keys.length > room) isCut = true;
    // Pushed in reverse so that entries come out in the body's order.
    for (let position = Math.min(keys.length, room) - 1; position >= 0; position -= 1) {
      const key = keys[position] ?? '';
      if (parentDepth === 0 && skipRootKeys.has(key)) continue;
      const segments = key.includes('.') ? key.split('.') : [key];
      const element = parentDepth === 0 ? key : `${parent}.${key}`;
      const depth = parentDepth + segments.length;
      if (segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) {
        problems.push({ element: clip(element, maxElementLength), reason: 'forbidden-key' });
      } else if (segments.includes('') || element.length > maxElementLength) {
        problems.push({ element: clip(element, maxElementLength), reason: 'malformed-key' });
      } else if (depth > maxDepth) {
        problems.push({ element: clip(element, maxElementLength), reason: 'too-deep' });
      } else {
        stack.push({ value: Reflect.get(container, key), element, depth });
      }
    }
  };

  pushChildren(body, '', 0);
  while (stack.length > 0) {
    if (entries.length + problems.length >= maxEntries) {
      isCut = true;
      break;
    }
    const { value, element, depth } = stack.pop() as Frame;
    if (value === null || value === undefined) continue; // not sent (sendFullCommit=false renders undefined as null)
    if (isObject(value)) {
      pushChildren(value, element, depth);
      continue;
    }
    const text = scalarToString(value);
    if (text === null) problems.push({ element, reason: 'unsupported-value' });
    else entries.push([element, text]);
  }
  if (isCut) problems.push({ element: '', reason: 'too-many-elements' });
  return { entries, problems };
}

function scalarToString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return String(value);
  return null;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function clip(element: string, maxLength: number): string {
  return element.length > maxLength ? `${element.slice(0, maxLength)}…` : element;
}
