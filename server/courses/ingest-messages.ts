// Upload problems in the reader's language: every ingest problem code has a sentence in
// courseAdmin.ingest.codes (a test checks the list is complete), the zip entry it is about, and
// the English message of the API kept as a technical detail for the package's author.
import type { FieldProblem } from '../errors.js';

type Translate = (key: string, vars?: Record<string, unknown>) => string;

export interface ProblemView {
  code: string;
  severity: 'error' | 'warning';
  /** What was wrong, in the reader's language. */
  text: string;
  /** The zip entry or manifest file concerned; null when it is the upload as a whole. */
  where: string | null;
  /** The English message the API returns, with names from the package. */
  detail: string;
}

/** Paths that name a form field rather than a place in the package. */
const FORM_FIELDS = new Set(['', 'package', 'code', '_form']);

export function describeProblem(problem: FieldProblem & { severity?: string }, t: Translate): ProblemView {
  const key = `courseAdmin.ingest.codes.${problem.code}`;
  const translated = t(key);
  return {
    code: problem.code,
    severity: problem.severity === 'warning' ? 'warning' : 'error',
    text: translated && translated !== key ? translated : t('courseAdmin.ingest.unknown'),
    where: problem.path && !FORM_FIELDS.has(problem.path) ? problem.path : null,
    detail: problem.message,
  };
}

/** An error's problems, or the error itself as one problem when it lists none (a broken form body). */
export function describeProblems(error: { code: string; message: string; problems: readonly FieldProblem[] }, t: Translate): ProblemView[] {
  const problems = error.problems.length ? error.problems : [{ code: error.code, message: error.message, path: '' }];
  return problems.map((p) => describeProblem(p, t));
}
