import type { RequestHandler } from 'express';
import type { EnglishCourseTitles } from '../courses/english-titles.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Course code → English title, for a signed-in English reader (the {{courseTitle}} helper). */
      courseTitlesEn?: ReadonlyMap<string, string>;
    }
  }
}

/** English course titles for pages that name courses by code; only English readers need them. */
export function courseTitlesLocals(titles: EnglishCourseTitles): RequestHandler {
  return (req, res, next) => {
    if (!req.user || res.locals.locale !== 'en') return next();
    titles.byCode().then((map) => {
      res.locals.courseTitlesEn = map;
      next();
    }, next);
  };
}
