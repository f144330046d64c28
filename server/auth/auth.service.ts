import type { UsersStore } from '../org/users.repository.js';
import type { ApiTokensStore } from './api-tokens.repository.js';
import type { AuditStore } from '../audit/audit.repository.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordCheckQueue } from './password-check-queue.js';
import type { Principal } from './principal.js';
import { TooManyRequestsError } from '../errors.js';
import { hashPassword, verifyPassword, type ScryptCost } from './password.js';

export interface AuthServiceDeps {
  users: UsersStore;
  apiTokens: ApiTokensStore;
  audit: AuditStore;
  throttle: LoginThrottle;
  passwordChecks: PasswordCheckQueue;
  passwordCost: ScryptCost;
  dummyHash: () => Promise<string>;
}

export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  /**
   * Checks a username and password. Returns null for any wrong part (the caller shows one generic
   * message); throws TooManyRequestsError once the account (from this address, or from everywhere)
   * or the address has failed too often, and SignInBusyError when too many checks are queued. The
   * attempt is counted before the password is hashed, so parallel tries cannot outrun the count.
   */
  async authenticate(username: string, password: string, ip: string): Promise<Principal | null> {
    const { users, throttle, audit, passwordChecks } = this.deps;
    const reserved = throttle.reserve(username, ip);
    if ('retryAfterSeconds' in reserved) throw new TooManyRequestsError('Too many failed sign-in attempts', reserved.retryAfterSeconds);
    const credentials = await users.findCredentials(username);
    // Verify against a dummy hash for unknown users so response time does not reveal them.
    const hash = credentials?.passwordHash ?? (await this.deps.dummyHash());
    let matches: boolean;
    try {
      matches = await passwordChecks.run(() => verifyPassword(password, hash));
    } catch (error) {
      // Not checked at all (the queue was full): the attempt costs nothing.
      reserved.reservation.cancel();
      throw error;
    }
    if (!credentials || !credentials.passwordHash || !matches || credentials.status !== 'active') {
      await audit.append({ actorId: credentials?.id ?? null, action: 'auth.login_failed', subject: `username:${username.slice(0, 64)}`, details: { ip } });
      return null;
    }
    reserved.reservation.succeeded();
    await audit.append({ actorId: credentials.id, action: 'auth.login', subject: `user:${credentials.id}`, details: { ip } });
    return this.loadPrincipal(credentials.id);
  }

  async loadPrincipal(userId: number): Promise<Principal | null> {
    const user = await this.deps.users.findById(userId);
    if (!user || user.status !== 'active') return null;
    return { ...user, roles: await this.deps.users.listRoles(userId) };
  }

  async principalForToken(token: string): Promise<Principal | null> {
    const userId = await this.deps.apiTokens.findUserIdByToken(token);
    return userId === null ? null : this.loadPrincipal(userId);
  }

  async hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.deps.passwordCost);
  }
}
