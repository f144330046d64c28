// The fuzz engine: one real app on a real SQLite file, served over real HTTP, fed seeded cases one
// at a time while a stall monitor watches the event loop. Every case is checked for: no 5xx, no
// stall over 50 ms, a refused request (4xx) changed no stored row, another learner's records never
// changed, and no file appeared outside the data folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { createLms, type LmsApp } from '../../server/app.js';
import { silentLogger } from '../../server/logger.js';
import { createBranch, createUser, csrfFrom, makeClock, TEST_PASSWORD } from '../helpers/test-app.js';
import { sample } from '../helpers/launch.js';
import { startStallMonitor, type Stall } from '../helpers/stall-monitor.js';
import { commitCase } from './commit-cases.js';
import { formCase, listRoutes, type FormCase, type Principal } from './form-cases.js';
import { Random } from './random.js';
import { loadSamples, sentinelsEscaped, zipCase } from './zip-cases.js';

export interface FuzzOptions { seed: number; commits: number; zips: number; forms: number; log?: (line: string) => void }
export interface Violation { phase: string; index: number; label: string; problem: string }
export interface FuzzReport {
  seed: number; counts: { commits: number; zips: number; forms: number }; statuses: Record<string, number>;
  violations: Violation[]; stalls: Stall[]; /** Latest timer tick during a case over 50 ms, busy or not; 0 if none. */ maxLateMs: number; seconds: Record<string, number>;
}

type Agent = ReturnType<typeof supertest.agent>;

