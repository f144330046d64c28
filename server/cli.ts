// The `lms` command (npm run lms -- <command>): the same services as the web app, no second implementation.
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { resolveConfig } from './config.js';
import { buildContainer, type Container } from './container.js';
import { settingsFromEnv } from './env-options.js';
import { parseAuditAnchor, verifyAuditChain } from './audit/audit.repository.js';
import { silentLogger } from './logger.js';
import { EXPORT_HELP, runExportCommand } from './reports/export.command.js';
import { IMPORT_ROSTER_HELP, runImportRosterCommand } from './org/roster/roster.cli.js';
import { NOTIFY_HELP, runNotifyCommand } from './notify/notify.command.js';
import { BACKUP_HELP, RESTORE_HELP, runBackupCommand, runRestoreCommand } from './db/backup.command.js';
import type { LmsConfig } from './config.js';
import { INVITE_HELP, runInviteCommand } from './auth/invitations/invite.command.js';
import { MIGRATE_TO_POSTGRES_HELP, runMigrateToPostgresCommand } from './db/postgres/migrate-to-postgres.command.js';

type Command = (container: Container, args: string[]) => Promise<number>;

const commands: Record<string, { help: string; run: Command }> = {
  'create-admin': {
    help: 'create-admin --username NAME [--name "Full Name"]   creates an admin; prints a generated password once',
    run: async (c, args) => {
      const { values } = parseArgs({ args, options: { username: { type: 'string' }, name: { type: 'string' } } });
      if (!values.username) return fail('create-admin needs --username');
      const password = crypto.randomBytes(12).toString('base64url');
      await c.services.org.createUser({
        username: values.username, name: values.name ?? values.username, employeeNo: null, email: null, branchCode: null,
        position: null, hiredAt: null, status: 'active', password,
      }, null, [{ role: 'admin', scopeBranchId: null }]);
      console.log(`Admin ${values.username} created. Password (shown once): ${password}`);
      return 0;
    },
  },
  token: {
    help: 'token create --user NAME [--name LABEL] | token revoke --id N | token list --user NAME',
    run: async (c, args) => {
      const [action, ...rest] = args;
      const { values } = parseArgs({ args: rest, options: { user: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } } });
      if (action === 'revoke') {
        const ok = await c.repositories.apiTokens.revoke(Number(values.id), { actorId: null });
        return ok ? (console.log(`Token ${values.id} revoked.`), 0) : fail(`No active token with id ${values.id}`);
      }
      const user = values.user ? await c.repositories.users.findByUsername(values.user) : null;
      if (!user) return fail(`token ${action ?? ''} needs --user with an existing username`);
      if (action === 'create') {
        const { id, token } = await c.repositories.apiTokens.create(user.id, values.name ?? 'cli', { actorId: null });
        console.log(`Token ${id} for ${user.username} (shown once, store it safely):\n${token}`);
        return 0;
      }
      if (action === 'list') {
        for (const t of await c.repositories.apiTokens.listForUser(user.id)) {
          console.log(`${t.id}\t${t.name}\tcreated ${t.createdAt}\tlast used ${t.lastUsedAt ?? '-'}\t${t.revokedAt ? 'revoked' : 'active'}`);
        }
        return 0;
      }
      return fail('token needs create, revoke or list');
    },
  },
  export: { help: EXPORT_HELP, run: runExportCommand },
  'import-roster': { help: IMPORT_ROSTER_HELP, run: runImportRosterCommand },
  notify: { help: NOTIFY_HELP, run: runNotifyCommand },
  invite: { help: INVITE_HELP, run: runInviteCommand },
  'rebuild-aggregates': {
    help: 'rebuild-aggregates   recounts the figures kept by triggers (score distribution, question tallies, dashboard status tallies) from the records',
    run: async (c) => {
      let started = performance.now();
      await c.repositories.courseAggregates.rebuild();
      console.log(`Course aggregates recounted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      started = performance.now();
      await c.repositories.statusTallies.rebuild();
      console.log(`Dashboard status tallies recounted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    },
  },
  'verify-audit': {
    help: 'verify-audit [--head ID:HASH]   checks the audit hash chain (and that it still holds a head an earlier run printed); exits 1 naming the first bad event',
    run: async (c, args) => {
      const { values } = parseArgs({ args, options: { head: { type: 'string' } } });
      const anchor = values.head === undefined ? undefined : parseAuditAnchor(values.head);
      if (anchor === null) return fail('--head must be ID:HASH as printed by an earlier verify-audit (e.g. 1234:3f2a…, 64 hex digits)');
      const result = verifyAuditChain(c.db, anchor);
      if (result.ok) {
        console.log(`Audit trail intact: ${result.checked} events, head hash ${result.headHash}`);
        console.log(`Record this head elsewhere and pass it to the next run as --head ${result.headId}:${result.headHash}`);
        return 0;
      }
      console.error(`Audit trail broken at event ${result.firstBad!.id}: ${result.firstBad!.reason} (${result.checked} events verified before it)`);
      return 1;
    },
  },
};

/** Commands on the database file itself: the app is not opened on it (restore replaces it). */
const fileCommands: Record<string, { help: string; run: (config: LmsConfig, args: string[]) => Promise<number> }> = {
  backup: { help: BACKUP_HELP, run: runBackupCommand },
  restore: { help: RESTORE_HELP, run: runRestoreCommand },
  'migrate-to-postgres': { help: MIGRATE_TO_POSTGRES_HELP, run: runMigrateToPostgresCommand },
};

function fail(message: string): number {
  console.error(message);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  const fileCommand = name ? fileCommands[name] : undefined;
  if (!command && !fileCommand) {
    console.log('Usage: npm run lms -- <command>\n');
    for (const c of [...Object.values(commands), ...Object.values(fileCommands)]) console.log(`  ${c.help}`);
    return name ? 2 : 0;
  }
  const settings = settingsFromEnv(process.env);
  if (fileCommand) return fileCommand.run(resolveConfig({ ...settings.options, logger: silentLogger() }), args);
  const container = buildContainer(resolveConfig({ ...settings.options, logger: silentLogger() }));
  try {
    await container.ready;
    return await command!.run(container, args);
  } finally {
    container.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
