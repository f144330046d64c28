import { expect } from 'chai';
import supertest from 'supertest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { PROJECT_ROOT } from '../../server/config.js';

describe('operations: health, errors, languages, shutdown', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' });
  });
  afterEach(() => ctx.close());

  it('answers /healthz with 200 while the database answers and 503 once it is closed', async () => {
    await supertest(ctx.app).get('/healthz').expect(200, { status: 'ok' });
    ctx.app.lms.db.close();
    await supertest(ctx.app).get('/healthz').expect(503);
  });

  it('shows a 404 page in Chinese by default and in English on request, and JSON 404 on /api', async () => {
    const zh = await supertest(ctx.app).get('/no-such-page').expect(404);
    expect(zh.text).to.contain('页面不存在');
    const en = await supertest(ctx.app).get('/no-such-page').set('Cookie', 'lms.lang=en').expect(404);
    expect(en.text).to.contain('Page not found');
    const api = await supertest(ctx.app).get('/api/nothing').expect(404);
    expect(api.body.error.code).to.equal('NOT_FOUND');
  });

  it('remembers the language choice per user across sessions', async () => {
    const first = await signIn(ctx.app, 'emp');
    const page = await first.agent.get('/me').expect(200);
    expect(page.text).to.contain('我的学习');
    await first.agent.post('/language').type('form').send({ _csrf: csrfFrom(page.text), locale: 'en', next: '/me' }).expect(302);
    const second = await signIn(ctx.app, 'emp');
    const english = await second.agent.get('/me').expect(200);
    expect(english.text).to.contain('My learning');
    expect(english.text).to.contain('<html lang="en">');
  });

  it('sends security headers', async () => {
    const res = await supertest(ctx.app).get('/login');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.contain("default-src 'self'");
    expect(res.headers['x-request-id']).to.match(/^[\w-]+$/);
  });

  it('standalone server: serves /healthz, then on SIGTERM finishes and exits 0 with the database closed', async function () {
    this.timeout(60_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-main-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/main.ts')], {
      cwd: PROJECT_ROOT, env: { ...process.env, PORT: String(port), LMS_DATA_DIR: dataDir, LMS_DEMO_PASSWORD: 'demo-pass-123456', LMS_LOG_LEVEL: 'info' },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += String(d); });
    child.stderr.on('data', (d) => { output += String(d); });
    const deadline = Date.now() + 45_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    }
    expect(healthy, output).to.equal(true);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).to.equal(0);
    expect(output).to.contain('database closed');
    expect(output).to.contain('demo organisation created');
    expect(output).to.contain('shipped courses imported, published and assigned');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
