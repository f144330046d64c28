// Typed reading of attribute and text values, reporting what cannot be read instead of guessing
// silently. `where` names the owner in messages (e.g. 'item "quiz_item"').
import type { Element } from '@xmldom/xmldom';
import { ManifestProblemCode, type ProblemList } from './manifest-problems.js';
import { attributeOf, namespacedAttributeOf, textOf, type NamespaceMatch } from './xml-elements.js';

/** Longer text is no number a manifest means; checking the length first keeps the patterns cheap. */
const MAX_NUMBER_LENGTH = 100;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const NON_NEGATIVE_INTEGER = /^\+?\d+$/;

export interface NumberRange {
  min?: number;
  max?: number;
}

export class AttributeValues {
  constructor(
    private readonly problems: ProblemList,
    private readonly where: string,
  ) {}

  /** xs:boolean; tools also write `True`, so case is ignored. */
  boolean(element: Element, name: string, fallback: boolean): boolean {
    return this.parseBoolean(element, name, attributeOf(element, name), fallback);
  }

  /** A boolean attribute in a namespace, e.g. adlseq:objectivesGlobalToSystem. */
  namespacedBoolean(element: Element, namespace: NamespaceMatch, name: string, fallback: boolean): boolean {
    return this.parseBoolean(element, name, namespacedAttributeOf(element, namespace, name), fallback);
  }

  decimal(element: Element, name: string, range: NumberRange = {}): number | null {
    const raw = attributeOf(element, name);
    return raw === null ? null : this.parseDecimal(raw, range, () => `<${element.tagName}> ${name}="${raw}"`);
  }

  decimalText(element: Element, range: NumberRange = {}): number | null {
    const raw = textOf(element);
    return raw === null ? null : this.parseDecimal(raw, range, () => `<${element.tagName}> value "${raw}"`);
  }

  nonNegativeInteger(element: Element, name: string): number | null {
    const raw = attributeOf(element, name);
    if (raw === null) return null;
    if (raw.length <= MAX_NUMBER_LENGTH && NON_NEGATIVE_INTEGER.test(raw.trim())) return Number.parseInt(raw.trim(), 10);
    this.invalid(element, name, raw, 'not a non-negative integer; ignored');
    return null;
  }

  string(element: Element, name: string): string | null {
    const raw = attributeOf(element, name)?.trim() ?? '';
    return raw === '' ? null : raw;
  }

  /** A required attribute: a missing one is an error and yields null. */
  requiredString(element: Element, name: string): string | null {
    const value = this.string(element, name);
    if (value === null) this.missing(element, name);
    return value;
  }

  /** Reports a required attribute or child element that is not there. */
  missing(element: Element, what: string): void {
    this.problems.error(ManifestProblemCode.MISSING_VALUE, `${this.where}: <${element.tagName}> has no ${what}`);
  }

  /**
   * An enumerated token. Sequencing vocabularies decide pass and completion, so a value outside
   * the vocabulary is an error, not a guess.
   */
  token<T extends string>(element: Element, name: string, allowed: readonly T[], fallback: T): T {
    const raw = attributeOf(element, name);
    if (raw === null) return fallback;
    const value = raw.trim();
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.error(
      ManifestProblemCode.INVALID_VALUE,
      `${this.where}: <${element.tagName}> ${name}="${raw}" is not one of ${allowed.join(', ')}`,
    );
    return fallback;
  }

  /** A required enumerated token: null (with an error) when missing or unknown. */
  requiredToken<T extends string>(element: Element, name: string, allowed: readonly T[]): T | null {
    const raw = this.requiredString(element, name);
    if (raw === null) return null;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.error(
      ManifestProblemCode.INVALID_VALUE,
      `${this.where}: <${element.tagName}> ${name}="${raw}" is not one of ${allowed.join(', ')}`,
    );
    return null;
  }

  private parseBoolean(element: Element, name: string, raw: string | null, fallback: boolean): boolean {
    if (raw === null) return fallback;
    const value = raw.trim().toLowerCase();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    this.invalid(element, name, raw, `not a boolean; using ${fallback}`);
    return fallback;
  }

  private parseDecimal(raw: string, range: NumberRange, describe: () => string): number | null {
    const text = raw.trim();
    const value = text.length <= MAX_NUMBER_LENGTH && DECIMAL.test(text) ? Number(text) : Number.NaN;
    const inRange = (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
    if (Number.isFinite(value) && inRange) return value;
    const bounds = range.min !== undefined && range.max !== undefined ? ` in ${range.min}..${range.max}` : '';
    this.problems.warn(
      ManifestProblemCode.INVALID_VALUE,
      `${this.where}: ${describe()} is not a decimal${bounds}; ignored`,
    );
    return null;
  }

  private invalid(element: Element, name: string, raw: string, consequence: string): void {
    this.problems.warn(
      ManifestProblemCode.INVALID_VALUE,
      `${this.where}: <${element.tagName}> ${name}="${raw}" is ${consequence}`,
    );
  }
}
