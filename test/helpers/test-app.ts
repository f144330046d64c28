import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { createLms, type LmsApp } from '../../server/app.js';
import type { LmsOptions } from '../../server/config.js';
import { silentLogger } from '../../server/logger.js';
import type { Role } from '../../server/org/users.repository.js';
import { freshPostgresDatabase, rememberDatabaseOf, testsOnPostgres } from './test-database.js';
import { pgSyncDb } from './pg-sync-db.js';

export const TEST_PASSWORD = 'correct-horse-battery';

export interface TestClock { now: () => Date; set(iso: string): void; advance(ms: number): void }

export function makeClock(start = '2026-06-01T02:00:00Z'): TestClock {
  let current = new Date(start).getTime();
  return { now: () => new Date(current), set: (iso) => { current = new Date(iso).getTime(); }, advance: (ms) => { current += ms; } };
}

export interface TestContext { app: LmsApp; dataDir: string; clock: TestClock; close(): void }

/**
 * A real app on a fresh SQLite file in a temp folder, with a cheap password hash and a silent
 * logger; with LMS_TEST_DB=postgres, on a fresh PostgreSQL database instead (test-database.ts).
 */
export function buildTestApp(options: Partial<LmsOptions> = {}): TestContext {
  // The data folder sits in a private parent, so a test can prove nothing was written beside it
  // without other processes' files in /tmp coming and going.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-test-'));
  const dataDir = path.join(parent, 'data');
  fs.mkdirSync(dataDir);
  const clock = makeClock();
  const postgres = testsOnPostgres() && !options.databaseFile ? freshPostgresDatabase() : null;
  const app = createLms({
    dataDir, sessionSecret: 'test-secret-0123456789', logger: silentLogger(), now: clock.now,
    passwordCost: { N: 1024, r: 8, p: 1 }, ...(postgres ? { databaseUrl: postgres.url } : {}), ...options,
  });
  // Tests' own checks of the database (app.lms.db.prepare…) answered by psql on PostgreSQL.
  if (postgres) {
    Object.assign(app.lms, { db: pgSyncDb(postgres.url) });
    rememberDatabaseOf(dataDir, postgres.url);
  }
  return {
    app, dataDir, clock,
    close: () => {
      app.lms.close();
      fs.rmSync(parent, { recursive: true, force: true });
      // Dropped once the app's pool has let its last client go (up to 5 s): a FORCE drop under a
      // query still running (an audit written after a response) would fail it in the next test.
      if (postgres) void poolDrained(app).then(() => postgres.drop());
    },
  };
}

async function poolDrained(app: LmsApp): Promise<void> {
  const { database } = app.lms;
  if (database.dialect !== 'postgres') return;
  for (let waited = 0; database.pool.totalCount > 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
}

let counter = 0;

/** Creates a user with roles straight through the org service (branch codes must exist). */
export async function createUser(app: LmsApp, spec: { username?: string; roles: Array<Role | { role: Role; scope: string }>; branch?: string; name?: string; password?: string | null; position?: string }) {
  counter += 1;
  const username = spec.username ?? `user${counter}`;
  const { branches } = app.lms.repositories;
  const roles = [];
  for (const r of spec.roles) {
    if (typeof r === 'string') roles.push({ role: r, scopeBranchId: null });
    else roles.push({ role: r.role, scopeBranchId: (await branches.findByCode(r.scope))!.id });
  }
  return app.lms.services.org.createUser({
    username, employeeNo: `E${String(counter).padStart(6, '0')}`, name: spec.name ?? `测试用户${counter}`, email: null,
    branchCode: spec.branch ?? null, position: spec.position ?? null, hiredAt: '2024-01-01', status: 'active',
    password: spec.password === undefined ? TEST_PASSWORD : spec.password,
  }, null, roles);
}

export async function createBranch(app: LmsApp, code: string, parent: string | null, name = `机构${code}`) {
  return app.lms.services.org.createBranch({ code, name, parentCode: parent }, null);
}

/**
 * 总行 HO with 广东省分行 GD (and its 深圳分行 SZ) and 北京分行 BJ, a trainer `tr` and an hr `hrgd`
 * scoped to GD: the small bank the scope tests of the learner list and branch picker share.
 */
export async function seedSmallBank(app: LmsApp, hrBranch = 'GD') {
  await createBranch(app, 'HO', null, '总行');
  await createBranch(app, 'GD', 'HO', '广东省分行');
  await createBranch(app, 'SZ', 'GD', '深圳分行');
  await createBranch(app, 'BJ', 'HO', '北京分行');
  await createUser(app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
  await createUser(app, { username: 'hrgd', roles: [{ role: 'hr', scope: 'GD' }], branch: hrBranch });
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token in page');
  return match[1];
}

/** Signs in through the real login form; the agent keeps the session cookie. */
export async function signIn(app: LmsApp, username: string, password = TEST_PASSWORD, prefix = '') {
  const agent = supertest.agent(app);
  const page = await agent.get(`${prefix}/login`).expect(200);
  const res = await agent.post(`${prefix}/login`).type('form').send({ username, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 302) throw new Error(`sign-in as ${username} failed with ${res.status}`);
  return { agent, location: res.headers.location as string };
}

/** A CSRF token for the agent's current session, read from a page it may open. */
export async function csrfToken(agent: ReturnType<typeof supertest.agent>, page = '/me'): Promise<string> {
  const res = await agent.get(page);
  return csrfFrom(res.text);
}

/** Decodes the entities Handlebars writes into attributes. */
export function decodeHtml(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
