// What a reader sees of a page, and the internal codes in it (the check test/http/no-internal-codes.test.ts
// runs, shared with the learner pages' test): snake_case names, SCREAMING_SNAKE codes, status words.
import { decodeHtml } from './test-app.js';

const SNAKE = /\b[a-z]+_[a-z_]+\b/g;
const SCREAMING = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g;
const STATUS_WORDS = /\b(completed|incomplete|not attempted|passed|failed|unknown|browsed|active|left|revoked|expired|certified|expiring|valid|in_progress|not_started)\b/g;

/**
 * Text between tags and the attributes read aloud or shown (title, placeholder, aria-label, alt); scripts and
 * styles left out, and text taken from an uploaded package (file names, its author's English message), which is
 * marked data-package-text: the package's words, not the LMS's codes.
 */
export function visibleText(html: string): string {
  const body = html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<(code|p|span)\b[^>]*\sdata-package-text[^>]*>[\s\S]*?<\/\1>/g, ' ');
  const attributes = [...body.matchAll(/\s(?:title|placeholder|aria-label|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = body.replace(/<[^>]+>/g, ' ');
  return decodeHtml([text, ...attributes].join(' ')).replace(/\s+/g, ' ');
}

/** @param allowed text a page may show that looks like a code (e.g. the roster page documents its file's column names). */
export function internalCodesIn(html: string, allowed: readonly string[] = []): string[] {
  const text = visibleText(html);
  const found = [...text.matchAll(SNAKE), ...text.matchAll(SCREAMING), ...text.matchAll(STATUS_WORDS)].map((m) => m[0]);
  return [...new Set(found)].filter((code) => !allowed.includes(code));
}
