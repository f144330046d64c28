import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LmsOptions } from './config.js';
import { createLogger } from './logger.js';
import { parseLocale } from './i18n/i18n.js';
import { signInFromEnv } from './auth/sign-in-env.js';

/** Standalone settings from the environment (main.ts and cli.ts pass process.env in). */
export interface StandaloneSettings {
  port: number;
  /** The content origin's port (LMS_CONTENT_PORT, default PORT+1); null in same-origin mode. */
  contentPort: number | null;
  demo: boolean;
  demoPassword: string | null;
  /** Local hour (0–23, in the configured zone) of the daily reminder run (LMS_NOTIFY_HOUR, default 8). */
  notifyHour: number;
  options: LmsOptions;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): StandaloneSettings {
  const dataDir = path.resolve(env.LMS_DATA_DIR ?? './data');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  // Package content gets its own origin unless LMS_CONTENT_SAME_ORIGIN=1. The default host differs
  // from "localhost" so that no cookie is shared; production uses a separate host name.
  const sameOrigin = env.LMS_CONTENT_SAME_ORIGIN === '1';
  const contentPort = sameOrigin ? null : Number(env.LMS_CONTENT_PORT ?? port + 1);
  if (contentPort !== null && (!Number.isInteger(contentPort) || contentPort < 0 || contentPort > 65535)) {
    throw new Error(`LMS_CONTENT_PORT must be a port number, got ${env.LMS_CONTENT_PORT}`);
  }
  const notifyHour = Number(env.LMS_NOTIFY_HOUR || 8);
  if (!Number.isInteger(notifyHour) || notifyHour < 0 || notifyHour > 23) throw new Error(`LMS_NOTIFY_HOUR must be an hour 0–23, got ${env.LMS_NOTIFY_HOUR}`);
  const publicUrl = env.LMS_PUBLIC_URL || `http://localhost:${port}`;
  return {
    port,
    contentPort,
    notifyHour,
    demo: env.LMS_DEMO !== '0',
    demoPassword: env.LMS_DEMO_PASSWORD || null,
    options: {
      dataDir,
      // PostgreSQL for several nodes (README "PostgreSQL"); unset: the SQLite file in the data folder.
      databaseUrl: env.LMS_DATABASE_URL || undefined,
      databasePoolSize: env.LMS_DATABASE_POOL_SIZE ? Number(env.LMS_DATABASE_POOL_SIZE) : undefined,
      contentDir: env.LMS_CONTENT_DIR || undefined,
      sessionSecret: env.LMS_SESSION_SECRET || readOrCreateSecret(dataDir),
      secureCookies: env.LMS_SECURE_COOKIES === '1',
      sessionIdleMinutes: env.LMS_SESSION_IDLE_MINUTES ? Number(env.LMS_SESSION_IDLE_MINUTES) : undefined,
      sessionAbsoluteHours: env.LMS_SESSION_ABSOLUTE_HOURS ? Number(env.LMS_SESSION_ABSOLUTE_HOURS) : undefined,
      defaultLocale: parseLocale(env.LMS_DEFAULT_LOCALE) ?? 'zh-CN',
      timeZone: env.LMS_TIME_ZONE || 'Asia/Shanghai',
      logger: createLogger(env.LMS_LOG_LEVEL || 'info'),
      contentOrigin: contentPort === null ? undefined : env.LMS_CONTENT_ORIGIN || `http://127.0.0.1:${contentPort}`,
      publicUrl,
      smtpUrl: env.LMS_SMTP_URL || undefined,
      mailFrom: env.LMS_MAIL_FROM || undefined,
      dueSoonDays: env.LMS_NOTIFY_DUE_SOON_DAYS ? Number(env.LMS_NOTIFY_DUE_SOON_DAYS) : undefined,
      pdfFont: env.LMS_PDF_FONT || undefined,
      // LMS_SIGNIN_LOCAL, LMS_OIDC_*, LMS_LDAP_*: see README "Sign-in".
      signIn: signInFromEnv(env, publicUrl),
    },
  };
}

/** Without LMS_SESSION_SECRET, a random secret is kept in the data folder (mode 600), never in the repo. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
