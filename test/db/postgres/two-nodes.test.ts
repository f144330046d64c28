/**
 * Two LMS processes (`server/main.ts`) on one PostgreSQL database and one shared content folder:
 * a learner signed in on node A launches there and commits on node B; the certificate issued by
 * that commit verifies on node A; the scheduled daily job runs on one node only; and node A killed
 * with SIGKILL under commit load loses no commit it had answered.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import supertest from 'supertest';
import { createMigratedTestDatabase } from '../../helpers/postgres.js';
import { freePort } from '../../helpers/slapd.js';
import { buildTestApp, createBranch, createUser, csrfFrom, TEST_PASSWORD } from '../../helpers/test-app.js';
import { publishCourse, sample, type PlayerLaunch } from '../../helpers/launch.js';
import { PROJECT_ROOT } from '../../../server/config.js';
import { silentLogger } from '../../../server/logger.js';

const SECRET = 'two-nodes-secret-0123456789';

interface Node { url: string; child: ChildProcess; output: () => string }

async function startNode(databaseUrl: string, contentDir: string): Promise<Node> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-node-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/main.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env, PORT: String(port), LMS_DATA_DIR: dataDir, LMS_DATABASE_URL: databaseUrl, LMS_CONTENT_DIR: contentDir,
      LMS_SESSION_SECRET: SECRET, LMS_DEMO: '0', LMS_CONTENT_SAME_ORIGIN: '1', LMS_LOG_LEVEL: 'warn',
    },
  });
  let output = '';
  child.stdout!.on('data', (d) => { output += String(d); });
  child.stderr!.on('data', (d) => { output += String(d); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, child, output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`node did not start:\n${output}`);
}

/** Signs in through one node's login form; the returned cookie is good on every node (sessions live in PostgreSQL). */
async function signInOn(node: Node, username: string): Promise<string> {
  const page = await supertest(node.url).get('/login').expect(200);
  const cookie = page.headers['set-cookie'] as unknown as string[];
  const res = await supertest(node.url).post('/login').set('Cookie', cookie).type('form').send({ username, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) });
  expect(res.status, res.text).to.equal(302);
  return (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
}

async function launchOn(node: Node, cookie: string, code: string): Promise<PlayerLaunch> {
  const res = await supertest(node.url).get(`/learn/${code}`).set('Cookie', cookie).expect(200);
  return JSON.parse(/<script type="application\/json" id="launch-config">([\s\S]*?)<\/script>/.exec(res.text)![1]) as PlayerLaunch;
}

const commitPath = (launch: PlayerLaunch) => new URL(launch.commitUrl, 'http://x').pathname;

