import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, csrfToken, type TestContext } from '../../helpers/test-app.js';
import { startOidcProvider, type TestProvider } from '../../helpers/oidc-provider.js';
import type { OidcOptions } from '../../../server/auth/sign-in-config.js';

type Agent = ReturnType<typeof supertest.agent>;

const REDIRECT_URI = 'http://lms.test/auth/oidc/callback';

describe('OpenID Connect sign-in against a real provider', () => {
  let op: TestProvider;
  let ctx: TestContext;

  before(async () => {
    op = await startOidcProvider({
      redirectUri: REDIRECT_URI, postLogoutRedirectUri: 'http://lms.test/login', idTokenTtl: 60,
      accounts: {
        alice: { employee_number: 'E900001', name: 'Alice', preferred_username: 'alice' },
        gone: { employee_number: 'E900002', name: 'Gone' },
        stranger: { employee_number: 'E999999', name: '陌生人', email: 'stranger@bank.test' },
        nameless: { name: 'No number' },
      },
    });
  });
  after(() => op.close());

  async function build(extra: Partial<OidcOptions> = {}) {
    ctx = buildTestApp({
      signIn: { oidc: { issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, redirectUri: REDIRECT_URI, claim: 'employee_number', allowHttp: true, clockToleranceSeconds: 60, ...extra } },
    });
    // Token times are judged by the LMS clock: start it at the real time.
    ctx.clock.set(new Date().toISOString());
    await createBranch(ctx.app, 'HQ', null);
    const alice = await createUser(ctx.app, { username: 'alice', roles: ['employee'], branch: 'HQ', password: null });
    await ctx.app.lms.repositories.users.update(alice.id, { ...alice, employeeNo: 'E900001' }, { actorId: null });
    const gone = await createUser(ctx.app, { username: 'gone', roles: ['employee'], branch: 'HQ', password: null });
    await ctx.app.lms.repositories.users.update(gone.id, { ...gone, employeeNo: 'E900002', status: 'left' }, { actorId: null });
    return { alice };
  }
  afterEach(() => ctx?.close());

  /** The browser's walk: LMS → provider → login → provider → back; returns the callback URL (not yet opened). */
  async function walkToCallback(lms: Agent, account: string, next = ''): Promise<URL> {
    const start = await lms.get(`/auth/oidc${next ? `?next=${encodeURIComponent(next)}` : ''}`).expect(302);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin).to.equal(op.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(authorize.searchParams.get('nonce')).to.be.a('string');
    const browser = supertest.agent(op.issuer);
    let res = await browser.get(authorize.pathname + authorize.search).expect(303);
    const interaction = new URL(res.headers.location as string, op.issuer);
    res = await browser.get(`${interaction.pathname}?login=${account}`).expect(303);
    for (let hops = 0; hops < 5; hops++) {
      const location = new URL(res.headers.location as string, op.issuer);
      if (location.href.startsWith(REDIRECT_URI)) return location;
      res = await browser.get(location.pathname + location.search);
      expect(res.status, res.text).to.be.within(300, 399);
    }
    throw new Error('the provider never sent the browser back');
  }

  const pathOf = (url: URL) => url.pathname + url.search;

  it('signs a roster person in through code + PKCE, lands on their home, audits it, and signs out at the provider too', async () => {
    const { alice } = await build();
    const lms = supertest.agent(ctx.app);
    const callback = await walkToCallback(lms, 'alice');
    const done = await lms.get(pathOf(callback)).expect(302);
    expect(done.headers.location).to.equal('/me');
    const home = await lms.get('/me').expect(200);
    expect(home.text).to.contain(alice.name);
    const audit = ctx.app.lms.db.prepare(`SELECT details_json FROM audit_events WHERE action = 'auth.login' AND subject = ?`).all(`user:${alice.id}`) as Array<{ details_json: string }>;
    expect(audit.map((a) => JSON.parse(a.details_json).method)).to.deep.equal(['oidc']);
    // Sign-out ends the LMS session and sends the browser to the provider's end_session_endpoint.
    const out = await lms.post('/logout').type('form').send({ _csrf: await csrfToken(lms) }).expect(302);
    const endSession = new URL(out.headers.location as string);
    expect(endSession.origin).to.equal(op.issuer);
    expect(endSession.searchParams.get('id_token_hint')).to.be.a('string');
    expect(endSession.searchParams.get('post_logout_redirect_uri')).to.equal('http://lms.test/login');
    await lms.get('/me').expect(302).expect('Location', '/login?next=%2Fme');
  });

  it('keeps next= on the LMS and refuses an off-site one', async () => {
    await build();
    const lms = supertest.agent(ctx.app);
    const inside = await lms.get(pathOf(await walkToCallback(lms, 'alice', '/me?tab=1'))).expect(302);
    expect(inside.headers.location).to.equal('/me?tab=1');
    const other = supertest.agent(ctx.app);
    const outside = await other.get(pathOf(await walkToCallback(other, 'alice', '//evil.example/x'))).expect(302);
    expect(outside.headers.location).to.equal('/me');
  });

  it('refuses a callback whose state was not issued to this browser (page says what to do, no session)', async () => {
    await build();
    const lms = supertest.agent(ctx.app);
    const callback = await walkToCallback(lms, 'alice');
    callback.searchParams.set('state', 'forged-state');
    const res = await lms.get(pathOf(callback)).expect(400);
    expect(res.text).to.contain('data-problem="STATE_MISMATCH"').and.contain('请返回登录页重新开始');
    await lms.get('/me').expect(302);
  });

  it('refuses a replayed callback, and a code carried into another browser', async () => {
    await build();
    const lms = supertest.agent(ctx.app);
    const callback = await walkToCallback(lms, 'alice');
    await lms.get(pathOf(callback)).expect(302);
    await lms.post('/logout').type('form').send({ _csrf: await csrfToken(lms) }).expect(302);
    const replay = await lms.get(pathOf(callback)).expect(400);
    expect(replay.text).to.contain('data-problem="STATE_MISMATCH"');
    // An attacker's browser with its own sign-in under way, given the victim's code: PKCE and nonce do not match.
    const victim = supertest.agent(ctx.app);
    const stolen = await walkToCallback(victim, 'alice');
    const attacker = supertest.agent(ctx.app);
    const own = await walkToCallback(attacker, 'alice');
    stolen.searchParams.set('state', own.searchParams.get('state')!);
    const injected = await attacker.get(pathOf(stolen)).expect(403);
    expect(injected.text).to.contain('data-problem="PROVIDER_REFUSED"');
    await attacker.get('/me').expect(302);
    // The victim's own code was spent by that attempt at the provider: a second use is refused too.
    const late = await victim.get(pathOf(stolen)).expect((r) => expect(r.status).to.be.oneOf([400, 403]));
    expect(late.text).to.match(/data-problem="(PROVIDER_REFUSED|STATE_MISMATCH)"/);
  });

  it('refuses an ID token that expired by the LMS clock, and tolerates a clock difference within the configured limit', async () => {
    await build();
    const lms = supertest.agent(ctx.app);
    const callback = await walkToCallback(lms, 'alice');
    // The token lives 60 s, the tolerance is 60 s: three minutes later it is gone.
    ctx.clock.advance(180_000);
    const res = await lms.get(pathOf(callback)).expect(403);
    expect(res.text).to.contain('data-problem="TOKEN_INVALID"');
    await lms.get('/me').expect(302);
    // 100 s later the token is 40 s past its expiry: within the 60 s tolerance, accepted.
    ctx.clock.set(new Date(Date.now() + 100_000).toISOString());
    const skewed = supertest.agent(ctx.app);
    const callbackUrl = await walkToCallback(skewed, 'alice');
    await skewed.get(pathOf(callbackUrl)).expect(302).expect('Location', '/me');
  });

  it('refuses an unknown subject with a page saying to ask HR, in English too, and audits it', async () => {
    await build();
    const lms = supertest.agent(ctx.app);
    const res = await lms.get(pathOf(await walkToCallback(lms, 'stranger'))).set('Cookie', 'lms.lang=en').expect(403);
    expect(res.text).to.contain('not in the training roster').and.contain('Ask HR');
    const refused = ctx.app.lms.db.prepare(`SELECT subject, details_json FROM audit_events WHERE action = 'auth.login_refused'`).all() as Array<{ subject: string; details_json: string }>;
    expect(refused).to.have.length(1);
    expect(refused[0].subject).to.equal('employee_no:E999999');
    expect(JSON.parse(refused[0].details_json)).to.include({ method: 'oidc', problem: 'UNKNOWN_PERSON' });
    expect(ctx.app.lms.db.prepare(`SELECT COUNT(*) AS n FROM users WHERE employee_no = 'E999999'`).get()).to.deep.equal({ n: 0 });
  });

  it('creates an unknown subject as an employee in the configured branch when that is turned on', async () => {
    await build({ createUnknownInBranch: 'HQ', scope: 'openid profile email' });
    const lms = supertest.agent(ctx.app);
    await lms.get(pathOf(await walkToCallback(lms, 'stranger'))).expect(302).expect('Location', '/me');
    const user = await ctx.app.lms.repositories.users.findByEmployeeNo('E999999');
    expect(user).to.include({ name: '陌生人', email: 'stranger@bank.test', branchCode: 'HQ', status: 'active' });
    expect((await ctx.app.lms.repositories.users.listRoles(user!.id)).map((r) => r.role)).to.deep.equal(['employee']);
  });

  it('refuses a person who has left, and an account without the naming claim', async () => {
    await build();
    const lms = supertest.agent(ctx.app);
    const left = await lms.get(pathOf(await walkToCallback(lms, 'gone'))).expect(403);
    expect(left.text).to.contain('data-problem="ACCOUNT_LEFT"');
    const nameless = await lms.get(pathOf(await walkToCallback(lms, 'nameless'))).expect(403);
    expect(nameless.text).to.contain('data-problem="CLAIM_MISSING"');
    await lms.get('/me').expect(302);
  });

  it('shows a clear page (503), not a 500, when the provider cannot be reached', async () => {
    ctx = buildTestApp({ signIn: { oidc: { issuer: 'http://127.0.0.1:9/', clientId: 'x', redirectUri: REDIRECT_URI, allowHttp: true, timeoutSeconds: 2 } } });
    const res = await supertest(ctx.app).get('/auth/oidc').expect(503);
    expect(res.text).to.contain('data-problem="PROVIDER_UNREACHABLE"');
  });

  it('offers the provider on the sign-in page in both languages', async () => {
    await build();
    const zh = await supertest(ctx.app).get('/login').expect(200);
    expect(zh.text).to.contain('使用公司统一账号登录').and.contain('id="sign-in-local"');
    const en = await supertest(ctx.app).get('/login').set('Cookie', 'lms.lang=en').expect(200);
    expect(en.text).to.contain('Sign in with your company account');
  });
});
