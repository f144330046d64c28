import fs from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import type { LmsApp } from '../../../server/app.js';
import { RosterImportService } from '../../../server/org/roster/roster-import.service.js';
import { RosterRepository } from '../../../server/org/roster/roster.repository.js';
import { workerRosterApplier, type RosterApplier } from '../../../server/org/roster/roster-applier.js';
import { pgRosterApplier } from '../../../server/org/roster/roster-writer.pg.js';
import { rosterRoutes } from '../../../server/org/roster/roster.routes.js';
import type { RosterActor } from '../../../server/org/roster/roster-snapshot.js';
import { testsOnPostgres } from '../../helpers/test-database.js';

export const ADMIN_ACTOR: RosterActor = { id: null, scopes: null, via: 'cli' };

/** The service over the test app's own database, wired as the container wires it. */
export function rosterService(app: LmsApp): RosterImportService {
  // On PostgreSQL the container's own (no worker thread, no SQLite file).
  if (testsOnPostgres()) return app.lms.services.roster;
  const { db, config } = app.lms;
  const roster = new RosterRepository({ db });
  const applier = workerRosterApplier({ databaseFile: config.databaseFile, now: config.now });
  return new RosterImportService({ roster, applier, now: config.now, timeZone: config.timeZone, workDir: path.join(config.dataDir, 'roster-work'), logger: config.logger });
}

/**
 * Mounts the roster pages on the test app the way app.ts does, ahead of its 404 and error
 * handlers (the last two layers). Skipped once app.ts mounts them itself.
 */
/** The applier the container would build on the test app's database (the worker on SQLite, the pool on PostgreSQL), without the enrolment. */
export function rosterApplier(app: LmsApp, now: () => Date): RosterApplier {
  const { database, config, repositories } = app.lms;
  return database.dialect === 'postgres'
    ? pgRosterApplier({ pool: database.pool, certification: repositories.certification, now })
    : workerRosterApplier({ databaseFile: config.databaseFile, now });
}

export function mountRoster(app: LmsApp, service = rosterService(app)): void {
  const services = app.lms.services as Record<string, unknown>;
  if ('roster' in services) return;
  const router: Router = rosterRoutes({ roster: service, uploadDir: path.join(app.lms.config.dataDir, 'roster-uploads'), now: app.lms.config.now });
  app.use(router);
  const stack = (app as unknown as { router: { stack: unknown[] } }).router.stack;
  const layer = stack.pop()!;
  stack.splice(stack.length - 2, 0, layer);
}

export function csv(rows: Array<Array<string | number>>): string {
  return rows.map((cells) => cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',')).join('\r\n') + '\r\n';
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const folder = path.join(dir, 'test-files');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  fs.writeFileSync(file, content);
  return file;
}

export const EMPLOYEE_HEADER = ['employee_no', 'name', 'email', 'branch_code', 'position', 'hired_at', 'status'];
export const BRANCH_HEADER = ['branch_code', 'branch_name', 'parent_code'];

/** Everything an import may change, to prove "nothing was written". */
export function dbFingerprint(app: LmsApp): Record<string, unknown> {
  const all = (sql: string) => app.lms.db.prepare(sql).raw().all();
  return {
    users: all('SELECT id, username, employee_no, name, email, branch_id, position, hired_at, status, left_at, updated_at FROM users ORDER BY id'),
    branches: all('SELECT id, code, name, parent_id, path, depth, updated_at FROM branches ORDER BY id'),
    history: all('SELECT id, user_id, branch_id, from_at, to_at FROM user_branch_history ORDER BY id'),
    roles: all('SELECT id, user_id, role, scope_branch_id FROM user_roles ORDER BY id'),
    audit: all('SELECT id FROM audit_events ORDER BY id'),
  };
}
