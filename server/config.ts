import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, type Logger } from './logger.js';
import { toOrigin } from './courses/content-capability.js';
import { DEFAULT_LOGIN_LIMITS, type LoginThrottleLimits } from './auth/login-throttle.js';
import type { PasswordCheckLimits } from './auth/password-check-queue.js';
import { resolveSignInConfig, type SignInConfig, type SignInOptions } from './auth/sign-in-config.js';
import type { IdentifyFn } from './auth/identify.js';

export type Locale = 'zh-CN' | 'en';

/** What a host passes to createLms(). Only dataDir and sessionSecret are required. */
export interface LmsOptions {
  /** Folder for the SQLite file and unpacked packages (git-ignored; never courses/). */
  dataDir: string;
  /** Secret signing the session cookie; the host keeps it out of the repo. */
  sessionSecret: string;
  /** Defaults to <dataDir>/lms.db. */
  databaseFile?: string;
  /**
   * `postgres://user:pass@host:5432/lms`: PostgreSQL instead of the SQLite file, for several nodes
   * sharing one database (README "PostgreSQL"). Omitted: SQLite in dataDir.
   */
  databaseUrl?: string;
  /** PostgreSQL connections per node (default 10). */
  databasePoolSize?: number;
  /** Unpacked package files; defaults to <dataDir>/packages. Several nodes: one shared folder (README "PostgreSQL"). */
  contentDir?: string;
  /** Adds the Secure flag to cookies (set when served over HTTPS). */
  secureCookies?: boolean;
  sessionIdleMinutes?: number;
  sessionAbsoluteHours?: number;
  logger?: Logger;
  /** Injected clock; tests move time instead of waiting. */
  now?: () => Date;
  /** scrypt cost; OWASP's N=2^17, r=8, p=1 by default. Tests lower it. */
  passwordCost?: { N: number; r: number; p: number };
  /** Failed sign-ins allowed per (account, address) 5, per account 50, per address 100, per 15 minutes. */
  loginThrottle?: Partial<LoginThrottleLimits>;
  /** Password checks (scrypt) running at once (2) and waiting (8); more are answered 503 + Retry-After. */
  passwordChecks?: Partial<PasswordCheckLimits>;
  defaultLocale?: Locale;
  timeZone?: string;
  /** Upload limits for SCORM packages. */
  packageLimits?: { maxUploadBytes: number; maxEntries: number; maxUncompressedBytes: number };
  /**
   * The origin (e.g. `https://content.lms.example.com`) where the host serves `app.lms.contentApp`,
   * so package JavaScript runs without the LMS session. Omitted: content is served from the LMS's
   * own origin under /content (same-origin mode, logged as a warning).
   */
  contentOrigin?: string;
  /**
   * Where people open the LMS (e.g. `https://lms.example.com/training`): links in e-mails and the
   * verification URL in certificate QR codes. Omitted: reminders carry no link, and certificates
   * take the origin and mount path of the request that downloads them.
   */
  publicUrl?: string;
  /** `smtp://user:pass@host:587` or `smtps://…`. Omitted: the notify job sends no mail. */
  smtpUrl?: string;
  /** Sender of reminder mail. */
  mailFrom?: string;
  /** Employees are reminded this many days before a due date (default 7). */
  dueSoonDays?: number;
  /**
   * Font with Chinese glyphs for certificate PDFs: a .ttf/.otf path, or a .ttc collection with the
   * face after '#' (`/fonts/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular`). Omitted: the system's
   * Noto CJK font (Debian/Ubuntu package fonts-noto-cjk) when installed.
   */
  pdfFont?: string;
  /** Seconds between the player's learning-time heartbeats while a course is visible (default 30). */
  heartbeatSeconds?: number;
  /** Sign-in methods: local passwords (default on), OpenID Connect, LDAP/AD; link lifetimes. See README "Sign-in". */
  signIn?: SignInOptions;
  /**
   * A host that has already signed the person in names them: `{ employeeNo }`, `{ username }`, or
   * null for nobody. The LMS opens its own session for that roster person (roles and scope are the LMS's).
   */
  identify?: IdentifyFn;
}

