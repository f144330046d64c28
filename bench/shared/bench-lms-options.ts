import type { LmsOptions } from '../../server/config.js';

/**
 * What every bench server sets beside its data folder: a cheap scrypt and roomy sign-in limits,
 * because signing the crowd in is only the set-up (every learner at once, from one address) and
 * not what a bench measures.
 */
export const BENCH_SIGN_IN_OPTIONS: Pick<LmsOptions, 'sessionSecret' | 'passwordCost' | 'loginThrottle' | 'passwordChecks'> = {
  sessionSecret: 'bench-session-secret-0123456789',
  passwordCost: { N: 1024, r: 8, p: 1 },
  loginThrottle: { perAccountAddress: 50, perIp: 100_000, windowSeconds: 900 },
  passwordChecks: { maxRunning: 2, maxWaiting: 100_000 },
};
