import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';

/**
 * Two forms opened at the same moment right after sign-in (two tabs, or a page and its frame):
 * both requests read the fresh session before either has saved it, so each page's token must be
 * one the session accepts — neither request may replace the other's.
 */
describe('CSRF tokens in a fresh session', () => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'boss', roles: ['admin'], branch: 'HO' });
  });
  afterEach(() => ctx.close());

  it('accepts both of two forms opened concurrently right after sign-in', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const { agent } = await signIn(ctx.app, 'boss');
      const [userForm, branchForm] = await Promise.all([agent.get('/admin/users/new').expect(200), agent.get('/admin/branches/new').expect(200)]);
      const [userToken, branchToken] = [csrfFrom(userForm.text), csrfFrom(branchForm.text)];
      await agent.post('/admin/branches').type('form').send({ _csrf: branchToken, code: `B${trial}`, name: `机构${trial}`, parentCode: 'HO' }).expect(302);
      await agent.post('/admin/users').type('form').send({ _csrf: userToken, username: `new${trial}`, name: `新员工${trial}`, branchCode: 'HO', status: 'active' }).expect(302);
    }
    const made = ctx.app.lms.db.prepare("SELECT COUNT(*) AS n FROM users WHERE username LIKE 'new%'").get() as { n: number };
    expect(made.n).to.equal(5);
  });

  it('accepts forms opened concurrently in a session that has not been saved yet (the sign-in page)', async () => {
    const { default: supertest } = await import('supertest');
    const agent = supertest.agent(ctx.app);
    const first = await agent.get('/login').expect(200);
    // The cookie from the first page now names the session; two more pages open together.
    const [a, b] = await Promise.all([agent.get('/login'), agent.get('/login')]);
    expect(csrfFrom(a.text)).to.equal(csrfFrom(b.text)).and.equal(csrfFrom(first.text));
    await agent.post('/login').type('form').send({ _csrf: csrfFrom(a.text), username: 'boss', password: 'correct-horse-battery' }).expect(302);
  });

  it('still refuses a token from another session', async () => {
    const { agent: mine } = await signIn(ctx.app, 'boss');
    const { agent: other } = await signIn(ctx.app, 'boss');
    const theirs = csrfFrom((await other.get('/admin/branches/new')).text);
    await mine.post('/admin/branches').type('form').send({ _csrf: theirs, code: 'X1', name: '机构', parentCode: 'HO' }).expect(403);
    await mine.post('/admin/branches').type('form').send({ _csrf: 'a'.repeat(64), code: 'X1', name: '机构', parentCode: 'HO' }).expect(403);
  });
});
