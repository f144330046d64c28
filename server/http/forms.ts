import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { fieldErrors, toProblems } from './validate.js';

/**
 * A form POST: validate the body, run the action, or re-render the form with the submitted values
 * and an error next to each field (422, or 409 for a duplicate). Nothing is saved on failure.
 */
export function formHandler<S extends z.ZodType>(
  schema: S,
  action: (data: z.infer<S>, req: Request, res: Response) => Promise<void>,
  renderForm: (req: Request, res: Response, state: { values: unknown; errors: Record<string, string> }) => Promise<void> | void,
): RequestHandler {
  return async (req, res) => {
    const values = req.body as unknown;
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      res.status(422);
      return renderForm(req, res, { values, errors: fieldErrors(toProblems(parsed.error), res.locals.t) });
    }
    try {
      await action(parsed.data, req, res);
    } catch (error) {
      if (error instanceof AppError && (error.status === 422 || error.status === 409)) {
        res.status(error.status);
        return renderForm(req, res, { values, errors: fieldErrors(error.problems.length ? error.problems : [{ code: error.code, message: error.message, path: '_form' }], res.locals.t) });
      }
      throw error;
    }
  };
}
