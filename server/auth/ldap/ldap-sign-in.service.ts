import type { LdapConfig } from '../sign-in-config.js';
import type { LoginThrottle } from '../login-throttle.js';
import type { SignInService } from '../sign-in.service.js';
import type { AuditStore } from '../../audit/audit.repository.js';
import type { Principal } from '../principal.js';
import type { LdapDirectory } from './ldap-directory.js';
import { SignInRefusedError } from '../sign-in.service.js';
import { TooManyRequestsError } from '../../errors.js';

/** Names longer than this, or with control characters, never reach the directory. */
const MAX_USERNAME = 128;

/**
 * Domain-account sign-in: the same throttle as local passwords (per account and address), the
 * directory's answer, then the one door (SignInService) to the roster person.
 */
export class LdapSignInService {
  constructor(private readonly deps: {
    directory: LdapDirectory; config: LdapConfig; throttle: LoginThrottle; signIn: SignInService; audit: AuditStore;
  }) {}

  async authenticate(username: string, password: string, ip: string): Promise<Principal> {
    const { throttle, directory, audit } = this.deps;
    const key = `ldap:${username}`;
    // Counted before the directory is asked, so parallel tries cannot outrun the count.
    const reserved = throttle.reserve(key, ip);
    if ('retryAfterSeconds' in reserved) throw new TooManyRequestsError('Too many failed sign-in attempts', reserved.retryAfterSeconds);
    const wrong = async () => {
      await audit.append({ actorId: null, action: 'auth.login_failed', subject: `ldap:${username.slice(0, 64)}`, details: { method: 'ldap', ip } });
      return new SignInRefusedError('WRONG_CREDENTIALS', 401);
    };
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (username.length > MAX_USERNAME || /[\u0000-\u001f\u007f]/.test(username)) throw await wrong();
    let answer: Awaited<ReturnType<LdapDirectory['verify']>>;
    try {
      answer = await directory.verify(username, password);
    } catch (error) {
      // The directory never judged the password (down, timed out): the attempt costs nothing.
      reserved.reservation.cancel();
      throw error;
    }
    if (answer.outcome === 'wrong-credentials') throw await wrong();
    reserved.reservation.succeeded();
    if (answer.outcome === 'no-attribute') throw new SignInRefusedError('CLAIM_MISSING');
    const identity = this.deps.config.matchBy === 'employeeNo' ? { employeeNo: answer.value } : { username: answer.value };
    return this.deps.signIn.resolve(identity, 'ldap', { ip });
  }
}
