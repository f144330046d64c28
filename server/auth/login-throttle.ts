/** Sign-in limits, each counted over the same fixed window. */
export interface LoginThrottleLimits {
  /** Failures allowed per (account, address) pair: the lock an attacker at one address runs into. */
  perAccountAddress: number;
  /** Failures allowed per account from all addresses together: higher, so one address cannot lock the owner out. */
  perAccount: number;
  /** Failures allowed per address over all accounts: high, since a whole branch may sit behind one NAT address. */
  perIp: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = { perAccountAddress: 5, perAccount: 50, perIp: 100, windowSeconds: 900 };

/**
 * One reserved sign-in attempt: `succeeded` hands back what a correct password should not cost
 * (and clears its pair's failures); `cancel` hands back an attempt that was never checked.
 */
export interface Reservation { succeeded(): void; cancel(): void }

interface Window { count: number; resetAt: number }

const MAX_KEYS = 200_000;

/**
 * Counts sign-in attempts per (account, address), per account and per address. An attempt is
 * reserved — counted — before its password is hashed, synchronously, so a burst of parallel tries
 * cannot all pass the check while the first ones are still hashing; a correct password then gives
 * its reservation back (and clears its own pair's count). In memory, per process.
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();
  private readonly limits: LoginThrottleLimits;

  constructor(limits: Partial<LoginThrottleLimits>, private readonly clock: () => number = Date.now) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  }

  /** Counts one attempt, or answers how many seconds to wait when any limit is used up (nothing counted then). */
  reserve(username: string, ip: string): { reservation: Reservation } | { retryAfterSeconds: number } {
    const now = this.clock();
    const account = username.trim().toLowerCase();
    const keys: Array<[string, number]> = [
      [`pair\n${account}\n${ip}`, this.limits.perAccountAddress],
      [`acct\n${account}`, this.limits.perAccount],
      [`ip\n${ip}`, this.limits.perIp],
    ];
    const windows = keys.map(([key]) => this.current(key, now));
    const full = windows.filter((w, i) => w.count >= keys[i][1]);
    if (full.length) return { retryAfterSeconds: Math.max(1, ...full.map((w) => Math.ceil((w.resetAt - now) / 1000))) };
    for (const w of windows) w.count += 1;
    const giveBack = () => { for (const w of windows) w.count = Math.max(0, w.count - 1); };
    return {
      reservation: {
        succeeded: () => { giveBack(); windows[0].count = 0; },
        cancel: giveBack,
      },
    };
  }

  private current(key: string, now: number): Window {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (w) this.windows.delete(key);
      if (this.windows.size >= MAX_KEYS) this.dropExpired(now);
      w = { count: 0, resetAt: now + this.limits.windowSeconds * 1000 };
      this.windows.set(key, w);
    }
    return w;
  }

  /** Map order is creation order, and every window lasts as long: expired ones sit at the front. */
  private dropExpired(now: number): void {
    for (const [key, w] of this.windows) {
      if (w.resetAt > now && this.windows.size < MAX_KEYS) break;
      this.windows.delete(key);
    }
  }
}
