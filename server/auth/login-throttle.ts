import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * Counts failed sign-ins per account and per address. The per-address limit is high because a
 * whole branch may sit behind one NAT address; the per-account limit stops password guessing.
 */
export class LoginThrottle {
  private readonly perAccount: RateLimiterMemory;
  private readonly perIp: RateLimiterMemory;

  constructor(limits: { perAccount: number; perIp: number; windowSeconds: number }) {
    this.perAccount = new RateLimiterMemory({ keyPrefix: 'acct', points: limits.perAccount, duration: limits.windowSeconds });
    this.perIp = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.perIp, duration: limits.windowSeconds });
  }

  /** Seconds to wait when either counter is used up, else 0. */
  async blockedFor(username: string, ip: string): Promise<number> {
    const [account, address] = await Promise.all([this.perAccount.get(username.toLowerCase()), this.perIp.get(ip)]);
    const waits = [account, address]
      .filter((r) => r !== null && r.remainingPoints <= 0)
      .map((r) => Math.ceil(r!.msBeforeNext / 1000));
    return waits.length ? Math.max(...waits) : 0;
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    await Promise.all([
      this.perAccount.penalty(username.toLowerCase(), 1),
      this.perIp.penalty(ip, 1),
    ]);
  }

  async recordSuccess(username: string): Promise<void> {
    await this.perAccount.delete(username.toLowerCase());
  }
}
