/**
 * Copies an SQLite deployment into an empty PostgreSQL database (`lms migrate-to-postgres`):
 *   source checked (its migrations are exactly this LMS's) → target migrated (migrations/postgres)
 *   → every table copied in foreign-key order with COPY … FROM STDIN, inside one
 *   transaction, from one SQLite read snapshot → identity sequences moved past the copied ids →
 *   row counts and the audit chain verified on both sides.
 * Values are copied verbatim (timestamps are ISO text on both sides, so audit hashes still hold);
 * the aggregates the triggers keep are copied as they stand, with user triggers off during the copy;
 * foreign keys and secondary indexes are rebuilt after it (and the keys checked then, in bulk).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import type pg from 'pg';
import { verifyAuditChain } from '../../audit/audit.repository.js';
import { verifyAuditChainPostgres } from '../../audit/audit-verify.pg.js';
import type { AuditVerification } from '../../audit/audit-chain.js';
import { MigrationError, pendingMigrations, POSTGRES_MIGRATIONS, readMigrations, type AppliedMigration } from '../migrate.js';
import type { Db } from '../open-database.js';
import { copyRowsIn } from './copy-in.js';
import { migratePostgres } from './migrate-postgres.js';

export class CopyRefusedError extends Error {
  override name = 'CopyRefusedError';
}

export interface CopyReport {
  tables: Array<{ table: string; sqliteRows: number; postgresRows: number }>;
  audit: { sqlite: AuditVerification; postgres: AuditVerification };
  ok: boolean;
}

interface TablePlan { table: string; columns: string[]; orderBy: string; selfParent: { column: string; parentKey: string } | null }

export async function copySqliteToPostgres(options: {
  sqliteFile: string; pool: pg.Pool; migrationsDir: string; progress?: (message: string) => void;
}): Promise<CopyReport> {
  const { pool, migrationsDir } = options;
  const progress = options.progress ?? (() => undefined);
  const source = new Database(options.sqliteFile, { readonly: true, fileMustExist: true });
  try {
    checkSourceMigrations(source, migrationsDir);
    await requireEmptyTarget(pool);
    await migratePostgres(pool, path.join(migrationsDir, POSTGRES_MIGRATIONS));
    const plans = planTables(source);
    await checkTargetColumns(pool, plans);

    // One read snapshot of the source (WAL: the running LMS keeps writing beside it).
    source.exec('BEGIN');
    const sqliteCounts = new Map(plans.map((p) => [p.table, (source.prepare(`SELECT count(*) AS n FROM "${p.table}"`).get() as { n: number }).n]));
    const sqliteAudit = verifyAuditChain(source);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const { table } of plans) await client.query(`ALTER TABLE ${quote(table)} DISABLE TRIGGER USER`);
      // What the migrations seeded (the empty audit head) gives way to the copied rows.
      for (const { table } of plans) await client.query(`DELETE FROM ${quote(table)}`);
      // PostgreSQL's advice for bulk loads: foreign keys and secondary indexes off during the copy,
      // then rebuilt and checked once over whole tables (far cheaper than a check per row).
      await client.query("SET LOCAL maintenance_work_mem = '256MB'");
      const deferred = await dropKeysAndIndexes(client);
      for (const plan of plans) {
        const started = performance.now();
        const copied = await copyTable(source, client, plan);
        progress(`${plan.table}: ${copied} rows in ${seconds(started)} s`);
      }
      const rebuilding = performance.now();
      for (const statement of deferred) await client.query(statement);
      progress(`indexes and foreign keys rebuilt in ${seconds(rebuilding)} s`);
      for (const { table } of plans) await client.query(`ALTER TABLE ${quote(table)} ENABLE TRIGGER USER`);
      await resetIdentities(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
      source.exec('COMMIT');
    }

    const tables = [];
    for (const { table } of plans) {
      const { rows } = await pool.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${quote(table)}`);
      tables.push({ table, sqliteRows: sqliteCounts.get(table)!, postgresRows: Number(rows[0].n) });
    }
    const postgresAudit = await verifyAuditChainPostgres(pool);
    const ok = tables.every((t) => t.sqliteRows === t.postgresRows) && sqliteAudit.ok && postgresAudit.ok
      && sqliteAudit.headId === postgresAudit.headId && sqliteAudit.headHash === postgresAudit.headHash;
    return { tables, audit: { sqlite: sqliteAudit, postgres: postgresAudit }, ok };
  } finally {
    source.close();
  }
}

/** The source must be at exactly this LMS's migrations: an older file is opened by the LMS once first. */
function checkSourceMigrations(source: Db, migrationsDir: string): void {
  const hasTable = source.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) throw new CopyRefusedError('The source is not an LMS database (no schema_migrations table)');
  const applied = source.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedMigration[];
  let pending;
  try {
    pending = pendingMigrations(readMigrations(migrationsDir), applied, migrationsDir);
  } catch (error) {
    if (error instanceof MigrationError) throw new CopyRefusedError(`The source database does not match this LMS's migrations: ${error.message}`, { cause: error });
    throw error;
  }
  if (pending.length > 0) {
    throw new CopyRefusedError(`The source database lacks migrations ${pending.map((m) => m.file).join(', ')}: start this LMS version on it once, then copy`);
  }
}

