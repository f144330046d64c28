import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { PROJECT_ROOT } from '../../server/config.js';
import { openDatabase } from '../../server/db/open-database.js';
import { buildTestApp, createBranch, createUser, csrfFrom, TEST_PASSWORD } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';
import { runCli } from '../helpers/run-cli.js';

const LEARNERS = 6;
const SECRET = 'backup-test-secret-0123456789';

/** `lms <args>` as a child process without blocking this process's event loop (the load keeps running). */
function runCliAsync(dataDir: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/cli.ts'), ...args], {
    cwd: PROJECT_ROOT, env: { ...process.env, LMS_DATA_DIR: dataDir, LMS_LOG_LEVEL: 'silent', LMS_SESSION_SECRET: SECRET },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A data folder with a published course and learners, prepared in-process, then closed. */
async function prepareDataDir(): Promise<string> {
  const ctx = buildTestApp({ sessionSecret: SECRET });
  await createBranch(ctx.app, 'HO', null);
  await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
  for (let i = 1; i <= LEARNERS; i++) await createUser(ctx.app, { username: `learner${i}`, roles: ['employee'], branch: 'HO' });
  await publishCourse(ctx.app, 'tr', 'G04', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
  ctx.app.lms.close();
  return ctx.dataDir;
}

/** The standalone server (server/main.ts) on the data folder, as an operator runs it. */
async function startServer(dataDir: string): Promise<{ base: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/main.ts')], {
    cwd: PROJECT_ROOT, stdio: 'ignore',
    env: { ...process.env, LMS_DATA_DIR: dataDir, PORT: String(port), LMS_DEMO: '0', LMS_CONTENT_SAME_ORIGIN: '1', LMS_LOG_LEVEL: 'silent', LMS_SESSION_SECRET: SECRET },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 300) throw new Error('server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { base, child, stop };
}

describe('lms backup and restore', function () {
  this.timeout(240_000);
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-backup-'));
    dirs.push(dir);
    return dir;
  };
  let server: Awaited<ReturnType<typeof startServer>> | null = null;

  afterEach(async () => {
    await server?.stop();
    server = null;
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies a live server under commit load; the copy restores into a fresh folder holding every commit acknowledged before it began', async () => {
    const dataDir = await prepareDataDir();
    dirs.push(dataDir);
    server = await startServer(dataDir);
    const { base } = server;

    // Each learner signs in, launches the course and commits seq 1, 2, 3, … as fast as answered.
    const acknowledged = new Map<string, number>();
    let running = true;
    const learners = await Promise.all(Array.from({ length: LEARNERS }, async (_, i) => {
      const username = `learner${i + 1}`;
      const agent = supertest.agent(base);
      const page = await agent.get('/login').expect(200);
      await agent.post('/login').type('form').send({ username, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) }).expect(302);
      const launch = await openPlayer(agent, 'G04');
      const commitPath = new URL(launch.commitUrl, base).pathname;
      acknowledged.set(username, 0);
      return { username, agent, commitPath };
    }));
    const load = Promise.all(learners.map(async ({ username, agent, commitPath }) => {
      for (let seq = 1; running; seq++) {
        const res = await agent.post(commitPath).send({ cmi: { suspend_data: `n=${seq}`, location: `p${seq}` }, seq });
        expect(res.status).to.equal(200);
        if (res.body.result === true) acknowledged.set(username, seq);
      }
    }));

    await new Promise((resolve) => setTimeout(resolve, 1500));
    const backupFile = path.join(tempDir(), 'lms-backup.db');
    const before = new Map(acknowledged);
    const backup = await runCliAsync(dataDir, ['backup', '--out', backupFile]);
    const during = new Map(acknowledged);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // A restore is refused while the server has the database open.
    const refused = await runCliAsync(dataDir, ['restore', '--from', backupFile]);
    running = false;
    await load;
    expect(backup.status, backup.stderr).to.equal(0);
    expect(backup.stdout).to.match(/integrity ok, migrations match, audit trail intact/);
    for (const [username, seq] of before) expect(seq, `${username} committed before the backup`).to.be.greaterThan(0);
    // The learners kept committing while the copy was taken: the server was not paused.
    expect([...during].some(([username, seq]) => seq > before.get(username)!), 'commits acknowledged during the backup').to.equal(true);
    expect(refused.status).to.equal(1);
    expect(refused.stderr).to.match(/is in use: stop the LMS server/);
    await server.stop();
    server = null;

    const fresh = tempDir();
    const restored = runCli(fresh, ['restore', '--from', backupFile], { LMS_SESSION_SECRET: SECRET });
    expect(restored.status, restored.stderr).to.equal(0);
    expect(fs.existsSync(`${fresh}/lms.db-wal`)).to.equal(false);
    const verified = runCli(fresh, ['verify-audit'], { LMS_SESSION_SECRET: SECRET });
    expect(verified.status, verified.stderr).to.equal(0);

    const db = openDatabase(path.join(fresh, 'lms.db'));
    expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
    const stored = new Map((db.prepare(`SELECT u.username, MAX(s.commit_seq) AS seq, MAX(s.cmi_json) AS cmi FROM sco_states s JOIN attempts a ON a.id = s.attempt_id
      JOIN enrollments e ON e.id = a.enrollment_id JOIN users u ON u.id = e.user_id GROUP BY u.username`).all() as Array<{ username: string; seq: number; cmi: string }>)
      .map((r) => [r.username, r]));
    db.close();
    for (const [username, seq] of before) {
      const row = stored.get(username);
      expect(row, username).to.not.equal(undefined);
      expect(row!.seq, `${username}: acknowledged ${seq} before the backup began`).to.be.at.least(seq);
      expect(JSON.parse(row!.cmi)['cmi.suspend_data']).to.equal(`n=${row!.seq}`);
    }

    // The restored folder runs: a learner signs in and finds the state from the backup.
    server = await startServer(fresh);
    const agent = supertest.agent(server.base);
    const page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ username: 'learner1', password: TEST_PASSWORD, _csrf: csrfFrom(page.text) }).expect(302);
    const launch = await openPlayer(agent, 'G04');
    expect(launch.state.cmi).to.be.an('object');
  });

  it('refuses what it cannot check: an existing target, a damaged file, another version\'s migrations, a broken audit trail', async () => {
    const dataDir = await prepareDataDir();
    dirs.push(dataDir);
    const dir = tempDir();
    const good = path.join(dir, 'good.db');
    expect(runCli(dataDir, ['backup', '--out', good]).status).to.equal(0);
    const again = runCli(dataDir, ['backup', '--out', good]);
    expect([again.status, again.stderr]).to.deep.equal([1, `Refused: ${good} already exists: choose a new file name (a backup never overwrites)\n`]);

    const variant = (name: string, change: (db: ReturnType<typeof openDatabase>) => void) => {
      const file = path.join(dir, name);
      fs.copyFileSync(good, file);
      const db = openDatabase(file);
      change(db);
      db.pragma('journal_mode = DELETE');
      db.close();
      return file;
    };
    const older = variant('older.db', (db) => db.exec('DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)'));
    const forged = variant('forged.db', (db) => {
      db.exec('DROP TRIGGER audit_events_no_update');
      db.exec(`UPDATE audit_events SET details_json = '{"forged":1}' WHERE id = 2`);
    });
    const damaged = path.join(dir, 'damaged.db');
    const bytes = fs.readFileSync(good);
    bytes.fill(0x5a, 0, 100); // the header
    fs.writeFileSync(damaged, bytes);

    const target = tempDir();
    const cases: Array<[string, RegExp]> = [
      [older, /is not applied in it: it was taken by an older version/],
      [forged, /the audit trail does not verify: broken at event 2/],
      [damaged, /not a readable SQLite database|integrity_check failed|could not be checked/],
      [path.join(dir, 'missing.db'), /No backup at/],
    ];
    for (const [file, message] of cases) {
      const result = runCli(target, ['restore', '--from', file]);
      expect(result.status, `${path.basename(file)}: ${result.stderr}`).to.equal(1);
      expect(result.stderr, path.basename(file)).to.match(message);
      expect(fs.existsSync(path.join(target, 'lms.db')), `${path.basename(file)} left nothing in place`).to.equal(false);
      expect(fs.readdirSync(target).filter((f) => f.startsWith('lms.db'))).to.deep.equal([]);
    }

    // A good backup replaces a stopped server's database; the replaced one is kept beside it.
    const restored = runCli(dataDir, ['restore', '--from', good]);
    expect(restored.status, restored.stderr).to.equal(0);
    expect(restored.stdout).to.match(/The database it replaced is kept as .*lms\.db\.before-restore-/);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('lms.db.before-restore-') && !f.endsWith('-wal') && !f.endsWith('-shm'))).to.have.length(1);
  });
});
