// Commit bodies: scorm-again's nested format and the flattened one, real CMI element names of both
// versions with indexes in and out of range, every JSON type, values up to the body limit, deep
// nesting, and the player's envelope (seq replays, absurd seq, terminate).
import { SCORM12_MODEL } from '../../server/scorm/cmi/data-model-12.js';
import { SCORM2004_MODEL } from '../../server/scorm/cmi/data-model-2004.js';
import * as words from '../../server/scorm/cmi/vocabularies.js';
import { nastyString, type Random } from './random.js';

export interface CommitCase {
  label: string;
  contentType: string;
  /** What is sent: a string as is, anything else as JSON. */
  body: string;
  /** Sent to another learner's launch: must be answered 404 and change nothing. */
  isForeign: boolean;
}

const TEMPLATES = { '1.2': [...SCORM12_MODEL.keys()], '2004': [...SCORM2004_MODEL.keys()] } as const;
const WORDS = Object.values(words).filter(Array.isArray).flat() as string[];
const BODY_LIMIT = 2 * 1024 * 1024;

function elementName(random: Random, version: '1.2' | '2004'): string {
  const template = random.chance(0.9) ? random.pick(TEMPLATES[version]) : random.pick(TEMPLATES[version === '1.2' ? '2004' : '1.2']);
  const name = template.replace(/\.n\./g, () => `.${index(random)}.`).replace(/\.n$/, () => `.${index(random)}`);
  return random.chance(0.05) ? mangle(random, name) : name;
}

function index(random: Random): string {
  return random.chance(0.9) ? String(random.int(0, 3)) : random.pick(['01', '-1', '999999999', '1e3', 'n', '', '1000', '250', ' 1', '0x1']);
}

function mangle(random: Random, name: string): string {
  return random.pick([`${name}.`, `.${name}`, name.replace('.', '..'), `${name}._count`, `${name}._children`, `${name}.__proto__`, name.toUpperCase(), `${name}.x`.repeat(random.int(1, 30))]);
}

function value(random: Random, maxLength: number): unknown {
  switch (random.int(0, 12)) {
    case 0: return random.pick(WORDS);
    case 1: return random.int(-1000, 1000) / random.pick([1, 10, 100]);
    case 2: return random.pick([0, -0, 1e308, -1e308, 2 ** 53, 0.1, 1e-7]);
    case 3: return random.pick([true, false, null]);
    case 4: return random.pick([[], {}, [1, 'a'], { a: { b: 1 } }]);
    case 5: return random.pick(['00:05:30', '0000:00:01.5', 'PT1M30.5S', 'P1DT2H', '2026-06-01T10:00:00Z', '2026-06-01T10:00:00.123+08:00', '12:30:00']);
    case 6: return random.pick(['a[,]b', 'a[.]b[,]c[.]d', '{lang=zh}答案', '{case_matters=true}{order_matters=false}x', '1[:]5', 'a , b . c', ' a [,] b ']);
    default: return nastyString(random, maxLength);
  }
}

/**
 * scorm-again's nested form: {"cmi": {"interactions": {"0": {"id": ...}}}}. Only own, non-array
 * nodes are walked into: a `__proto__` element name becomes a JSON key (not a write to
 * Object.prototype), and index 999999999 under an array value does not make a billion-element array
 * (JSON.stringify then failed, stopping 10,000-commit runs).
 */
function nest(entries: Array<[string, unknown]>): Record<string, unknown> {
  const root: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, v] of entries) {
    const parts = name.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = Object.hasOwn(node, part) ? node[part] : undefined;
      node = (typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (node[part] = Object.create(null))) as Record<string, unknown>;
    }
    node[parts[parts.length - 1] ?? ''] = v;
  }
  return root;
}

function deepNesting(random: Random): string {
  const depth = random.size(100_000);
  return `{"cmi":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

export function commitCase(random: Random, version: '1.2' | '2004', state: { nextSeq: number; lastSeqs: number[] }): CommitCase {
  const shape = random.int(0, 19);
  const entries: Array<[string, unknown]> = [];
  const count = random.size(shape === 0 ? 60_000 : 80);
  const maxLength = random.chance(0.05) ? 70_000 : 2000;
  // Up to a little past the body limit: the server must refuse bigger ones before reading them.
  let total = 0;
  for (let i = 0; i < count && total < BODY_LIMIT * 1.2; i += 1) {
    const entry: [string, unknown] = [elementName(random, version), value(random, maxLength)];
    total += entry[0].length + (typeof entry[1] === 'string' ? entry[1].length : 20);
    entries.push(entry);
  }
  let body: Record<string, unknown> | unknown[] | string | number | null;
  let label: string;
  if (shape === 1) { body = deepNesting(random); label = 'deep nesting'; }
  else if (shape === 2) { body = random.pick(['', 'null', '[]', '"cmi"', '{"cmi":', '{"cmi":{}}garbage', '\u0000', 'x'.repeat(random.size(50_000))]); label = 'not JSON'; }
  else if (shape === 3) { body = `{"cmi":{"suspend_data":"${'中'.repeat(random.int(BODY_LIMIT / 4, BODY_LIMIT / 2))}"}}`; label = 'near the body limit'; }
  else if (shape === 4) { body = `{"cmi":{"suspend_data":"${'x'.repeat(BODY_LIMIT + random.int(1, 1000))}"}}`; label = 'over the body limit'; }
  else if (shape === 5) { body = random.pick([[1, 2], 5, null]); label = 'not an object'; }
  else if (shape < 12) { body = nest(entries); label = `nested ${count} elements`; }
  else { body = Object.fromEntries(entries); label = `flat ${count} elements`; }

  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const seqKind = random.int(0, 9);
    if (seqKind <= 5) body.seq = state.nextSeq++;
    else if (seqKind === 6 && state.lastSeqs.length > 0) body.seq = random.pick(state.lastSeqs);
    else if (seqKind === 7) body.seq = random.pick([2 ** 53 - 1, 2 ** 31, 1.5, 0, -1, '9', null, true, 1e300]);
    if (random.chance(0.03)) body.terminate = true;
    if (typeof body.seq === 'number' && Number.isInteger(body.seq) && body.seq > 0 && body.seq < 2 ** 31) state.lastSeqs.push(body.seq);
    label += ` seq=${String(body.seq)}`;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = random.pick(['application/json', 'application/json', 'text/plain;charset=UTF-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream']);
  return { label: `${version} ${label} as ${contentType} (${text.length} chars)`, contentType, body: text, isForeign: random.chance(0.03) };
}
