import type { RequestHandler } from 'express';
import type { Locale } from '../config.js';
import { parseLocale, type Translator } from '../i18n/i18n.js';
import { navFor } from './nav.js';

export const LOCALE_COOKIE = 'lms.lang';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      baseUrl: string; locale: Locale; t: (key: string, vars?: object) => string; timeZone: string;
      csrfToken?: string; currentUser?: Express.User; nav?: Array<{ href: string; label: string }>;
      /** The player's link to the course exam ('start' / 'resume'), when it is open. */
      examLink?: 'start' | 'resume' | null;
    }
  }
}

/**
 * Cross-cutting view data: the mount path (every link and redirect starts with it), the locale
 * (user preference, then cookie, then the default) and its translate function.
 */
export function requestLocals(deps: { translator: Translator; defaultLocale: Locale; timeZone: string }): RequestHandler {
  return (req, res, next) => {
    res.locals.baseUrl = req.baseUrl;
    const cookieLocale = parseLocale(readCookie(req.headers.cookie, LOCALE_COOKIE));
    const locale = req.user?.locale ?? cookieLocale ?? deps.defaultLocale;
    res.locals.locale = locale;
    res.locals.t = deps.translator.forLocale(locale) as (key: string, vars?: object) => string;
    res.locals.timeZone = deps.timeZone;
    res.locals.currentUser = req.user;
    if (req.user) res.locals.nav = navFor(req.user, res.locals.t);
    next();
  };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    // A hand-made cookie may hold a broken %-escape: that is no value, not a server error.
    if (key === name) return safeDecode(rest.join('='));
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
