import type { z } from 'zod';
import { ValidationError, type FieldProblem } from '../errors.js';

/** Parses input at the boundary; a failure becomes a 422 listing every field problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message = 'Some fields are invalid'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(message, toProblems(result.error));
}

export function toProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ code: issue.code.toUpperCase(), message: issue.message, path: issue.path.join('.') }));
}

/** Field errors keyed by field name, for re-rendering a form next to each input. */
export function fieldErrors(problems: FieldProblem[]): Record<string, string> {
  return Object.fromEntries(problems.map((p) => [p.path || '_form', p.message]));
}

/** An empty form field means "not given". */
export const emptyToNull = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? null : value);

/** Only paths inside the app (no scheme, no '//' host) are followed after sign-in. */
export function safeLocalPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  return value;
}
