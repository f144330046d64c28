import { expect } from 'chai';
import net from 'node:net';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, csrfFrom, type TestContext } from '../../helpers/test-app.js';
import { startSlapd, freePort, BASE_DN, READER_DN, READER_PASSWORD, type Slapd } from '../../helpers/slapd.js';
import type { LdapOptions } from '../../../server/auth/sign-in-config.js';

describe('LDAP sign-in against a real OpenLDAP slapd', () => {
  let slapd: Slapd;
  let ctx: TestContext;

  before(async () => {
    slapd = await startSlapd([
      { uid: 'li.wei', password: 'domain-pass-1', cn: 'Li Wei', employeeNumber: 'E900001' },
      { uid: 'zhao.outsider', password: 'domain-pass-2', cn: 'Zhao', employeeNumber: 'E999999' },
      { uid: 'qian.noattr', password: 'domain-pass-3', cn: 'Qian' },
    ]);
  });
  after(() => slapd.close());
  afterEach(() => ctx?.close());

  async function build(extra: Partial<LdapOptions> = {}) {
    ctx = buildTestApp({
      loginThrottle: { perAccount: 3, perIp: 50, windowSeconds: 900 },
      signIn: { ldap: { url: slapd.url, bindDn: READER_DN, bindPassword: READER_PASSWORD, baseDn: `ou=people,${BASE_DN}`, filter: '(&(objectClass=inetOrgPerson)(uid={username}))', attribute: 'employeeNumber', timeoutMs: 1500, ...extra } },
    });
    await createBranch(ctx.app, 'HQ', null);
    const li = await createUser(ctx.app, { username: 'liwei', roles: ['employee'], branch: 'HQ', password: null });
    await ctx.app.lms.repositories.users.update(li.id, { ...li, employeeNo: 'E900001' }, { actorId: null });
    return { li };
  }

  async function post(username: string, password: string, agent = supertest.agent(ctx.app)) {
    const page = await agent.get('/login').expect(200);
    expect(page.text).to.contain('id="sign-in-ldap"');
    return { agent, res: await agent.post('/login/ldap').type('form').send({ username, password, _csrf: csrfFrom(page.text) }) };
  }

  it('signs in with the right domain password, maps employeeNumber to the roster person, and audits the method', async () => {
    const { li } = await build();
    const { agent, res } = await post('li.wei', 'domain-pass-1');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/me');
    expect((await agent.get('/me').expect(200)).text).to.contain(li.name);
    const row = ctx.app.lms.db.prepare(`SELECT details_json FROM audit_events WHERE action = 'auth.login' AND subject = ?`).get(`user:${li.id}`) as { details_json: string };
    expect(JSON.parse(row.details_json).method).to.equal('ldap');
  });

  it('works with an anonymous search too when the directory allows it', async () => {
    await build({ bindDn: undefined, bindPassword: undefined });
    expect((await post('li.wei', 'domain-pass-1')).res.status).to.equal(302);
    expect((await post('li.wei', 'wrong-pass')).res.status).to.equal(401);
  });

  it('gives one generic message for a wrong password and an unknown name, and throttles like local sign-in', async () => {
    await build();
    const wrong = (await post('li.wei', 'not-it')).res;
    const unknown = (await post('nobody', 'whatever')).res;
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.text).to.contain('用户名或密码不正确');
    expect(unknown.text).to.contain('用户名或密码不正确');
    await post('li.wei', 'not-it-2');
    await post('li.wei', 'not-it-3');
    const blocked = (await post('li.wei', 'domain-pass-1')).res;
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('登录失败次数过多');
    const failures = ctx.app.lms.db.prepare(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.login_failed'`).get() as { n: number };
    expect(failures.n).to.equal(4);
  });

  it('refuses a directory person who is not in the roster, and one without an employee number, with pages saying what to do', async () => {
    await build();
    const outsider = (await post('zhao.outsider', 'domain-pass-2')).res;
    expect(outsider.status).to.equal(403);
    expect(outsider.text).to.contain('data-problem="UNKNOWN_PERSON"').and.contain('请联系人力资源部门');
    const noAttr = (await post('qian.noattr', 'domain-pass-3')).res;
    expect(noAttr.status).to.equal(403);
    expect(noAttr.text).to.contain('data-problem="CLAIM_MISSING"');
  });

  it('escapes the name in the filter: an injection attempt matches nobody', async () => {
    await build();
    for (const attempt of ['*)(uid=*', '*', 'li.wei)(|(uid=*', 'li.wei\\']) {
      const { res } = await post(attempt, 'domain-pass-1');
      expect(res.status, attempt).to.equal(401);
    }
    // An empty password would be an unauthenticated bind: refused before the directory.
    const page = await supertest.agent(ctx.app).get('/login');
    await supertest(ctx.app).post('/login/ldap').type('form').send({ username: 'li.wei', password: '', _csrf: csrfFrom(page.text) }).expect((r) => expect(r.status).to.be.oneOf([400, 403]));
  });

  it('shows a clear 503 page (no 500) when the directory refuses connections or never answers', async () => {
    ctx = buildTestApp({ signIn: { ldap: { url: `ldap://127.0.0.1:${await freePort()}`, baseDn: BASE_DN, timeoutMs: 500 } } });
    const refused = (await post('li.wei', 'domain-pass-1')).res;
    expect(refused.status).to.equal(503);
    expect(refused.text).to.contain('data-problem="DIRECTORY_UNREACHABLE"').and.contain('请几分钟后再试');
    ctx.close();
    // A server that accepts the connection and then says nothing: the timeout ends the wait.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      ctx = buildTestApp({ signIn: { ldap: { url: `ldap://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, baseDn: BASE_DN, timeoutMs: 500 } } });
      const started = Date.now();
      const hung = (await post('li.wei', 'domain-pass-1')).res;
      expect(hung.status).to.equal(503);
      expect(hung.text).to.contain('data-problem="DIRECTORY_UNREACHABLE"');
      expect(Date.now() - started).to.be.below(5000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
