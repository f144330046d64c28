// Learner responses and correct-response patterns of interactions.
//
// Forgiving on purpose: authoring tools pad patterns with spaces (" a [,] b "), which scorm-again
// refuses with 406 although nothing is wrong with the answer. Padding around items and delimiters
// is trimmed and the rest is kept. Strict only where the shape is meaningless: a true-false answer
// that is not true/false, a numeric answer that is not a number, matching pairs without "[.]",
// identifiers with whitespace or delimiter fragments such as "{}{[]}{}" (which scorm-again lets
// through).

import type { CmiVersion } from './error-codes.js';
import { STRING_LIMITS } from './limits.js';
import {
  accept, clip, LANG_PREFIX, LANGUAGE_CODE, REAL_2004, refuse, type CheckResult, type ValueCheck,
} from './value-checks.js';

export type ResponseKind = 'learner-response' | 'correct-pattern';

const SHORT_IDENTIFIER = /^[\w\-()+.:=@;$!*'%/#]{1,250}$/;
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CHOICE_ITEM = /^[^[\]{}\u0000-\u001f\u007f]{1,4000}$/;
const MODIFIER = /^\{(lang|case_matters|order_matters)=([^}]*)\}/;
const MAX_ITEMS = 250;
/**
 * Longest response read at all: padding is forgiven, but a value this long cannot trim down to the
 * stored limit, and refusing it before any pattern runs keeps every check linear and short.
 */
const MAX_PADDED_LENGTH = STRING_LIMITS.response * 4;
const WHITESPACE_RUN = /\s+/g;
const SEPARATORS: ReadonlySet<string> = new Set([',', '.', '{', '}']);
const FILL_IN_ITEM_LENGTH = 250;

/** Check for cmi.interactions.n.(learner_response|student_response|correct_responses.m.pattern). */
export function responseCheck(version: CmiVersion, kind: ResponseKind): ValueCheck {
  return (value, { indexes, lookup }) => {
    if (value === '') return accept('');
    const type = lookup(`cmi.interactions.${indexes[0]}.type`) ?? '';
    if (version === '1.2') return checkResponse12(type, value);
    // SCORM 2004 RTE 4.1.6: responses are interpreted by type, so the type must come first.
    if (type === '') return refuse('dependency', 'interaction type must be set before responses');
    return checkResponse2004(type, value, kind);
  };
}

/** SCORM 1.2 CMIFeedback: trimmed; separators of list-like types lose their padding. */
export function checkResponse12(type: string, value: string): CheckResult {
  if (value.length > MAX_PADDED_LENGTH) return tooLong();
  const trimmed = value.trim();
  const normalised = ['true-false', 'choice', 'sequencing', 'matching', 'likert'].includes(type)
    ? unpadSeparators(trimmed)
    : trimmed;
  return normalised.length <= STRING_LIMITS.response ? accept(normalised) : tooLong();
}

export function checkResponse2004(type: string, value: string, kind: ResponseKind): CheckResult {
  if (value.length > MAX_PADDED_LENGTH) return tooLong();
  const { modifiers, rest, problem } = splitModifiers(value.trim(), type);
  if (problem) return refuse('type-mismatch', problem);
  const body = normaliseBody2004(type, rest, kind);
  if (!body.ok) return body;
  const normalised = modifiers + body.value;
  return normalised.length <= STRING_LIMITS.response ? accept(normalised) : tooLong();
}

function tooLong(): CheckResult {
  return refuse('type-mismatch', `longer than ${STRING_LIMITS.response} characters`);
}

/**
 * Drops whitespace runs next to , . { or }. One pass over the runs: the pattern \s*([,.{}])\s*
 * (replaced globally) retries every start inside a run of spaces and is quadratic on it.
 */
export function unpadSeparators(text: string): string {
  return text.replace(WHITESPACE_RUN, (run: string, offset: number) =>
    SEPARATORS.has(text[offset - 1] ?? '') || SEPARATORS.has(text[offset + run.length] ?? '') ? '' : run);
}

