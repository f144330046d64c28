import { expect } from 'chai';
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { buildTestApp, createUser, csrfFrom, TEST_PASSWORD, type TestContext } from '../helpers/test-app.js';
import type { LmsOptions } from '../../server/config.js';

/**
 * Sign-in throttle over real HTTP. The LMS is mounted in a host that trusts X-Forwarded-For (as a
 * host behind its reverse proxy does), so each request can come from the address the test names.
 */
describe('sign-in throttle and password-check queue', () => {
  let ctx: TestContext;
  let server: http.Server;
  let base: string;

  async function start(options: Partial<LmsOptions>) {
    ctx = buildTestApp(options);
    const host = express();
    host.set('trust proxy', true);
    host.use(ctx.app);
    server = http.createServer(host);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await createUser(ctx.app, { username: 'target', roles: ['admin'] });
    await createUser(ctx.app, { username: 'bystander', roles: ['employee'] });
  }

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    ctx.close();
  });

  /** A session with its CSRF token, from the given address. */
  async function loginForm(ip: string) {
    const agent = supertest.agent(base);
    const page = await agent.get('/login').set('X-Forwarded-For', ip).expect(200);
    const token = csrfFrom(page.text);
    const post = (username: string, password: string) =>
      agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ username, password, _csrf: token });
    return { post };
  }

  const checkedFailures = (username: string) => (ctx.app.lms.db.prepare(
    "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.login_failed' AND subject = ?",
  ).get(`username:${username}`) as { n: number }).n;

  it('60 simultaneous wrong passwords for one account: 5 are checked, 55 get 429, and another account still signs in', async () => {
    await start({ passwordCost: { N: 2 ** 14, r: 8, p: 1 } });
    const attacker = await loginForm('10.0.0.66');
    const legit = await loginForm('10.0.0.7');
    const burst = Array.from({ length: 60 }, (_, i) => attacker.post('target', `guess-${i}`));
    const signIn = legit.post('bystander', TEST_PASSWORD);
    const [answers, legitAnswer] = await Promise.all([Promise.all(burst), signIn]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).to.have.length(5);
    expect(statuses.filter((s) => s === 429)).to.have.length(55);
    expect(checkedFailures('target')).to.equal(5);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 900);
    expect(refused.text).to.contain('登录失败次数过多');
    expect(legitAnswer.status).to.equal(302);
    expect(legitAnswer.headers.location).to.equal('/me');
  });

  it('a lock earned from one address does not lock the account from another; the account-wide limit does', async () => {
    await start({ loginThrottle: { perAccountAddress: 5, perAccount: 10, perIp: 100, windowSeconds: 900 } });
    const attacker = await loginForm('192.0.2.1');
    for (let i = 0; i < 5; i++) expect((await attacker.post('target', `wrong-${i}`)).status).to.equal(401);
    // The right password from the attacker's address is refused too: the pair is locked.
    expect((await attacker.post('target', TEST_PASSWORD)).status).to.equal(429);
    const owner = await loginForm('198.51.100.9');
    expect((await owner.post('target', TEST_PASSWORD)).status).to.equal(302);

    // A second address reaches the account-wide limit (10): now every address waits.
    const second = await loginForm('192.0.2.2');
    for (let i = 0; i < 5; i++) expect((await second.post('target', `wrong-${i}`)).status).to.equal(401);
    const third = await loginForm('198.51.100.10');
    expect((await third.post('target', TEST_PASSWORD)).status).to.equal(429);
    // Other accounts are untouched, and the window passing lifts the lock.
    expect((await (await loginForm('198.51.100.11')).post('bystander', TEST_PASSWORD)).status).to.equal(302);
    ctx.clock.advance(901_000);
    expect((await third.post('target', TEST_PASSWORD)).status).to.equal(302);
  });

  it('answers 503 with Retry-After, unchecked, when more sign-ins arrive than the queue holds', async () => {
    await start({ passwordCost: { N: 2 ** 14, r: 8, p: 1 }, passwordChecks: { maxRunning: 1, maxWaiting: 2 } });
    const forms = await Promise.all(Array.from({ length: 24 }, (_, i) => loginForm(`10.1.0.${i + 1}`)));
    const answers = await Promise.all(forms.map((f, i) => f.post(`nobody${i}`, 'wrong-password')));
    const statuses = answers.map((r) => r.status);
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length, statuses.join(',')).to.be.greaterThan(0);
    expect(statuses.filter((s) => s !== 503 && s !== 401), statuses.join(',')).to.deep.equal([]);
    expect(Number(busy[0].headers['retry-after'])).to.be.within(1, 10);
    expect(busy[0].text).to.contain('当前登录请求较多');
    // Only the accepted ones were hashed (and audited); the refused ones did not count as failures.
    const checked = (ctx.app.lms.db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.login_failed'").get() as { n: number }).n;
    expect(checked).to.equal(statuses.filter((s) => s === 401).length);
    const retry = await forms[answers.indexOf(busy[0])].post('bystander', TEST_PASSWORD);
    expect(retry.status).to.equal(302);
  });

  it('answers JSON clients with a JSON error', async () => {
    await start({});
    const agent = supertest.agent(base);
    const token = csrfFrom((await agent.get('/login')).text);
    const res = await agent.post('/login').set('Accept', 'application/json').type('form')
      .send({ username: 'target', password: 'wrong-password', _csrf: token }).expect(401);
    expect(res.body.error.code).to.equal('LOGIN_FAILED');
  });
});
