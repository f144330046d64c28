import { AppError } from '../errors.js';

/** The password checker is full: the client should come back in a few seconds (503 + Retry-After). */
export class SignInBusyError extends AppError {
  static override readonly defaultCode = 'SIGN_IN_BUSY';
  override name = 'SignInBusyError';
  override readonly status = 503;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

export interface PasswordCheckLimits { maxRunning: number; maxWaiting: number }

/**
 * Bounds the scrypt work sign-ins cause: each check takes ~100 ms of a thread-pool thread and
 * 128 MiB, so at most `maxRunning` run at once, at most `maxWaiting` wait their turn, and the rest
 * are answered at once instead of queueing behind a flood (a legitimate sign-in then waits for a
 * few checks, not for hundreds).
 */
export class PasswordCheckQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Checks started since the process began (tests and operators read it). */
  started = 0;

  constructor(private readonly limits: PasswordCheckLimits) {}

  async run<T>(check: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.maxRunning) {
      if (this.waiting.length >= this.limits.maxWaiting) throw new SignInBusyError('Too many sign-ins are being checked', 2);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    this.started += 1;
    try {
      return await check();
    } finally {
      // Hand the slot straight to the next in line, so `running` never dips while others wait.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