/** Tables whose rows a refused request must leave alone (sessions and the audit trail may change). */
const RECORD_TABLES = ['users', 'user_roles', 'branches', 'user_branch_history', 'courses', 'course_versions', 'scos', 'assignments', 'enrollments',
  'attempts', 'sco_states', 'interactions', 'certificates', 'launch_sessions', 'global_objectives', 'api_tokens'];

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-fuzz-'));
  const dataDir = path.join(root, 'data');
  const app = createLms({
    dataDir, sessionSecret: 'fuzz-secret-0123456789', logger: silentLogger(), now: makeClock().now, passwordCost: { N: 1024, r: 8, p: 1 },
    // The fuzz signs in a few times and posts to /login; the throttle is not what it tests.
    loginThrottle: { perAccount: 1_000_000, perIp: 1_000_000, windowSeconds: 900 },
  });
  // As in production (NODE_ENV=production turns it on): compiled templates are kept, not rebuilt per page.
  app.set('view cache', true);
  // As the standalone server does at listen: worker threads started and every view compiled.
  await app.lms.warmWorkers();
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const report: FuzzReport = { seed: options.seed, counts: { commits: 0, zips: 0, forms: 0 }, statuses: {}, violations: [], stalls: [], maxLateMs: 0, seconds: {} };
  let current = 'setup';
  const monitor = startStallMonitor({ label: () => current });
  try {
    const world = await buildWorld(app, server);
    const random = new Random(options.seed);
    const outsideBefore = listing(root);
    const check = (phase: string, index: number, label: string, status: number, before: string, problems: string[]) => {
      report.statuses[`${phase} ${status}`] = (report.statuses[`${phase} ${status}`] ?? 0) + 1;
      if (status >= 500) problems.push(`answered ${status}`);
      if (status >= 400 && snapshot(app, RECORD_TABLES) !== before) problems.push(`refused with ${status} but stored rows changed`);
      if (world.victimState() !== world.victimBefore && phase !== 'forms') problems.push('another learner\'s records changed');
      if (listing(root).join() !== outsideBefore.join()) problems.push(`files appeared beside the data folder: ${listing(root).join(', ')}`);
      for (const problem of problems) report.violations.push({ phase, index, label, problem });
    };

    const commitRandom = random.fork();
    const zipRandom = random.fork();
    const formRandom = random.fork();

    let started = performance.now();
    const seqState = { '1.2': { nextSeq: 1, lastSeqs: [] as number[] }, '2004': { nextSeq: 1, lastSeqs: [] as number[] } };
    for (let i = 0; i < options.commits; i += 1) {
      const version = commitRandom.chance(0.5) ? '1.2' as const : '2004' as const;
      const c = commitCase(commitRandom, version, seqState[version]);
      const url = c.isForeign ? world.victimCommitUrl : await world.commitUrl(version);
      const before = snapshot(app, RECORD_TABLES);
      current = `commit ${i}: ${c.label}`;
      monitor.restartClock();
      const res = await world.learner.post(url).set('Content-Type', c.contentType).send(c.body).catch((error: Error) => ({ status: 0, body: null, transportFailure: error }));
      const problems: string[] = 'transportFailure' in res ? [`no readable answer: ${res.transportFailure.message}`] : [];
      if (c.isForeign && res.status < 400) problems.push(`another learner's launch answered ${res.status}`);
      if (res.status === 200 && res.body?.errorCode === (version === '1.2' ? 101 : 143) && !res.body?.refused) world.relaunch(version);
      check('commits', i, c.label, res.status, before, problems);
      current = 'fuzzer';
      report.counts.commits += 1;
      if ((i + 1) % 1000 === 0) log(`commits: ${i + 1}/${options.commits}`);
    }
    report.seconds.commits = Math.round((performance.now() - started) / 1000);

    started = performance.now();
    const samples = await loadSamples();
    for (let i = 0; i < options.zips; i += 1) {
      current = 'fuzzer';
      const c = zipCase(zipRandom, samples, i, options.seed);
      const before = snapshot(app, RECORD_TABLES);
      const versionsBefore = count(app, 'course_versions');
      current = `zip ${i}: ${c.label}`;
      monitor.restartClock();
      let request = world.boss.post('/api/courses').set('X-CSRF-Token', world.bossToken);
      if (c.code !== null) request = request.field('code', c.code);
      const res = await request.attach('package', c.zip, 'package.zip').catch((error: Error) => ({ status: 0, transportFailure: error }));
      const problems: string[] = 'transportFailure' in res ? [`no readable answer: ${res.transportFailure.message}`] : [];
      const added = count(app, 'course_versions') - versionsBefore;
      if (added !== (res.status === 201 ? 1 : 0)) problems.push(`answered ${res.status} and stored ${added} versions`);
      const escaped = sentinelsEscaped(c.sentinels, ['/tmp', root, path.dirname(root), dataDir, path.join(dataDir, 'packages')]);
      if (escaped.length > 0) problems.push(`wrote outside the package folder: ${escaped.join(', ')}`);
      check('zips', i, c.label, res.status, before, problems);
      current = 'fuzzer';
      report.counts.zips += 1;
      if ((i + 1) % 100 === 0) log(`zips: ${i + 1}/${options.zips}`);
    }
    report.seconds.zips = Math.round((performance.now() - started) / 1000);

    started = performance.now();
    const routes = listRoutes(app as unknown as Parameters<typeof listRoutes>[0]);
    for (let i = 0; i < options.forms; i += 1) {
      current = 'fuzzer';
      const c = formCase(formRandom, routes, world.pools);
      const before = snapshot(app, RECORD_TABLES);
      current = `form ${i}: ${c.label}`;
      monitor.restartClock();
      const res = await world.send(c).catch((error: Error) => ({ status: 0, transportFailure: error }));
      check('forms', i, `${c.label} ${c.url.slice(0, 120)}`, res.status, before, 'transportFailure' in res ? [`no readable answer: ${res.transportFailure.message}`] : []);
      current = 'fuzzer';
      report.counts.forms += 1;
      if ((i + 1) % 500 === 0) log(`forms: ${i + 1}/${options.forms}`);
    }
    report.seconds.forms = Math.round((performance.now() - started) / 1000);

    // Temporary upload files are removed when their response closes: give that a moment, then nothing may be left.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const folder of ['uploads', path.join('packages', '.incoming')]) {
      const left = fs.existsSync(path.join(dataDir, folder)) ? fs.readdirSync(path.join(dataDir, folder)) : [];
      if (left.length > 0) report.violations.push({ phase: 'end', index: 0, label: folder, problem: `${left.length} temporary files left in ${folder}` });
    }
  } finally {
    const stalls = monitor.stop();
    report.stalls = stalls.stalls.filter((s) => s.label !== 'fuzzer' && s.label !== 'setup');
    // Late ticks while a case ran, busy or not (on a shared machine, waiting for a core also makes them late).
    report.maxLateMs = Math.max(0, ...stalls.lateTicks.filter((s) => s.label !== 'fuzzer' && s.label !== 'setup').map((s) => s.lateMs));
    await new Promise((resolve) => server.close(resolve));
    app.lms.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  return report;
}

