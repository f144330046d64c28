import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, csrfFrom, type TestContext } from '../helpers/test-app.js';

describe('mounted under /training in a host app', () => {
  let ctx: TestContext;
  let host: express.Express;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'boss', roles: ['admin'], branch: 'HO' });
    host = express();
    host.get('/', (_req, res) => { res.send('host home'); });
    host.use('/training', ctx.app);
  });
  afterEach(() => ctx.close());

  function localUrls(html: string): string[] {
    return [...html.matchAll(/(?:href|action|src)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('#'));
  }

  it('keeps sign-in, redirects, links and assets under /training', async () => {
    const agent = supertest.agent(host);
    await agent.get('/training/').expect(302).expect('location', '/training/login');
    await agent.get('/training/admin').expect(302).expect('location', '/training/login?next=%2Fadmin');
    const login = await agent.get('/training/login').expect(200);
    const urls = localUrls(login.text);
    expect(urls.length).to.be.greaterThan(2);
    for (const u of urls) expect(u, u).to.match(/^\/training\//);
    const cssHref = urls.find((u) => u.endsWith('.css'))!;
    await agent.get(cssHref).expect(200).expect('content-type', /css/);
    const signedIn = await agent.post('/training/login').type('form')
      .send({ username: 'boss', password: 'correct-horse-battery', _csrf: csrfFrom(login.text), next: '/admin/users' }).expect(302);
    expect(signedIn.headers.location).to.equal('/training/admin/users');
    const users = await agent.get('/training/admin/users').expect(200);
    for (const u of localUrls(users.text)) expect(u, u).to.match(/^\/training\//);
    const me = await agent.get('/training/me').expect(200);
    const logout = await agent.post('/training/logout').type('form').send({ _csrf: csrfFrom(me.text) }).expect(302);
    expect(logout.headers.location).to.equal('/training/login');
    await agent.get('/').expect(200, 'host home');
  });

  it('does not follow an off-site next= after sign-in', async () => {
    const agent = supertest.agent(host);
    const login = await agent.get('/training/login');
    const res = await agent.post('/training/login').type('form')
      .send({ username: 'boss', password: 'correct-horse-battery', _csrf: csrfFrom(login.text), next: '//evil.example/x' }).expect(302);
    expect(res.headers.location).to.equal('/training/admin');
  });

  it('answers /healthz under the prefix', async () => {
    const res = await supertest(host).get('/training/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });
});