export interface LmsConfig {
  dataDir: string;
  databaseFile: string;
  /** Null: SQLite (databaseFile). */
  databaseUrl: string | null;
  databasePoolSize: number;
  packagesDir: string;
  sessionSecret: string;
  secureCookies: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  logger: Logger;
  now: () => Date;
  passwordCost: { N: number; r: number; p: number };
  loginThrottle: LoginThrottleLimits;
  passwordChecks: PasswordCheckLimits;
  defaultLocale: Locale;
  timeZone: string;
  packageLimits: { maxUploadBytes: number; maxEntries: number; maxUncompressedBytes: number };
  projectRoot: string;
  /** Null in same-origin mode. */
  contentOrigin: string | null;
  /** Without a trailing slash; null when not configured. */
  publicUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  dueSoonDays: number;
  /** Null: look for a system CJK font (see certification/certificate-pdf.ts). */
  pdfFont: string | null;
  heartbeatSeconds: number;
  signIn: SignInConfig;
  identify: IdentifyFn | null;
}

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function resolveConfig(options: LmsOptions): LmsConfig {
  if (!options.dataDir) throw new Error('createLms: options.dataDir is required');
  if (!options.sessionSecret || options.sessionSecret.length < 16) {
    throw new Error('createLms: options.sessionSecret must be at least 16 characters');
  }
  const dataDir = path.resolve(options.dataDir);
  return {
    dataDir,
    databaseFile: options.databaseFile ?? path.join(dataDir, 'lms.db'),
    databaseUrl: options.databaseUrl ? checkedUrl(options.databaseUrl, ['postgres:', 'postgresql:'], 'databaseUrl') : null,
    databasePoolSize: checkedPoolSize(options.databasePoolSize ?? 10),
    packagesDir: options.contentDir ? path.resolve(options.contentDir) : path.join(dataDir, 'packages'),
    sessionSecret: options.sessionSecret,
    secureCookies: options.secureCookies ?? false,
    sessionIdleMs: (options.sessionIdleMinutes ?? 30) * 60_000,
    sessionAbsoluteMs: (options.sessionAbsoluteHours ?? 12) * 3_600_000,
    logger: options.logger ?? createLogger(),
    now: options.now ?? (() => new Date()),
    passwordCost: options.passwordCost ?? { N: 2 ** 17, r: 8, p: 1 },
    loginThrottle: { ...DEFAULT_LOGIN_LIMITS, ...options.loginThrottle },
    passwordChecks: { maxRunning: 2, maxWaiting: 8, ...options.passwordChecks },
    defaultLocale: options.defaultLocale ?? 'zh-CN',
    timeZone: options.timeZone ?? 'Asia/Shanghai',
    packageLimits: options.packageLimits ?? {
      maxUploadBytes: 1024 * 1024 * 1024,
      maxEntries: 20_000,
      maxUncompressedBytes: 2 * 1024 * 1024 * 1024,
    },
    projectRoot: PROJECT_ROOT,
    contentOrigin: options.contentOrigin ? toOrigin(options.contentOrigin, 'createLms: options.contentOrigin') : null,
    publicUrl: options.publicUrl ? checkedUrl(options.publicUrl, ['http:', 'https:'], 'publicUrl').replace(/\/+$/, '') : null,
    smtpUrl: options.smtpUrl ? checkedUrl(options.smtpUrl, ['smtp:', 'smtps:'], 'smtpUrl') : null,
    mailFrom: options.mailFrom || 'Compliance LMS <no-reply@localhost>',
    dueSoonDays: checkedDays(options.dueSoonDays ?? 7),
    pdfFont: options.pdfFont || null,
    heartbeatSeconds: checkedHeartbeat(options.heartbeatSeconds ?? 30),
    signIn: resolveSignInConfig(options.signIn),
    identify: options.identify ?? null,
  };
}

function checkedHeartbeat(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 240) throw new Error('createLms: options.heartbeatSeconds must be between 1 and 240 (below the 300-second idle cut)');
  return seconds;
}

/** The URL as given, or a clear startup error (never echoing credentials an SMTP URL may hold). */
function checkedUrl(value: string, protocols: string[], name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`createLms: options.${name} is not a URL`);
  }
  if (!protocols.includes(url.protocol)) throw new Error(`createLms: options.${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return value;
}

function checkedPoolSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > 500) throw new Error(`createLms: options.databasePoolSize must be a whole number 1–500, got ${size}`);
  return size;
}

function checkedDays(days: number): number {
  if (!Number.isInteger(days) || days < 0) throw new Error(`createLms: options.dueSoonDays must be a whole number ≥ 0, got ${days}`);
  return days;
}
