import { pino, type Logger } from 'pino';

export type { Logger };

/** The app logs through one injected pino logger; secrets are redacted at the source. */
export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
  });
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
