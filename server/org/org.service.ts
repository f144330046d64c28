import type { BranchesStore, Branch } from './branches.repository.js';
import type { UsersStore, User, Role } from './users.repository.js';
import type { AuthService } from '../auth/auth.service.js';
import type { UserSessionsStore } from '../auth/user-sessions.repository.js';
import type { BranchForm, UserForm } from './org.schemas.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';

export const PAGE_SIZE = 50;

export interface Page<T> { items: T[]; nextAfter: number | string | null }

/** Rules for branches, users and role grants; every change is audited by the repositories. */
export class OrgService {
  constructor(private readonly deps: {
    branches: BranchesStore; users: UsersStore; auth: AuthService;
    /** Open sessions end when a password is reset, a role removed or the person leaves. */
    sessions: Pick<UserSessionsStore, 'endAll'>;
    /** A user was created or changed branch/position: assignments that now cover them enroll them. */
    onUserChanged?: (userId: number) => Promise<unknown>;
  }) {}

  async searchUsers(q: string | null, after: number | undefined, scopePath?: string): Promise<Page<User>> {
    const items = await this.deps.users.search({ q: q ?? undefined, after, scopePath, limit: PAGE_SIZE + 1 });
    const hasMore = items.length > PAGE_SIZE;
    const page = items.slice(0, PAGE_SIZE);
    return { items: page, nextAfter: hasMore ? page.at(-1)!.id : null };
  }

  async searchBranches(q: string | null, after: string | undefined, scopePath?: string): Promise<Page<Branch>> {
    const items = await this.deps.branches.search({ q: q ?? undefined, after, scopePath, limit: PAGE_SIZE + 1 });
    const hasMore = items.length > PAGE_SIZE;
    const page = items.slice(0, PAGE_SIZE);
    return { items: page, nextAfter: hasMore ? page.at(-1)!.code : null };
  }

  async getUser(id: number): Promise<User & { roles: Awaited<ReturnType<UsersStore['listRoles']>> }> {
    const user = await this.deps.users.findById(id);
    NotFoundError.assertFound(user, 'User not found');
    return { ...user, roles: await this.deps.users.listRoles(id) };
  }

  async getBranch(id: number): Promise<Branch> {
    const branch = await this.deps.branches.findById(id);
    NotFoundError.assertFound(branch, 'Branch not found');
    return branch;
  }

  async createUser(form: UserForm, actorId: number | null, roles: Array<{ role: Role; scopeBranchId: number | null }> = []): Promise<User> {
    const branchId = await this.branchIdFor(form.branchCode);
    const passwordHash = form.password ? await this.deps.auth.hashPassword(form.password) : null;
    const user = await this.deps.users.create({ ...this.userInput(form), branchId, passwordHash, roles }, { actorId });
    await this.deps.onUserChanged?.(user.id);
    return user;
  }

  async updateUser(id: number, form: UserForm, actorId: number | null): Promise<User> {
    const before = await this.getUser(id);
    const branchId = await this.branchIdFor(form.branchCode);
    const user = await this.deps.users.update(id, { ...this.userInput(form), branchId }, { actorId });
    if (form.password) {
      await this.deps.users.setPassword(id, await this.deps.auth.hashPassword(form.password), { actorId });
      // Whoever knew the old password (or holds a session opened with it) is signed out everywhere.
      await this.deps.sessions.endAll(id, 'password_reset', { actorId });
    } else if (before.status === 'active' && user.status === 'left') {
      await this.deps.sessions.endAll(id, 'left', { actorId });
    }
    await this.deps.onUserChanged?.(id);
    return user;
  }

  async grantRole(userId: number, role: Role, scope: { branchCode: string | null; wholeBank: boolean }, actorId: number | null): Promise<void> {
    await this.getUser(userId);
    if ((scope.branchCode || scope.wholeBank) && role !== 'hr') {
      throw new ValidationError('Only hr roles take a branch scope', [{ code: 'SCOPE_NOT_ALLOWED', message: 'Only hr roles take a branch scope', path: 'scopeBranchCode' }]);
    }
    if (role === 'hr' && !scope.branchCode && !scope.wholeBank) {
      throw new ValidationError('An hr role needs a branch scope', [{ code: 'SCOPE_REQUIRED', message: 'Give a branch code, or tick "whole bank"', path: 'scopeBranchCode' }]);
    }
    if (role === 'hr' && scope.branchCode && scope.wholeBank) {
      throw new ValidationError('Either a branch or the whole bank', [{ code: 'SCOPE_BOTH', message: 'Give a branch code or tick "whole bank", not both', path: 'scopeBranchCode' }]);
    }
    const scopeBranchId = role === 'hr' ? await this.branchIdFor(scope.branchCode, 'scopeBranchCode') : null;
    const existing = await this.deps.users.listRoles(userId);
    if (existing.some((g) => g.role === role && g.scopeBranchId === scopeBranchId)) {
      throw new ConflictError('This person already has this role', [{ code: 'ROLE_DUPLICATE', message: 'This person already has this role with this scope', path: 'role' }], 'ROLE_DUPLICATE');
    }
    await this.deps.users.grantRole(userId, role, scopeBranchId, { actorId });
  }

  async revokeRole(userId: number, grantId: number, actorId: number | null): Promise<void> {
    if (!(await this.deps.users.revokeRole(userId, grantId, { actorId }))) throw new NotFoundError('Role grant not found');
    // Roles are reloaded on every request anyway; ending the sessions also drops pages and forms
    // opened with the wider access, and makes the change visible to the person at once.
    await this.deps.sessions.endAll(userId, 'role_revoked', { actorId });
  }

  async createBranch(form: BranchForm, actorId: number | null): Promise<Branch> {
    return this.deps.branches.create({ code: form.code, name: form.name, parentId: await this.branchIdFor(form.parentCode, 'parentCode') }, { actorId });
  }

  async updateBranch(id: number, form: BranchForm, actorId: number | null): Promise<Branch> {
    await this.getBranch(id);
    return this.deps.branches.update(id, { code: form.code, name: form.name, parentId: await this.branchIdFor(form.parentCode, 'parentCode') }, { actorId });
  }

  private async branchIdFor(code: string | null, field = 'branchCode'): Promise<number | null> {
    if (!code) return null;
    const branch = await this.deps.branches.findByCode(code);
    if (!branch) throw new ValidationError('Unknown branch code', [{ code: 'UNKNOWN_BRANCH', message: `No branch with code ${code}`, path: field }]);
    return branch.id;
  }

  private userInput(form: UserForm) {
    return { username: form.username, employeeNo: form.employeeNo, name: form.name, email: form.email, position: form.position, hiredAt: form.hiredAt, status: form.status };
  }
}
