/**
 * The one door (DESIGN §10): local passwords, OpenID Connect, LDAP and the host's identify(req)
 * all end here — a roster person, their roles and scope. Callers say which roster field the
 * method names; nothing after this point knows how the person proved who they are.
 */
import type { UsersStore, User } from '../org/users.repository.js';
import type { AuditStore } from '../audit/audit.repository.js';
import type { OrgService } from '../org/org.service.js';
import type { AuthService } from './auth.service.js';
import type { Principal } from './principal.js';
import { AppError } from '../errors.js';

export type SignInMethod = 'local' | 'oidc' | 'ldap' | 'host';

/** Who an outside system says the person is. */
export type ExternalIdentity = { employeeNo: string } | { username: string };

/** Why a sign-in was refused; each code has a translated page saying what to do (signin.problems.*). */
export type SignInProblem =
  | 'UNKNOWN_PERSON' | 'ACCOUNT_LEFT' | 'STATE_MISMATCH' | 'PROVIDER_REFUSED' | 'PROVIDER_UNREACHABLE'
  | 'TOKEN_INVALID' | 'CLAIM_MISSING' | 'DIRECTORY_UNREACHABLE' | 'WRONG_CREDENTIALS' | 'METHOD_OFF' | 'THROTTLED';

export class SignInRefusedError extends AppError {
  static override readonly defaultCode = 'SIGN_IN_REFUSED';
  override name = 'SignInRefusedError';
  override readonly status: number;
  constructor(readonly problem: SignInProblem, status = 403, message: string = problem) {
    super(message, [], problem);
    this.status = status;
  }
}

export interface SignInContext {
  ip: string;
  /** Details an OIDC provider gave, used only when creating an unknown person. */
  profile?: { name?: string; email?: string };
  /** Create unknown people into this branch (OIDC option, off by default). */
  createInBranch?: string | null;
}

export class SignInService {
  constructor(private readonly deps: { users: UsersStore; audit: AuditStore; auth: AuthService; org: OrgService }) {}

  /** The active roster person an outside system names, or SignInRefusedError (audited either way). */
  async resolve(identity: ExternalIdentity, method: Exclude<SignInMethod, 'local'>, context: SignInContext): Promise<Principal> {
    const { users, audit } = this.deps;
    const subject = 'employeeNo' in identity ? `employee_no:${identity.employeeNo}` : `username:${identity.username}`;
    let user: User | null = 'employeeNo' in identity ? await users.findByEmployeeNo(identity.employeeNo) : await users.findByUsername(identity.username);
    if (!user && context.createInBranch) user = await this.createEmployee(identity, method, context);
    const refuse = async (problem: SignInProblem) => {
      await audit.append({ actorId: user?.id ?? null, action: 'auth.login_refused', subject: subject.slice(0, 128), details: { method, problem, ip: context.ip } });
      return new SignInRefusedError(problem);
    };
    if (!user) throw await refuse('UNKNOWN_PERSON');
    if (user.status !== 'active') throw await refuse('ACCOUNT_LEFT');
    const principal = await this.deps.auth.loadPrincipal(user.id);
    if (!principal) throw await refuse('ACCOUNT_LEFT');
    await audit.append({ actorId: user.id, action: 'auth.login', subject: `user:${user.id}`, details: { method, ip: context.ip } });
    return principal;
  }

  private async createEmployee(identity: ExternalIdentity, method: SignInMethod, context: SignInContext): Promise<User> {
    const key = 'employeeNo' in identity ? identity.employeeNo : identity.username;
    return this.deps.org.createUser({
      username: key, employeeNo: 'employeeNo' in identity ? identity.employeeNo : null,
      name: context.profile?.name?.slice(0, 100) || key, email: context.profile?.email?.slice(0, 200) || null,
      branchCode: context.createInBranch ?? null, position: null, hiredAt: null, status: 'active', password: null,
    }, null, [{ role: 'employee', scopeBranchId: null }]).then(async (user) => {
      await this.deps.audit.append({ actorId: user.id, action: 'auth.account_created', subject: `user:${user.id}`, details: { method } });
      return user;
    });
  }
}
