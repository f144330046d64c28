// Value checks for data model elements. A check returns the value to store (possibly normalised)
// or the reason for refusing it. Checks are built once per data model and reused for every commit.

import type { RefusalKind } from './error-codes.js';
import { isWordOf } from './vocabularies.js';
import { normaliseDuration2004, normaliseTimestamp2004, isTimeOfDay12, parseTimespan12 } from './time.js';

export type CheckResult = { ok: true; value: string } | { ok: false; kind: RefusalKind; message: string };

/** Looks up the value of another element (this commit first, then the stored state). */
export type ElementLookup = (element: string) => string | undefined;

export interface CheckContext {
  /** The concrete element being checked, e.g. cmi.interactions.3.learner_response. */
  element: string;
  /** Collection indexes in the element name, outermost first. */
  indexes: readonly number[];
  lookup: ElementLookup;
}

export type ValueCheck = (value: string, context: CheckContext) => CheckResult;

export const accept = (value: string): CheckResult => ({ ok: true, value });
export const refuse = (kind: RefusalKind, message: string): CheckResult => ({ ok: false, kind, message });

// SCORM 2004 real(10,7) as scorm-again checks it; stricter would lose scores the browser accepted.
export const REAL_2004 = /^-?\d{1,10}(?:\.\d{1,18})?$/;
// SCORM 1.2 CMIDecimal as scorm-again checks it: ".5" and "5." are accepted there, so here too.
const DECIMAL_12 = /^-?(?:\d{1,10}(?:\.\d{0,18})?|\.\d{1,18})$/;
const SIGNED_INTEGER = /^-?\d{1,10}$/;
export const LANGUAGE_CODE = /^(?:[a-zA-Z]{1,8}|i|x)(?:-[a-zA-Z0-9-]{2,8})?$/;
export const LANG_PREFIX = /^\{lang=(?:[a-zA-Z]{1,8}|i|x)(?:-[a-zA-Z0-9-]{2,8})?\}/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u2028\u2029]/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;
/** SCORM 1.2 CMIIdentifier as scorm-again relaxes it: printable ASCII and spaces. */
const IDENTIFIER_12 = /^[\u0021-\u007e ]+$/;

export function characterString(maxLength: number): ValueCheck {
  return (value) =>
    value.length <= maxLength ? accept(value) : refuse('type-mismatch', `longer than ${maxLength} characters`);
}

/** A status word or other vocabulary; the empty string only when the vocabulary lists it. */
export function vocabulary(words: readonly string[]): ValueCheck {
  return (value) => (isWordOf(words, value) ? accept(value) : refuse('type-mismatch', `"${clip(value)}" is not one of ${words.join(', ')}`));
}

/**
 * A number in the version's decimal syntax, optionally bounded. "" means "not set" and is accepted,
 * because scorm-again's full commits carry "" for every score the SCO never reported.
 */
export function decimal(syntax: 'scorm12' | 'scorm2004', range?: { min: number; max: number }): ValueCheck {
  const pattern = syntax === 'scorm12' ? DECIMAL_12 : REAL_2004;
  return (value) => {
    if (value === '') return accept(value);
    if (!pattern.test(value)) return refuse('type-mismatch', `"${clip(value)}" is not a number`);
    const number = Number(value);
    if (range && (number < range.min || number > range.max)) {
      return refuse('out-of-range', `${value} is outside ${range.min}..${range.max}`);
    }
    return accept(value);
  };
}

export function signedInteger(range: { min: number; max: number }): ValueCheck {
  return (value) => {
    if (!SIGNED_INTEGER.test(value)) return refuse('type-mismatch', `"${clip(value)}" is not an integer`);
    const number = Number(value);
    return number < range.min || number > range.max
      ? refuse('out-of-range', `${value} is outside ${range.min}..${range.max}`)
      : accept(value);
  };
}

/**
 * Identifiers (objective and interaction ids). Padding is trimmed. Longer ids are refused, not
 * truncated: two questions whose long ids share a prefix would silently merge in the question
 * analysis, and the version's limit is also scorm-again's, so a longer id could neither have come
 * from the browser runtime nor be preloaded into it at the next launch.
 */
export function identifier(syntax: 'scorm12' | 'scorm2004'): ValueCheck {
  const maxLength = syntax === 'scorm12' ? 255 : 4000;
  return (raw) => {
    const value = raw.trim();
    if (value === '') return raw === '' ? accept('') : refuse('type-mismatch', 'identifier is blank');
    if (value.length > maxLength) return refuse('type-mismatch', `identifier longer than ${maxLength} characters`);
    if (syntax === 'scorm12' && !IDENTIFIER_12.test(value)) {
      return refuse('type-mismatch', 'SCORM 1.2 identifiers are printable ASCII');
    }
    if (CONTROL_CHARACTERS.test(value)) return refuse('type-mismatch', 'identifier contains control characters');
    return accept(value);
  };
}

/** SCORM 2004 localized string: optional {lang=xx} prefix, then at most maxLength characters on one line. */
export function langString(maxLength: number): ValueCheck {
  return (value) => {
    const prefix = LANG_PREFIX.exec(value)?.[0] ?? '';
    const text = value.slice(prefix.length);
    if (text.startsWith('{')) return refuse('type-mismatch', 'malformed {lang=} delimiter');
    if (LINE_BREAK.test(text)) return refuse('type-mismatch', 'line breaks are not allowed');
    return text.length <= maxLength ? accept(value) : refuse('type-mismatch', `longer than ${maxLength} characters`);
  };
}

export function languageCode(): ValueCheck {
  return (value) =>
    value === '' || LANGUAGE_CODE.test(value) ? accept(value) : refuse('type-mismatch', `"${clip(value)}" is not a language code`);
}

/** "" is accepted as "not reported" (scorm-again sends "" for unset write-only times). */
export function timespan12(): ValueCheck {
  return (value) =>
    value === '' || parseTimespan12(value) !== null ? accept(value) : refuse('type-mismatch', `"${clip(value)}" is not HHHH:MM:SS.SS`);
}

export function timeOfDay12(): ValueCheck {
  return (value) =>
    value === '' || isTimeOfDay12(value) ? accept(value) : refuse('type-mismatch', `"${clip(value)}" is not HH:MM:SS.SS`);
}

export function duration2004(): ValueCheck {
  return (value) => {
    if (value === '') return accept(value);
    const normalised = normaliseDuration2004(value);
    return normalised === null ? refuse('type-mismatch', `"${clip(value)}" is not an ISO 8601 duration`) : accept(normalised);
  };
}

export function timestamp2004(): ValueCheck {
  return (value) => {
    if (value === '') return accept(value);
    const normalised = normaliseTimestamp2004(value);
    return normalised === null ? refuse('type-mismatch', `"${clip(value)}" is not an ISO 8601 timestamp`) : accept(normalised);
  };
}

/** Interaction result: a vocabulary word or a number. */
export function interactionResult(words: readonly string[], syntax: 'scorm12' | 'scorm2004'): ValueCheck {
  const number = decimal(syntax);
  return (value, context) => {
    if (isWordOf(words, value) || number(value, context).ok) return accept(value);
    return refuse('type-mismatch', `"${clip(value)}" is neither a number nor one of ${words.join(', ')}`);
  };
}

/** Keeps refusal messages short when a client sends a huge value. */
export function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
