// Parses a dotted element name into its data model template ("cmi.interactions.n.id") and the
// collection indexes it addresses. Only the name is judged here, never the value.
//
// Names are walked through a tree of the known templates of both versions, so a commit of
// thousands of elements costs one split and a few map lookups per element, and unknown names stop
// at their first unknown segment. Which version owns a template is decided by the data model.

import { SCORM12_MODEL } from './data-model-12.js';
import { SCORM2004_MODEL } from './data-model-2004.js';
import type { RefusalKind } from './error-codes.js';
import { FORBIDDEN_SEGMENTS } from './forbidden-names.js';
import { COLLECTION_LIMITS } from './limits.js';

export interface CollectionIndex {
  /** Concrete path of the collection, e.g. "cmi.interactions.3.correct_responses". */
  collection: string;
  index: number;
  /** The entry's own name, e.g. "cmi.interactions.3.correct_responses.0". */
  entry: string;
}

export interface ElementPath {
  template: string;
  indexes: CollectionIndex[];
}

export type PathResult = { ok: true; path: ElementPath } | { ok: false; kind: RefusalKind; message: string };

const KEYWORDS: ReadonlySet<string> = new Set(['_children', '_count', '_version']);
const CANONICAL_INDEX = /^(?:0|[1-9]\d{0,8})$/;

interface TemplateNode {
  /** Set when a template ends here. */
  template: string | null;
  children: Map<string, TemplateNode>;
  /** Set when the next segment is an index into this collection. */
  collectionLimit: number | null;
}

const root = buildTemplateTree([...SCORM12_MODEL.keys(), ...SCORM2004_MODEL.keys()]);

/**
 * Every commit of a SCO repeats the same few hundred names (scorm-again sends the full model), and
 * the stored state is parsed again for index gaps: results are kept, frozen because they are shared.
 * Bounded: names come from the browser, so a flood of distinct ones only empties the cache.
 */
const CACHE_LIMIT = 20_000;
const cache = new Map<string, PathResult>();

export function parseElementPath(element: string): PathResult {
  let result = cache.get(element);
  if (result === undefined) {
    result = deepFreeze(parseUncached(element));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(element, result);
  }
  return result;
}

function deepFreeze(result: PathResult): PathResult {
  if (result.ok) {
    for (const index of result.path.indexes) Object.freeze(index);
    Object.freeze(result.path.indexes);
    Object.freeze(result.path);
  }
  return Object.freeze(result);
}

function parseUncached(element: string): PathResult {
  const segments = element.split('.');
  const indexes: CollectionIndex[] = [];
  let node = root;
  let offset = 0; // where the current segment starts in element
  for (let position = 0; position < segments.length; position += 1) {
    const segment = segments[position] ?? '';
    if (segment === '') return fail('undefined-element', 'empty name segment');
    if (FORBIDDEN_SEGMENTS.has(segment)) return fail('undefined-element', `"${segment}" is not a data model name`);
    if (KEYWORDS.has(segment)) {
      return position === segments.length - 1 ? fail('keyword', 'keywords cannot be set') : unknown(element);
    }
    if (node.collectionLimit !== null) {
      // Leading zeros would give one entry two names ("01" and "1"); scorm-again accepts them.
      if (!CANONICAL_INDEX.test(segment)) {
        return /^\d+$/.test(segment) && !segment.startsWith('0')
          ? fail('index', `index ${segment.slice(0, 20)} is beyond the limit of ${node.collectionLimit} entries`)
          : fail('undefined-element', `"${segment.slice(0, 20)}" is not a collection index`);
      }
      const index = Number(segment);
      if (index >= node.collectionLimit) return fail('index', `index ${segment} is beyond the limit of ${node.collectionLimit} entries`);
      indexes.push({ collection: element.slice(0, offset - 1), index, entry: element.slice(0, offset + segment.length) });
      node = node.children.get('n') as TemplateNode;
    } else {
      const child = node.children.get(segment);
      if (child === undefined) return unknown(element);
      node = child;
    }
    offset += segment.length + 1;
  }
  return node.template === null ? unknown(element) : { ok: true, path: { template: node.template, indexes } };
}

function buildTemplateTree(templates: string[]): TemplateNode {
  const tree = newNode();
  for (const template of templates) {
    let node = tree;
    let prefix = '';
    for (const segment of template.split('.')) {
      if (segment === 'n') node.collectionLimit = COLLECTION_LIMITS[prefix] ?? null;
      let child = node.children.get(segment);
      if (child === undefined) {
        child = newNode();
        node.children.set(segment, child);
      }
      node = child;
      prefix = prefix === '' ? segment : `${prefix}.${segment}`;
    }
    node.template = template;
  }
  return tree;
}

function newNode(): TemplateNode {
  return { template: null, children: new Map(), collectionLimit: null };
}

function unknown(element: string): PathResult {
  const name = element.length > 80 ? `${element.slice(0, 80)}…` : element;
  return fail('undefined-element', `${name} is not a SCORM data model element`);
}

function fail(kind: RefusalKind, message: string): PathResult {
  return { ok: false, kind, message };
}
