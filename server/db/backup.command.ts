import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LmsConfig } from '../config.js';
import { BackupError, backupDatabase, restoreDatabase } from './backup.js';

export const BACKUP_HELP = 'backup --out FILE   an online, consistent copy of the database while the server runs; checked before it is kept';
export const RESTORE_HELP = 'restore --from FILE   puts a backup in place on a stopped server, after integrity, migration and audit checks';

/** Both commands work on the database file itself, without opening the app on it. */
export async function runBackupCommand(config: LmsConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  if (!values.out) return usage('backup needs --out FILE');
  return report(async () => {
    const summary = await backupDatabase(config.databaseFile, values.out!, migrationsDir(config));
    console.log(`Backup written to ${summary.file} (${summary.bytes} bytes): integrity ok, migrations match, audit trail intact (${summary.auditEvents} events, head ${summary.auditHead}).`);
    console.log(`The package files are not in it: copy ${config.packagesDir} alongside.`);
  });
}

export async function runRestoreCommand(config: LmsConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' } } });
  if (!values.from) return usage('restore needs --from FILE');
  return report(async () => {
    const summary = restoreDatabase(values.from!, config.databaseFile, migrationsDir(config), config.now);
    console.log(`Restored ${values.from} to ${summary.restoredTo}: integrity ok, migrations match, audit trail intact (${summary.auditEvents} events, head ${summary.auditHead}).`);
    if (summary.previousMovedTo) console.log(`The database it replaced is kept as ${summary.previousMovedTo}.`);
  });
}

const migrationsDir = (config: LmsConfig) => path.join(config.projectRoot, 'migrations');

function usage(message: string): number {
  console.error(message);
  return 2;
}

async function report(work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(`Refused: ${error.message}`);
    return 1;
  }
}
