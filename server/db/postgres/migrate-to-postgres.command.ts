import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { LmsConfig } from '../../config.js';
import { MigrationError } from '../migrate.js';
import { CopyRefusedError, copySqliteToPostgres } from './copy-from-sqlite.js';

export const MIGRATE_TO_POSTGRES_HELP = 'migrate-to-postgres --from FILE.db --to postgres://…   copies an SQLite deployment into an empty PostgreSQL database; verifies row counts and the audit chain on both sides';

/** Shows where a URL points without its password. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export async function runMigrateToPostgresCommand(config: LmsConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } } });
  if (!values.from || !values.to) {
    console.error(`migrate-to-postgres needs --from and --to\n  ${MIGRATE_TO_POSTGRES_HELP}`);
    return 2;
  }
  if (!/^postgres(ql)?:\/\//i.test(values.to)) {
    console.error('--to must be a postgres:// (or postgresql://) URL');
    return 2;
  }
  const pool = new pg.Pool({ connectionString: values.to, max: 2, options: '-c synchronous_commit=on' });
  pool.on('error', () => undefined);
  const started = performance.now();
  try {
    console.log(`Copying ${path.resolve(values.from)} into ${redact(values.to)} …`);
    const report = await copySqliteToPostgres({
      sqliteFile: path.resolve(values.from), pool, migrationsDir: path.join(config.projectRoot, 'migrations'),
      progress: (message) => console.log(`  ${message}`),
    });
    for (const t of report.tables.filter((t) => t.sqliteRows !== t.postgresRows)) {
      console.error(`Row count differs in ${t.table}: ${t.sqliteRows} in SQLite, ${t.postgresRows} in PostgreSQL`);
    }
    const { sqlite, postgres } = report.audit;
    for (const [side, result] of [['SQLite', sqlite], ['PostgreSQL', postgres]] as const) {
      if (!result.ok) console.error(`Audit trail broken in ${side} at event ${result.firstBad!.id}: ${result.firstBad!.reason}`);
    }
    if (!report.ok) {
      console.error('The copy does not match its source: do not switch over to it.');
      return 1;
    }
    const rows = report.tables.reduce((sum, t) => sum + t.postgresRows, 0);
    console.log(`Copied ${report.tables.length} tables, ${rows} rows in ${((performance.now() - started) / 1000).toFixed(1)} s: row counts match, audit trail intact on both sides (${postgres.checked} events, head ${postgres.headId}:${postgres.headHash}).`);
    return 0;
  } catch (error) {
    if (error instanceof CopyRefusedError || error instanceof MigrationError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await pool.end();
  }
}
