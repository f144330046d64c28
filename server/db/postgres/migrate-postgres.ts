import type pg from 'pg';
import { MigrationError, pendingMigrations, readMigrations, SCHEMA_MIGRATIONS_TABLE, type AppliedMigration } from '../migrate.js';

// Any fixed number: nodes starting together take turns, so each migration runs once.
const MIGRATION_LOCK = 7_318_400_018;

/**
 * The PostgreSQL path of the one runner: the same files-and-checksums rules (shared with migrate.ts),
 * reading `migrations/postgres/`. Each file runs in one transaction with its schema_migrations row;
 * an advisory lock makes concurrent nodes wait for the first one's migrations instead of racing.
 */
export async function migratePostgres(pool: pg.Pool, dir: string, now: () => Date = () => new Date()): Promise<{ applied: string[] }> {
  const migrations = readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(SCHEMA_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedMigration>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
      const applied: string[] = [];
      for (const m of pendingMigrations(migrations, rows, dir)) {
        try {
          await client.query('BEGIN');
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)',
            [m.version, m.name, m.checksum, now().toISOString()]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new MigrationError(`Migration postgres/${m.file} failed and was rolled back: ${(error as Error).message}`, { cause: error });
        }
        applied.push(m.file);
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
