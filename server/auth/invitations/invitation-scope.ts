import type { UsersStore } from '../../org/users.repository.js';
import type { BranchesStore } from '../../org/branches.repository.js';
import type { InviteScope } from './password-tokens.repository.js';
import type { Principal } from '../principal.js';
import { canSeeBranch, reportingScopes } from '../principal.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';

/** What an invitation run was asked for: a person (username or employee number), a branch subtree, or everyone. */
export type InviteTarget = { person: string } | { branchCode: string } | { everyone: true };

/**
 * The run's scope, within what the asker may see: hr only inside their branch subtrees, the
 * whole bank only for admins (or hr without scope). `asker` null is the command line (trusted).
 */
export async function resolveInviteScope(
  deps: { users: UsersStore; branches: BranchesStore }, asker: Principal | null, target: InviteTarget,
): Promise<InviteScope> {
  if ('person' in target) {
    const user = (await deps.users.findByUsername(target.person)) ?? (await deps.users.findByEmployeeNo(target.person));
    NotFoundError.assertFound(user, `No person with username or employee number ${target.person}`);
    if (asker && reportingScopes(asker) !== null && !(user.branchPath && canSeeBranch(asker, user.branchPath))) {
      throw new ForbiddenError('This person is outside your branches');
    }
    return { userId: user.id };
  }
  if ('branchCode' in target) {
    const branch = await deps.branches.findByCode(target.branchCode);
    NotFoundError.assertFound(branch, `No branch with code ${target.branchCode}`);
    if (asker && !canSeeBranch(asker, branch.path)) throw new ForbiddenError('This branch is outside your scope');
    return { branchPath: branch.path };
  }
  if (asker && reportingScopes(asker) !== null) throw new ForbiddenError('Only an administrator may invite everyone');
  return { everyone: true };
}
