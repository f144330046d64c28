import i18next, { type TFunction } from 'i18next';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale } from '../config.js';
import type { CertificationStatus } from '../certification/status-rules.js';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'locales');

function readLocale(locale: Locale): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(localesDir, `${locale}.json`), 'utf8')) as Record<string, unknown>;
}

/** The certification status words (`status.*`) of each locale, for code that renders without a translator (exports). */
export function statusLabels(): Record<Locale, Record<CertificationStatus, string>> {
  return Object.fromEntries(LOCALES.map((l) => [l, readLocale(l).status])) as Record<Locale, Record<CertificationStatus, string>>;
}

export interface Translator { forLocale(locale: Locale): TFunction }

/** One i18next instance per app (no module state), loaded synchronously from the JSON files. */
export function createTranslator(defaultLocale: Locale): Translator {
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    lng: defaultLocale,
    fallbackLng: 'zh-CN',
    supportedLngs: [...LOCALES],
    resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: readLocale(l) }])),
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map(LOCALES.map((l) => [l, remembered(instance.getFixedT(l))]));
  return { forLocale: (locale) => fixed.get(locale) ?? fixed.get(defaultLocale)! };
}

const MAX_REMEMBERED = 10_000;

/**
 * A page translates dozens of fixed strings per render; i18next resolves each one anew (key
 * split, resource lookup, interpolation pass). Strings without variables never change while the
 * process runs, so each is looked up once (issue 14: launch CPU).
 */
function remembered(t: TFunction): TFunction {
  const plain = new Map<string, string>();
  const wrapped = (key: string | string[], vars?: unknown): string => {
    if (typeof key !== 'string' || !isEmpty(vars)) return (t as (k: string | string[], v?: unknown) => string)(key, vars);
    let text = plain.get(key);
    if (text === undefined) {
      text = (t as (k: string) => string)(key);
      if (plain.size >= MAX_REMEMBERED) plain.clear();
      plain.set(key, text);
    }
    return text;
  };
  return wrapped as unknown as TFunction;
}

function isEmpty(vars: unknown): boolean {
  if (vars === undefined || vars === null) return true;
  if (typeof vars !== 'object') return false;
  for (const _ in vars) return false;
  return true;
}

export function parseLocale(value: unknown): Locale | null {
  if (typeof value !== 'string') return null;
  if (value === 'en' || value.toLowerCase().startsWith('en')) return 'en';
  if (value.toLowerCase().startsWith('zh')) return 'zh-CN';
  return null;
}