describe('two LMS nodes on one PostgreSQL database', function () {
  this.timeout(240_000);
  let databaseUrl: string;
  let contentDir: string;
  let pool: pg.Pool;
  const nodes: Node[] = [];

  before(async () => {
    databaseUrl = await createMigratedTestDatabase();
    contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-shared-content-'));
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // The organisation and a published course, written by an in-process app on the same database and content folder.
    const setup = buildTestApp({ databaseUrl, contentDir, sessionSecret: SECRET, logger: silentLogger() });
    await setup.app.lms.ready;
    await createBranch(setup.app, 'HO', null);
    await createUser(setup.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    for (let i = 0; i < 6; i += 1) await createUser(setup.app, { username: `learner${i}`, roles: ['employee'], branch: 'HO' });
    await publishCourse(setup.app, 'tr', 'G12', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
    setup.close();
    nodes.push(await startNode(databaseUrl, contentDir), await startNode(databaseUrl, contentDir));
  });

  after(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    await pool?.end();
    fs.rmSync(contentDir, { recursive: true, force: true });
  });

  it('launches on node A, commits on node B, and the certificate issued there verifies on node A', async () => {
    const [a, b] = nodes;
    const cookie = await signInOn(a, 'learner0');
    const launch = await launchOn(a, cookie, 'G12');
    // The package files come from the shared content folder on node B as on node A.
    await supertest(b.url).get(new URL(launch.contentUrl, 'http://x').pathname).set('Cookie', cookie).expect(200);
    await supertest(b.url).post(commitPath(launch)).set('Cookie', cookie)
      .send({ cmi: { core: { lesson_location: 'p2', lesson_status: 'incomplete' } }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
    await supertest(b.url).post(commitPath(launch)).set('Cookie', cookie).set('Content-Type', 'text/plain;charset=UTF-8')
      .send(JSON.stringify({ cmi: { core: { lesson_status: 'passed', score: { raw: '90', min: '0', max: '100' }, exit: '', session_time: '00:05:00' } }, seq: 2, terminate: true }))
      .expect(200, { result: true, errorCode: 0 });
    const certificate = (await pool.query<{ serial: string; name: string }>(`SELECT c.serial, u.name FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.username = 'learner0'`)).rows[0];
    expect(certificate, 'a certificate issued by the commit on node B').to.not.equal(undefined);
    // 200 with the holder's name (an unknown serial answers 404 without one).
    const verified = await supertest(a.url).get(`/verify/${certificate.serial}`).expect(200);
    expect(verified.text).to.contain(certificate.name);
    await supertest(a.url).get('/verify/XXXX-XXXX-XXXX').expect(404);
    // The commit's audit events joined the one chain.
    const head = (await pool.query<{ last_id: number }>('SELECT last_id FROM audit_head')).rows[0];
    expect(head.last_id).to.equal((await pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM audit_events')).rows[0].n);
  });

  it('runs the scheduled daily job on one node only', async () => {
    // Two more "nodes" in this process (each its own pool), their timers firing together.
    const apps = [0, 1].map(() => buildTestApp({ databaseUrl, contentDir, sessionSecret: SECRET, logger: silentLogger() }));
    try {
      const results = await Promise.all(apps.map((c) => c.app.lms.jobs.scheduledDaily({})));
      expect(results.filter((r) => r !== null)).to.have.length(1);
      // Later the same hour the claim still stands: nobody runs it again.
      expect(await apps[1].app.lms.jobs.scheduledDaily({})).to.equal(null);
    } finally {
      for (const c of apps) c.close();
    }
  });

  it('loses no answered commit when node A is killed with SIGKILL under load', async () => {
    const [a, b] = nodes;
    const learners = await Promise.all([1, 2, 3, 4, 5].map(async (i) => {
      const cookie = await signInOn(i % 2 ? a : b, `learner${i}`);
      return { username: `learner${i}`, cookie, launch: await launchOn(b, cookie, 'G12'), acked: 0 };
    }));
    let stop = false;
    const load = learners.map(async (learner, i) => {
      for (let seq = 1; !stop; seq += 1) {
        const node = (seq + i) % 2 ? a : b;
        const ok = await supertest(node.url).post(commitPath(learner.launch)).set('Cookie', learner.cookie).timeout(5000)
          .send({ cmi: { core: { lesson_location: `page-${seq}`, lesson_status: 'incomplete' } }, seq })
          .then((res) => res.status === 200 && res.body.result === true, () => false);
        if (ok) learner.acked = Math.max(learner.acked, seq);
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    a.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(load);
    for (const learner of learners) {
      expect(learner.acked, `${learner.username} got answers`).to.be.greaterThan(3);
      const row = (await pool.query<{ last_seq: number; location: string }>(`SELECT l.last_seq, s.location FROM launch_sessions l
        JOIN users u ON u.id = l.user_id JOIN sco_states s ON s.attempt_id = l.attempt_id AND s.sco_id = l.sco_id
        WHERE u.username = $1 ORDER BY l.id DESC LIMIT 1`, [learner.username])).rows[0];
      expect(row.last_seq, `${learner.username}: every answered commit is stored`).to.be.at.least(learner.acked);
      expect(Number(row.location.slice('page-'.length))).to.equal(row.last_seq);
    }
  });
});