async function requireEmptyTarget(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name LIMIT 5");
  if (rows.length > 0) {
    throw new CopyRefusedError(`The target database is not empty (it has ${rows.map((r) => r.table_name).join(', ')}…): copy into a new database (CREATE DATABASE …)`);
  }
}

/** Every table but SQLite's own and schema_migrations, parents before children (foreign keys). */
function planTables(source: Db): TablePlan[] {
  const names = (source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name")
    .all() as Array<{ name: string }>).map((r) => r.name);
  const parents = new Map<string, Set<string>>();
  const plans = new Map<string, TablePlan>();
  for (const table of names) {
    const columns = (source.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all(table) as Array<{ name: string; pk: number }>);
    const keys = (source.prepare('SELECT "table" AS parent, "from" AS col, "to" AS key FROM pragma_foreign_key_list(?)').all(table) as Array<{ parent: string; col: string; key: string | null }>);
    const self = keys.find((k) => k.parent === table) ?? null;
    parents.set(table, new Set(keys.map((k) => k.parent).filter((p) => p !== table && names.includes(p))));
    const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => quote(c.name));
    plans.set(table, {
      table, columns: columns.map((c) => c.name), orderBy: pk.length ? pk.join(', ') : 'rowid',
      selfParent: self ? { column: self.col, parentKey: self.key ?? 'id' } : null,
    });
  }
  const ordered: TablePlan[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const ready = names.filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (ready.length === 0) throw new CopyRefusedError(`Foreign keys form a cycle among ${names.filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of ready) { placed.add(t); ordered.push(plans.get(t)!); }
  }
  return ordered;
}

async function checkTargetColumns(pool: pg.Pool, plans: TablePlan[]): Promise<void> {
  const { rows } = await pool.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()');
  const target = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
  const missing = plans.flatMap((p) => p.columns.map((c) => `${p.table}.${c}`)).filter((c) => !target.has(c));
  if (missing.length > 0) throw new CopyRefusedError(`The PostgreSQL schema lacks ${missing.slice(0, 10).join(', ')}: a migrations/postgres twin is out of step`);
}

async function copyTable(source: Db, client: pg.PoolClient, plan: TablePlan): Promise<number> {
  const columnList = plan.columns.map(quote).join(', ');
  // A table that points at itself (the branch tree) goes parents first: by depth from the roots.
  const select = plan.selfParent
    ? `WITH RECURSIVE tree(k, level) AS (
         SELECT ${quote(plan.selfParent.parentKey)}, 0 FROM "${plan.table}" WHERE ${quote(plan.selfParent.column)} IS NULL
         UNION ALL SELECT c.${quote(plan.selfParent.parentKey)}, tree.level + 1 FROM "${plan.table}" c JOIN tree ON c.${quote(plan.selfParent.column)} = tree.k)
       SELECT ${plan.columns.map((c) => `t.${quote(c)}`).join(', ')} FROM "${plan.table}" t JOIN tree ON t.${quote(plan.selfParent.parentKey)} = tree.k ORDER BY tree.level, t.${quote(plan.selfParent.parentKey)}`
    : `SELECT ${columnList} FROM "${plan.table}" ORDER BY ${plan.orderBy}`;
  return copyRowsIn(client, plan.table, plan.columns, source.prepare(select).raw().iterate() as IterableIterator<unknown[]>);
}

/**
 * Drops the schema's foreign keys and the indexes no constraint owns; returns the statements that
 * put them back (indexes first, then the keys, which PostgreSQL validates against the copied rows).
 */
async function dropKeysAndIndexes(client: pg.PoolClient): Promise<string[]> {
  const keys = await client.query<{ table_name: string; name: string; definition: string }>(
    `SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema()`);
  const indexes = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
     WHERE i.schemaname = current_schema()
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = to_regclass(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname)))`);
  for (const key of keys.rows) await client.query(`ALTER TABLE ${key.table_name} DROP CONSTRAINT ${quote(key.name)}`);
  for (const index of indexes.rows) await client.query(`DROP INDEX ${quote(index.name)}`);
  return [
    ...indexes.rows.map((index) => index.definition),
    ...keys.rows.map((key) => `ALTER TABLE ${key.table_name} ADD CONSTRAINT ${quote(key.name)} ${key.definition}`),
  ];
}

/** Identity columns continue after the highest copied id (a fresh sequence would hand out 1 again). */
async function resetIdentities(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'");
  for (const { table_name: table, column_name: column } of rows) {
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quote(column)}) FROM ${quote(table)}), 0) + 1, false)`,
      [quote(table), column]);
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
