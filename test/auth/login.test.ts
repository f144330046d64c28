import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { seedDemoOrganisation } from '../../server/org/demo-seed.js';

describe('sign-in', () => {
  let ctx: TestContext;
  const password = 'demo-password-42';

  beforeEach(async () => {
    ctx = buildTestApp({ loginThrottle: { perAccountAddress: 5, perAccount: 50, perIp: 50, windowSeconds: 900 } });
    await seedDemoOrganisation(ctx.app.lms, password);
  });
  afterEach(() => ctx.close());

  const homes: Record<string, string> = { admin: '/admin', trainer: '/trainer', hr: '/hr', hrbranch: '/hr', employee: '/me' };
  for (const [username, home] of Object.entries(homes)) {
    it(`signs in demo account ${username} and lands on ${home}, which opens`, async () => {
      const { agent, location } = await signIn(ctx.app, username, password);
      expect(location).to.equal(home);
      const page = await agent.get(home).expect(200);
      expect(page.text).to.contain('<h1>');
    });
  }

  it('gives one generic message for a wrong password and for an unknown user', async () => {
    const agent = supertest.agent(ctx.app);
    const token = csrfFrom((await agent.get('/login')).text);
    const wrongPassword = await agent.post('/login').type('form').send({ username: 'employee', password: 'nope-nope', _csrf: token }).expect(401);
    const unknownUser = await agent.post('/login').type('form').send({ username: 'nobody', password: 'nope-nope', _csrf: token }).expect(401);
    const message = '用户名或密码不正确。';
    expect(wrongPassword.text).to.contain(message);
    expect(unknownUser.text).to.contain(message);
    expect(wrongPassword.text).not.to.match(/密码错误|user not found|no such user/i);
  });

  it('answers 429 with a clear message after repeated failures on one account, while other accounts still sign in', async () => {
    const agent = supertest.agent(ctx.app);
    const token = csrfFrom((await agent.get('/login')).text);
    for (let i = 0; i < 5; i++) {
      await agent.post('/login').type('form').send({ username: 'employee', password: `wrong-${i}`, _csrf: token }).expect(401);
    }
    const blocked = await agent.post('/login').type('form').send({ username: 'employee', password, _csrf: token }).expect(429);
    expect(blocked.text).to.contain('登录失败次数过多');
    expect(Number(blocked.headers['retry-after'])).to.be.greaterThan(0);
    // Same address, another account: a branch behind one NAT address is not locked out.
    await signIn(ctx.app, 'trainer', password);
  });

  it('regenerates the session id at sign-in and signs out only by POST with a CSRF token', async () => {
    const agent = supertest.agent(ctx.app);
    const page = await agent.get('/login');
    const before = String(page.headers['set-cookie']).match(/lms\.sid=([^;]+)/)?.[1];
    const login = await agent.post('/login').type('form').send({ username: 'employee', password, _csrf: csrfFrom(page.text) }).expect(302);
    const after = String(login.headers['set-cookie']).match(/lms\.sid=([^;]+)/)?.[1];
    expect(before).to.be.a('string');
    expect(after).to.be.a('string').and.not.equal(before);
    expect(String(login.headers['set-cookie'])).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
    await agent.get('/logout').expect(404);
    await agent.post('/logout').type('form').send({}).expect(403);
    const me = await agent.get('/me').expect(200);
    await agent.post('/logout').type('form').send({ _csrf: csrfFrom(me.text) }).expect(302);
    await agent.get('/me').expect(302).expect('location', '/login?next=%2Fme');
  });

  it('refuses a login POST without a CSRF token', async () => {
    await supertest(ctx.app).post('/login').type('form').send({ username: 'employee', password }).expect(403);
  });

  it('ends a session after the absolute timeout even when it was used all along', async () => {
    const { agent } = await signIn(ctx.app, 'employee', password);
    for (let hour = 0; hour < 11; hour++) {
      ctx.clock.advance(3_600_000);
      await agent.get('/me').expect(200);
    }
    ctx.clock.advance(2 * 3_600_000);
    await agent.get('/me').expect(302).expect('location', '/login?next=%2Fme');
  });
});
