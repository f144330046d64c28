import type { z } from 'zod';
import { ValidationError, type FieldProblem } from '../errors.js';

/** Parses input at the boundary; a failure becomes a 422 listing every field problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message = 'Some fields are invalid'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(message, toProblems(result.error));
}

export function toProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ code: problemCode(issue), message: issue.message, path: issue.path.join('.') }));
}

/** A custom check names its problem with `params: { code }`; zod's own issues keep their code. */
function problemCode(issue: z.core.$ZodIssue): string {
  const named = issue.code === 'custom' ? (issue.params as { code?: unknown } | undefined)?.code : undefined;
  return typeof named === 'string' ? named : issue.code.toUpperCase();
}

/**
 * Field errors keyed by field name, for re-rendering a form next to each input. With a translate
 * function a problem reads in the user's language when `errors.fields.<CODE>` exists (the English
 * message of the API stays the fallback).
 */
export function fieldErrors(problems: FieldProblem[], t?: (key: string) => string): Record<string, string> {
  const message = (p: FieldProblem) => {
    for (const key of [`errors.fields.${p.code}`, `ux.errors.${p.code}`, `courseAdmin.ingest.codes.${p.code}`]) {
      const translated = t?.(key);
      if (translated && translated !== key) return translated;
    }
    return p.message;
  };
  return Object.fromEntries(problems.map((p) => [p.path || '_form', message(p)]));
}

/** An empty form field means "not given". */
export const emptyToNull = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? null : value);

/** Only paths inside the app (no scheme, no '//' host) are followed after sign-in. */
export function safeLocalPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  // Browsers drop tabs and newlines from URLs: '/\t/evil.example' would become '//evil.example'.
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(value) || value.length > 2000) return null;
  return value;
}