function normaliseBody2004(type: string, rest: string, kind: ResponseKind): CheckResult {
  switch (type) {
    case 'true-false': {
      const word = rest.toLowerCase();
      return word === 'true' || word === 'false' ? accept(word) : refuse('type-mismatch', `"${clip(rest)}" is not true or false`);
    }
    case 'choice':
      // "" is a legal choice response: nothing selected, or no choice is correct.
      return rest === '' ? accept('') : listOf(rest, (item) => CHOICE_ITEM.test(item), 'a choice identifier');
    case 'sequencing':
    case 'likert':
      return listOf(rest, (item) => SHORT_IDENTIFIER.test(item), 'a short identifier');
    case 'matching':
      return pairsOf(rest, (source, target) => SHORT_IDENTIFIER.test(source) && SHORT_IDENTIFIER.test(target ?? ''));
    case 'performance':
      return pairsOf(rest, (step, answer) => (step === '' || SHORT_IDENTIFIER.test(step)) && (answer ?? '').length <= FILL_IN_ITEM_LENGTH);
    case 'numeric':
      return kind === 'learner-response' ? numericAnswer(rest) : numericRange(rest);
    case 'fill-in':
      return listOf(rest, (item) => item.replace(LANG_PREFIX, '').length <= FILL_IN_ITEM_LENGTH, `at most ${FILL_IN_ITEM_LENGTH} characters`);
    case 'long-fill-in':
    case 'other':
      return accept(rest);
    default:
      return refuse('dependency', `unknown interaction type "${clip(type)}"`);
  }
}

/** Leading {lang=}, {case_matters=}, {order_matters=} of fill-in, long-fill-in and performance. */
function splitModifiers(value: string, type: string): { modifiers: string; rest: string; problem?: string } {
  if (!['fill-in', 'long-fill-in', 'performance'].includes(type)) return { modifiers: '', rest: value };
  let modifiers = '';
  let rest = value;
  for (let match = MODIFIER.exec(rest); match; match = MODIFIER.exec(rest)) {
    const [whole, name, setting = ''] = match;
    const isValid = name === 'lang' ? LANGUAGE_CODE.test(setting) : setting === 'true' || setting === 'false';
    if (!isValid) return { modifiers, rest, problem: `malformed {${name}=} delimiter` };
    modifiers += whole;
    rest = rest.slice(whole.length).trimStart();
  }
  return { modifiers, rest };
}

function listOf(rest: string, isValidItem: (item: string) => boolean, expected: string): CheckResult {
  const items = splitTrimmed(rest, '[,]');
  if (items.length > MAX_ITEMS) return refuse('type-mismatch', `more than ${MAX_ITEMS} items`);
  const bad = items.find((item) => !isValidItem(item));
  return bad === undefined ? accept(items.join('[,]')) : refuse('type-mismatch', `"${clip(bad)}" is not ${expected}`);
}

function pairsOf(rest: string, isValidPair: (first: string, second: string | undefined) => boolean): CheckResult {
  const items = splitTrimmed(rest, '[,]');
  if (items.length > MAX_ITEMS) return refuse('type-mismatch', `more than ${MAX_ITEMS} items`);
  const pairs = items.map((item) => splitTrimmed(item, '[.]'));
  const bad = pairs.findIndex((parts) => parts.length > 2 || !isValidPair(parts[0] ?? '', parts[1]));
  return bad === -1
    ? accept(pairs.map((parts) => parts.join('[.]')).join('[,]'))
    : refuse('type-mismatch', `"${clip(items[bad] ?? '')}" is not a valid pair`);
}

function numericAnswer(rest: string): CheckResult {
  return REAL_2004.test(rest) ? accept(rest) : refuse('type-mismatch', `"${clip(rest)}" is not a number`);
}

/** Correct pattern of a numeric interaction: "n", "min[:]max", "min[:]" or "[:]max". */
function numericRange(rest: string): CheckResult {
  const bounds = splitTrimmed(rest, '[:]');
  const isValid = bounds.length <= 2 && bounds.every((bound) => bound === '' || REAL_2004.test(bound)) && bounds.some((bound) => bound !== '');
  return isValid ? accept(bounds.join('[:]')) : refuse('type-mismatch', `"${clip(rest)}" is not a number or range`);
}

function splitTrimmed(value: string, delimiter: string): string[] {
  return value.split(delimiter).map((part) => part.trim());
}
