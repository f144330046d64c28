/**
 * A real PostgreSQL server for tests: Debian's `postgresql` binaries (/usr/lib/postgresql/<newest>/bin),
 * `initdb` + `pg_ctl` in a temp folder on a free port of 127.0.0.1, its socket in that folder, fsync on.
 * As root it runs as the `postgres` OS user (PostgreSQL refuses to run as root). Stopped and removed by
 * close(), and on process exit in any case.
 *
 * Tests call `createTestDatabase()`: one server per test process (started on first use), a fresh
 * database per call, so tests share nothing. `startPostgres()` gives a test its own server (to stop
 * or kill it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../server/config.js';
import { POSTGRES_MIGRATIONS } from '../../server/db/migrate.js';
import { migratePostgres } from '../../server/db/postgres/migrate-postgres.js';
import { freePort } from './slapd.js';

export interface Postgres {
  /** Connection URL of the `postgres` maintenance database (superuser, no password, trust on 127.0.0.1). */
  url: string;
  port: number;
  dataDir: string;
  /** A fresh, empty database on this server; returns its URL. */
  createDatabase(options?: { template?: string }): Promise<string>;
  stop(mode?: 'fast' | 'immediate'): void;
  close(): void;
}

/** The newest installed PostgreSQL's bin folder, or null when the `postgresql` package is missing. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

function osUser(name: string): { uid: number; gid: number } | null {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const fields = line.split(':');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

const running = new Set<Postgres>();
process.once('exit', () => { for (const server of running) server.close(); });

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql (.ci/run does this)');
  const isRoot = process.getuid?.() === 0;
  const owner = isRoot ? osUser('postgres') : null;
  if (isRoot && !owner) throw new Error('Running as root needs the postgres OS user (created by the postgresql package)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-postgres-'));
  const dataDir = path.join(dir, 'data');
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const run = (tool: string, args: string[]) => {
    const result = spawnSync(path.join(bin, tool), args, { cwd: dir, encoding: 'utf8', ...(owner ?? {}), timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
  };
  const port = await freePort();
  try {
    run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions']);
    // Small and quiet: many test servers share a 2-core machine. Durability settings stay at their defaults (fsync on).
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), [
      '', `port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`,
      'shared_buffers = 16MB', 'max_connections = 60', "dynamic_shared_memory_type = 'posix'", 'logging_collector = off', '',
    ].join('\n'));
    run('pg_ctl', ['start', '-w', '-t', '30', '-D', dataDir, '-l', path.join(dir, 'server.log')]);
  } catch (error) {
    const log = path.join(dir, 'server.log');
    const detail = fs.existsSync(log) ? `\n${fs.readFileSync(log, 'utf8')}` : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}${detail}`, { cause: error });
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  let stopped = false;
  const server: Postgres = {
    url, port, dataDir,
    async createDatabase(options = {}) {
      const name = `lms_test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${pg.escapeIdentifier(options.template)}` : ''}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop(mode = 'fast') {
      if (stopped) return;
      stopped = true;
      try {
        execFileSync(path.join(bin, 'pg_ctl'), ['stop', '-w', '-m', mode, '-D', dataDir], { stdio: 'pipe', ...(owner ?? {}) });
      } catch { /* already gone (killed by a test) */ }
    },
    close() {
      server.stop('immediate');
      running.delete(server);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(server);
  return server;
}

let shared: Promise<Postgres> | null = null;

/** One server per test process, started on first use and removed on exit. */
export function sharedPostgres(): Promise<Postgres> {
  shared ??= startPostgres();
  return shared;
}

/** A fresh empty database on the shared test server; returns its connection URL. */
export async function createTestDatabase(options: { template?: string } = {}): Promise<string> {
  return (await sharedPostgres()).createDatabase(options);
}

let template: Promise<string> | null = null;

/**
 * A fresh database with every PostgreSQL migration applied: the migrations run once per test process
 * into a template database, and each call clones it (CREATE DATABASE … TEMPLATE, a file copy).
 */
export async function createMigratedTestDatabase(): Promise<string> {
  template ??= (async () => {
    const url = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migratePostgres(pool, path.join(PROJECT_ROOT, 'migrations', POSTGRES_MIGRATIONS));
    } finally {
      await pool.end();
    }
    return new URL(url).pathname.slice(1);
  })();
  return createTestDatabase({ template: await template });
}
