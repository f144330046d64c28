import { expect } from 'chai';
import supertest from 'supertest';
import { signIn, type TestContext } from '../helpers/test-app.js';
import { appWithG04, openPlayer } from '../helpers/launch.js';
import { TOUCH_INTERVAL_MS } from '../../server/auth/session.js';

// The commit endpoint signs learners in straight from the session cookie (server/auth/session-reader.ts);
// it must answer exactly as the full express-session + passport chain would.
describe('commit sign-in from the session cookie', () => {
  let ctx: TestContext;
  let agent: ReturnType<typeof supertest.agent>;
  let commitPath: string;
  let cookie: string;
  let seq = 0;

  const commit = (request: supertest.Test) => request.send({ cmi: { location: `p${++seq}` }, seq });
  const location = () => (ctx.app.lms.db.prepare('SELECT location FROM sco_states').pluck().get() as string | undefined) ?? null;
  const sessionExpiry = () => ctx.app.lms.db.prepare(`SELECT expire FROM sessions
    WHERE json_extract(sess, '$.passport.user') = (SELECT id FROM users WHERE username = 'emp')`).pluck().get() as string;
  const sessionCookieOf = (res: supertest.Response) =>
    ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lms.sid='));

  beforeEach(async () => {
    ctx = await appWithG04();
    ({ agent } = await signIn(ctx.app, 'emp'));
    commitPath = new URL((await openPlayer(agent, 'G04')).commitUrl, 'http://x').pathname;
    const page = await agent.get('/me').expect(200);
    cookie = sessionCookieOf(page)!.split(';')[0];
    seq = 0;
  });
  afterEach(() => ctx.close());

  it('stores the commit without re-issuing the cookie while the session was written within the minute', async () => {
    const res = await commit(agent.post(commitPath)).expect(200, { result: true, errorCode: 0 });
    expect(sessionCookieOf(res), 'express-session would roll the cookie on every response').to.equal(undefined);
    expect(location()).to.equal('p1');
  });

  it('rolls the idle expiry and re-issues the same signed cookie once the minute has passed', async () => {
    const before = sessionExpiry();
    ctx.clock.advance(TOUCH_INTERVAL_MS);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the store's expiries are wall-clock, in whole seconds
    const res = await commit(agent.post(commitPath)).expect(200, { result: true, errorCode: 0 });

    const reissued = sessionCookieOf(res);
    expect(reissued?.split(';')[0]).to.equal(cookie);
    expect(reissued).to.match(/; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(reissued!)![1]);
    expect(Date.parse(sessionExpiry())).to.be.above(Date.parse(before));
    expect(Math.abs(Date.parse(sessionExpiry()) - expires), 'store and cookie expire together').to.be.below(1_000);
    expect(sessionCookieOf(await commit(agent.post(commitPath)).expect(200)), 'once per interval').to.equal(undefined);
  });

  it('answers 401 and stores nothing for a forged signature, a missing cookie or a signed-out session', async () => {
    const [name, value] = cookie.split('=');
    const forged = `${name}=${value.slice(0, -3)}${value.endsWith('abc') ? 'xyz' : 'abc'}`;
    await commit(supertest(ctx.app).post(commitPath).set('Cookie', forged)).expect(401);
    await commit(supertest(ctx.app).post(commitPath)).expect(401);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/me')).text)?.[1];
    await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(302);
    await commit(supertest(ctx.app).post(commitPath).set('Cookie', cookie)).expect(401);
    expect(location()).to.equal(null);
  });

  it('answers 401 once the learner has left the bank', async () => {
    await commit(agent.post(commitPath)).expect(200);
    ctx.app.lms.db.prepare("UPDATE users SET status = 'left' WHERE username = 'emp'").run();
    await commit(agent.post(commitPath)).expect(401);
    expect(location()).to.equal('p1');
  });

  it('answers 401 once the session has reached its absolute timeout, however active', async () => {
    for (let hour = 1; hour <= 12; hour += 1) {
      ctx.clock.advance(3_600_000);
      await agent.get('/me').expect(200); // busy all day: the idle timeout never strikes
    }
    ctx.clock.advance(1);
    await commit(agent.post(commitPath)).expect(401);
    expect(location()).to.equal(null);
  });
});
