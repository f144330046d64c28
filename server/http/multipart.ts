import multer from 'multer';
import type { RequestHandler } from 'express';
import { BadRequestError } from '../errors.js';

/**
 * Runs a multer middleware with one error policy for every multipart route: a limit multer names
 * goes to `onLimit` (each route words its own), a body busboy cannot read (no boundary, a boundary
 * that never comes, a broken part header, a cut-off upload) is the client's fault and answers 400,
 * and a system error (disk full, no permission) stays a server error.
 */
export function multipartBody(upload: RequestHandler, onLimit: (error: multer.MulterError) => Error): RequestHandler {
  return (req, res, next) => {
    upload(req, res, (error?: unknown) => {
      if (!error) return next();
      if (error instanceof multer.MulterError) return next(onLimit(error));
      if (isSystemError(error)) return next(error);
      const detail = error instanceof Error ? error.message : String(error);
      next(new BadRequestError(`The upload is not a readable multipart/form-data body (${detail})`, [], 'MULTIPART_INVALID'));
    });
  };
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
