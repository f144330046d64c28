import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { AppError, TooManyRequestsError } from '../errors.js';
import { StorageUnavailableError, translateStorageError } from '../db/storage-errors.js';
import type { Translator } from '../i18n/i18n.js';
import type { Locale } from '../config.js';

export function wantsJson(req: Request): boolean {
  // /scorm/* are the player's commit endpoints: its scripts read JSON, whatever they accept.
  return req.path.startsWith('/api/') || req.path.startsWith('/scorm/') || req.path === '/healthz' || (req.accepts(['html', 'json']) === 'json');
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    if (wantsJson(req)) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found', problems: [] } });
      return;
    }
    res.status(404).render('errors/not-found', { title: res.locals.t('errors.notFoundTitle') });
  };
}

/** Typed errors become their status; anything else is logged and shown as a generic 500. */
export function errorHandler(logger: Logger, translator: Translator, defaultLocale: Locale): ErrorRequestHandler {
  return (error, req, res, _next) => {
    // Errors raised before the locals middleware still render in the default language.
    if (!res.locals.t) {
      res.locals.baseUrl = req.baseUrl;
      res.locals.locale = defaultLocale;
      res.locals.t = translator.forLocale(defaultLocale) as (key: string, vars?: object) => string;
    }
    const storage = error instanceof AppError ? null : translateStorageError(error);
    // An operator must hear of a full or failing disk at once, though the answer is not a 500.
    if (storage) logger.error({ err: error, reqId: req.id }, `[db] ${storage.code}: request refused, nothing stored`);
    const known = error instanceof AppError ? error : storage;
    // Body-parser, multer and csrf-sync errors carry their own 4xx status.
    const foreignStatus = !known && typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status as number : null;
    const status = known?.status ?? foreignStatus ?? 500;
    if (status === 500) logger.error({ err: error, reqId: req.id }, '[http] unhandled error');
    if (known instanceof TooManyRequestsError || known instanceof StorageUnavailableError) res.setHeader('Retry-After', String(known.retryAfterSeconds));
    const code = known?.code ?? (foreignStatus === 403 ? 'CSRF_INVALID' : foreignStatus ? (error.code ?? 'BAD_REQUEST') : 'INTERNAL_ERROR');
    const message = status === 500 ? 'Internal error' : (known?.message ?? error.message ?? 'Bad request');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (wantsJson(req)) {
      res.status(status).json({ error: { code, message, problems: known?.problems ?? [] } });
      return;
    }
    const t = res.locals.t;
    res.status(status).render('errors/error', {
      title: t('errors.title'),
      status,
      message: status === 500 ? t('errors.internal') : t(`errors.codes.${code}`, { defaultValue: message }),
    });
  };
}
