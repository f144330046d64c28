import type { Response } from 'express';
import { SignInRefusedError, type SignInProblem } from './sign-in.service.js';

/**
 * Every refused or failed single sign-on ends on one page saying what happened and what to do,
 * in the user's language — never a 500 or a stack. The cause is logged by the caller, not shown.
 */
export function renderSignInProblem(res: Response, problem: SignInProblem, status = 403): void {
  const t = res.locals.t;
  res.status(status).render('auth/sign-in-problem', {
    title: t('signin.problemTitle'),
    message: t(`signin.problems.${problem}.message`),
    action: t(`signin.problems.${problem}.action`),
    problem,
  });
}

/** Status for a refusal: the person is known to be refused (403) or the service is unavailable (503). */
export function problemStatus(error: SignInRefusedError): number {
  return error.problem === 'PROVIDER_UNREACHABLE' || error.problem === 'DIRECTORY_UNREACHABLE' ? 503 : error.status;
}
