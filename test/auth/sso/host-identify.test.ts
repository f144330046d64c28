import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import passportModule from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, type TestContext } from '../../helpers/test-app.js';

/** The host intranet's own people and passwords (not the LMS's). */
const HOST_PEOPLE: Record<string, { password: string; employeeNo: string }> = {
  'host-li': { password: 'host-pass-li', employeeNo: 'E900001' },
  'host-wang': { password: 'host-pass-wang', employeeNo: 'E900002' },
  'host-visitor': { password: 'host-pass-visitor', employeeNo: 'E999999' },
};

describe('plugin pass-through: the host signs people in, identify() hands them to the LMS', () => {
  let ctx: TestContext;
  let host: express.Express;
  let li: Awaited<ReturnType<typeof createUser>>;
  let wang: Awaited<ReturnType<typeof createUser>>;

  beforeEach(async () => {
    // A host app as intranets build them: express-session, passport-local, its own login route.
    const passport = new passportModule.Passport();
    passport.use(new LocalStrategy((username, password, done) => {
      const person = HOST_PEOPLE[username];
      done(null, person && person.password === password ? { id: username, employeeNo: person.employeeNo } as unknown as Express.User : false);
    }));
    passport.serializeUser((user, done) => done(null, (user as unknown as { id: string }).id));
    passport.deserializeUser((id: string, done) => done(null, HOST_PEOPLE[id] ? { id, employeeNo: HOST_PEOPLE[id].employeeNo } as unknown as Express.User : false));
    ctx = buildTestApp({
      identify: (req) => {
        const hostUser = req.user as unknown as { employeeNo?: string } | undefined;
        return hostUser?.employeeNo ? { employeeNo: hostUser.employeeNo } : null;
      },
    });
    await createBranch(ctx.app, 'HQ', null);
    li = await createUser(ctx.app, { username: 'li', roles: ['employee'], branch: 'HQ', password: null, name: '李丽' });
    await ctx.app.lms.repositories.users.update(li.id, { ...li, employeeNo: 'E900001' }, { actorId: null });
    wang = await createUser(ctx.app, { username: 'wang', roles: ['employee'], branch: 'HQ', password: null, name: '王伟' });
    await ctx.app.lms.repositories.users.update(wang.id, { ...wang, employeeNo: 'E900002' }, { actorId: null });

    host = express();
    host.use(session({ name: 'host.sid', secret: 'host-secret-0123456789', resave: false, saveUninitialized: false }));
    host.use(express.urlencoded({ extended: false }));
    host.use(passport.initialize());
    host.use(passport.session());
    host.post('/host/login', passport.authenticate('local', { failureRedirect: '/host/login' }), (_req, res) => { res.redirect('/'); });
    host.post('/host/logout', (req, res, next) => { req.logOut((e) => (e ? next(e) : res.redirect('/'))); });
    host.get('/host/whoami', (req, res) => { res.json({ user: (req.user as unknown as { id: string } | undefined)?.id ?? null }); });
    host.use('/training', ctx.app);
  });
  afterEach(() => ctx.close());

  const hostSignIn = (agent: ReturnType<typeof supertest.agent>, username: string) =>
    agent.post('/host/login').type('form').send({ username, password: HOST_PEOPLE[username].password }).expect(302).expect('Location', '/');

  it("lands the host's user on their LMS home without a second sign-in, keeps both sessions apart, and audits it", async () => {
    const browser = supertest.agent(host);
    await hostSignIn(browser, 'host-li');
    const entry = await browser.get('/training/').expect(302);
    expect(entry.headers.location).to.equal('/training/me');
    expect(String(entry.headers['set-cookie'])).to.contain('lms.sid=');
    const home = await browser.get('/training/me').expect(200);
    expect(home.text).to.contain('李丽');
    // The host's own session is untouched by the LMS's.
    await browser.get('/host/whoami').expect(200, { user: 'host-li' });
    await browser.get('/training/me').expect(200);
    const logins = ctx.app.lms.db.prepare(`SELECT details_json FROM audit_events WHERE action = 'auth.login' AND subject = ?`).all(`user:${li.id}`) as Array<{ details_json: string }>;
    expect(logins.map((l) => JSON.parse(l.details_json).method)).to.deep.equal(['host']);
  });

  it('follows the host when its user changes or signs out', async () => {
    const browser = supertest.agent(host);
    await hostSignIn(browser, 'host-li');
    expect((await browser.get('/training/me').expect(200)).text).to.contain('李丽');
    await hostSignIn(browser, 'host-wang');
    const now = await browser.get('/training/me').expect(200);
    expect(now.text).to.contain('王伟').and.not.contain('李丽');
    await browser.post('/host/logout').expect(302);
    await browser.get('/host/whoami').expect(200, { user: null });
    await browser.get('/training/me').expect(302).expect('Location', '/training/login?next=%2Fme');
  });

  it("gives a host returning null the LMS's own sign-in page, or 401 for the API", async () => {
    const browser = supertest.agent(host);
    await browser.get('/training/me').expect(302).expect('Location', '/training/login?next=%2Fme');
    const login = await browser.get('/training/login').expect(200);
    expect(login.text).to.contain('id="sign-in-local"');
    const api = await browser.get('/training/api/branches/HQ').expect(401);
    expect(api.body.error.code).to.equal('UNAUTHORIZED');
  });

  it('shows a page saying what to do when the host names someone the roster does not know', async () => {
    const browser = supertest.agent(host);
    await hostSignIn(browser, 'host-visitor');
    const res = await browser.get('/training/me').expect(403);
    expect(res.text).to.contain('data-problem="UNKNOWN_PERSON"');
    await browser.get('/host/whoami').expect(200, { user: 'host-visitor' });
  });
});
