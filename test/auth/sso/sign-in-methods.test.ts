import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, createUser, csrfFrom, TEST_PASSWORD, type TestContext } from '../../helpers/test-app.js';

describe('sign-in methods per deployment, and the break-glass admin', () => {
  let ctx: TestContext;
  afterEach(() => ctx.close());

  const sso = {
    oidc: { issuer: 'https://idp.bank.example', clientId: 'lms', redirectUri: 'http://lms.test/auth/oidc/callback', label: '行内统一认证' },
    ldap: { url: 'ldap://127.0.0.1:9', baseDn: 'dc=bank,dc=test' },
  };

  it('shows only the chosen methods, in both languages', async () => {
    ctx = buildTestApp({ signIn: { local: false, ...sso } });
    const zh = await supertest(ctx.app).get('/login').expect(200);
    expect(zh.text).to.contain('行内统一认证').and.contain('id="sign-in-ldap"').and.contain('域用户名');
    expect(zh.text).not.to.contain('id="sign-in-local"');
    expect(zh.text).not.to.contain('/password/forgot');
    const en = await supertest(ctx.app).get('/login').set('Cookie', 'lms.lang=en').expect(200);
    expect(en.text).to.contain('Domain username').and.contain('Domain account');
    ctx.close();
    ctx = buildTestApp({ smtpUrl: 'smtp://127.0.0.1:9', publicUrl: 'http://lms.test' });
    const localOnly = await supertest(ctx.app).get('/login').set('Cookie', 'lms.lang=en').expect(200);
    expect(localOnly.text).to.contain('id="sign-in-local"').and.contain('Forgotten your password').and.not.contain('sign-in-ldap').and.not.contain('/auth/oidc');
  });

  it('with local passwords off, /login?local=1 still lets an administrator in, and nobody else', async () => {
    ctx = buildTestApp({ signIn: { local: false, ...sso } });
    await createUser(ctx.app, { username: 'root', roles: ['admin'] });
    const clerk = await createUser(ctx.app, { username: 'clerk', roles: ['employee'] });
    const agent = supertest.agent(ctx.app);
    const page = await agent.get('/login?local=1').expect(200);
    expect(page.text).to.contain('id="sign-in-local"').and.contain('管理员应急登录');
    const token = csrfFrom(page.text);
    const refused = await agent.post('/login?local=1').type('form').send({ username: 'clerk', password: TEST_PASSWORD, _csrf: token }).expect(401);
    expect(refused.text).to.contain('用户名或密码不正确');
    await agent.get('/me').expect(302);
    const refusal = ctx.app.lms.db.prepare(`SELECT details_json FROM audit_events WHERE action = 'auth.login_refused' AND subject = ?`).get(`user:${clerk.id}`) as { details_json: string };
    expect(JSON.parse(refusal.details_json)).to.include({ method: 'local', problem: 'METHOD_OFF' });
    await agent.post('/login').type('form').send({ username: 'root', password: 'wrong-password', _csrf: token }).expect(401);
    const admitted = await agent.post('/login?local=1').type('form').send({ username: 'root', password: TEST_PASSWORD, _csrf: token }).expect(302);
    expect(admitted.headers.location).to.equal('/admin');
    await agent.get('/admin').expect(200);
  });
});