async function buildWorld(app: LmsApp, server: http.Server) {
  await createBranch(app, 'HO', null);
  await createBranch(app, 'B1', 'HO');
  await createUser(app, { username: 'boss', roles: ['admin', 'trainer', 'hr'], branch: 'HO' });
  await createUser(app, { username: 'emp', roles: ['employee'], branch: 'B1' });
  const victimUser = await createUser(app, { username: 'victim', roles: ['employee'], branch: 'B1' });
  const signIn = async (username: string): Promise<Agent> => {
    const agent = supertest.agent(server);
    const page = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ username, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) });
    if (res.status !== 302) throw new Error(`fuzz: sign-in as ${username} failed (${res.status})`);
    return agent;
  };
  const bossAgent = await signIn('boss');
  const bossToken = csrfFrom((await bossAgent.get('/trainer')).text);
  const versionIds: string[] = [];
  for (const [code, file] of [['G12', 'golf-RuntimeBasicCalls-SCORM12.zip'], ['G04', 'golf-RuntimeBasicCalls-SCORM2004-3rd.zip']]) {
    const res = await bossAgent.post('/api/courses').set('X-CSRF-Token', bossToken).field('code', code).attach('package', sample(file));
    if (res.status !== 201) throw new Error(`fuzz: could not upload ${code} (${res.status})`);
    versionIds.push(String(res.body.version.id));
    await bossAgent.post(`/api/courses/${code}/publish`).set('X-CSRF-Token', bossToken).send({});
  }
  const learner = await signIn('emp');
  const learnerToken = csrfFrom((await learner.get('/me')).text);
  const victim = await signIn('victim');
  const launchUrl = async (agent: Agent, code: string): Promise<string> => {
    const res = await agent.get(`/learn/${code}`);
    const config = JSON.parse(/<script type="application\/json" id="launch-config">([\s\S]*?)<\/script>/.exec(res.text)![1]) as { commitUrl: string };
    return new URL(config.commitUrl, 'http://x').pathname;
  };
  const victimCommitUrl = await launchUrl(victim, 'G12');
  const good = { cmi: { core: { lesson_location: 'page-7', lesson_status: 'incomplete', score: { raw: '80' } }, suspend_data: '书签=7',
    interactions: { 0: { id: 'q1', type: 'choice', student_response: 'a,b', result: 'correct' } } }, seq: 1 };
  const stored = await victim.post(victimCommitUrl).send(good);
  if (stored.body?.result !== true) throw new Error('fuzz: the victim\'s good state was not stored');
  const victimState = () => snapshot(app, ['sco_states', 'attempts', 'interactions', 'enrollments', 'certificates'], `user_id = ${victimUser.id}`);
  const urls: Record<string, string | null> = { '1.2': null, '2004': null };
  const anonymous = supertest.agent(server);
  return {
    learner, boss: bossAgent, bossToken, victimCommitUrl, victimState, victimBefore: victimState(),
    commitUrl: async (version: '1.2' | '2004') => (urls[version] ??= await launchUrl(learner, version === '1.2' ? 'G12' : 'G04')),
    relaunch: (version: '1.2' | '2004') => { urls[version] = null; },
    pools: {
      code: ['G12', 'G04', 'NOPE'], versionId: [...versionIds, '999999'], id: [String(victimUser.id), '999999', '0'], grantId: ['1', '999999'],
      serial: ['AAAA-BBBB-CCCC'], token: [crypto.randomBytes(16).toString('hex')], enrollmentId: ['1', '999999'], employeeNo: ['E000001', 'NOPE'],
    },
    send: (c: FormCase) => {
      const agents: Record<Principal, Agent> = { boss: bossAgent, learner, anonymous };
      const tokens: Record<Principal, string> = { boss: bossToken, learner: learnerToken, anonymous: '' };
      const agent = agents[c.principal];
      let request = c.method === 'GET' ? agent.get(c.url) : c.method === 'PATCH' ? agent.patch(c.url) : c.method === 'PUT' ? agent.put(c.url) : c.method === 'DELETE' ? agent.delete(c.url) : agent.post(c.url);
      if (c.csrf === 'valid' && tokens[c.principal]) request = request.set('X-CSRF-Token', tokens[c.principal]);
      if (c.csrf === 'wrong') request = request.set('X-CSRF-Token', 'wrong-token');
      if (c.contentType) request = request.set('Content-Type', c.contentType);
      for (const [name, value] of Object.entries(c.headers)) request = request.set(name, value);
      return c.body === null ? request : request.send(c.body);
    },
  };
}

function snapshot(app: LmsApp, tables: string[], where?: string): string {
  const hash = crypto.createHash('sha1');
  for (const table of tables) {
    const hasUser = where && (app.lms.db.prepare(`SELECT COUNT(*) AS n FROM pragma_table_info('${table}') WHERE name = 'user_id'`).get() as { n: number }).n > 0;
    const rows = where && table !== 'enrollments' && !hasUser
      ? app.lms.db.prepare(`SELECT t.* FROM ${table} t JOIN enrollments e ON e.id = (SELECT enrollment_id FROM attempts a WHERE a.id = t.${table === 'attempts' ? 'id' : 'attempt_id'}) WHERE e.${where}`).all()
      : app.lms.db.prepare(`SELECT * FROM ${table}${where && hasUser ? ` WHERE ${where}` : ''} ORDER BY rowid`).all();
    hash.update(`${table}:${JSON.stringify(rows)}`);
  }
  return hash.digest('hex');
}

function count(app: LmsApp, table: string): number {
  return (app.lms.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function listing(root: string): string[] {
  return fs.readdirSync(root).sort();
}
