/**
 * `lms invite --person NAME_OR_NO | --branch CODE | --all [--resend]` — the same invitation run
 * as the page: e-mails a one-time link to set a password to everyone in scope without one.
 * Exit 0 when done, 1 when some mails failed, 2 for bad arguments or a missing person/branch.
 */
import { parseArgs } from 'node:util';
import type { Container } from '../../container.js';
import { resolveInviteScope, type InviteTarget } from './invitation-scope.js';
import { AppError } from '../../errors.js';

export const INVITE_HELP = 'invite --person USERNAME|EMPLOYEE_NO | --branch CODE | --all [--resend]   e-mails one-time links to set a password to people without one';

export async function runInviteCommand(container: Container, args: string[]): Promise<number> {
  let values: { person?: string; branch?: string; all?: boolean; resend?: boolean };
  try {
    values = parseArgs({ args, options: { person: { type: 'string' }, branch: { type: 'string' }, all: { type: 'boolean' }, resend: { type: 'boolean' } } }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: ${INVITE_HELP}`);
    return 2;
  }
  const chosen = [values.person, values.branch, values.all].filter((v) => v !== undefined);
  if (chosen.length !== 1) {
    console.error(`Give exactly one of --person, --branch, --all.\nUsage: ${INVITE_HELP}`);
    return 2;
  }
  const target: InviteTarget = values.person ? { person: values.person } : values.branch ? { branchCode: values.branch } : { everyone: true };
  try {
    const scope = await resolveInviteScope({ users: container.repositories.users, branches: container.repositories.branches }, null, target);
    const report = await container.signIn.links.invite(scope, null, {
      resend: values.resend ?? false,
      onProgress: (r) => { if (process.stdout.isTTY) process.stdout.write(`\r${r.invited} invited, ${r.failed} failed`); },
    });
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.log(`Invitations: ${report.invited} sent, ${report.failed} failed.`);
    return report.failed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}
