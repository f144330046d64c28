import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';

/** What an admin does to a person's access takes effect on that person's open sessions at once. */
describe('ending a user\'s sessions', () => {
  let ctx: TestContext;
  let userId: number;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null, '总行');
    await createBranch(ctx.app, 'GD', 'HO', '广东省分行');
    await createBranch(ctx.app, 'GZ', 'GD', '广州分行');
    await createUser(ctx.app, { username: 'root', roles: ['admin'], branch: 'HO' });
    userId = (await createUser(ctx.app, { username: 'pat', roles: ['trainer', { role: 'hr', scope: 'GD' }], branch: 'GD' })).id;
  });
  afterEach(() => ctx.close());

  const sessionsOf = (id: number) => (ctx.app.lms.db.prepare(
    "SELECT COUNT(*) AS n FROM sessions WHERE json_extract(sess, '$.passport.user') = ?",
  ).get(id) as { n: number }).n;

  /** The person signed in on two devices, both working. */
  async function twoDevices() {
    const laptop = (await signIn(ctx.app, 'pat')).agent;
    const phone = (await signIn(ctx.app, 'pat')).agent;
    await laptop.get('/hr').expect(200);
    await phone.get('/trainer').expect(200);
    expect(sessionsOf(userId)).to.equal(2);
    return [laptop, phone];
  }

  async function adminForm(path: string) {
    const { agent } = await signIn(ctx.app, 'root');
    return { agent, token: csrfFrom((await agent.get(path).expect(200)).text) };
  }

  const userForm = { username: 'pat', name: '测试', branchCode: 'GD', status: 'active' };

  it('a password reset by an admin signs the person out everywhere', async () => {
    const devices = await twoDevices();
    const { agent, token } = await adminForm(`/admin/users/${userId}`);
    await agent.post(`/admin/users/${userId}`).type('form').send({ ...userForm, _csrf: token, password: 'a-brand-new-pass' }).expect(302);
    expect(sessionsOf(userId)).to.equal(0);
    for (const device of devices) {
      await device.get('/hr').expect(302).expect('location', '/login?next=%2Fhr');
      await device.get('/api/courses').set('Accept', 'application/json').expect(401);
    }
    const audit = ctx.app.lms.db.prepare("SELECT details_json FROM audit_events WHERE action = 'auth.sessions_ended' AND subject = ?").all(`user:${userId}`) as Array<{ details_json: string }>;
    expect(audit.map((r) => JSON.parse(r.details_json))).to.deep.equal([{ reason: 'password_reset', sessions: 2 }]);
    // The new password works; the admin's own session was not touched.
    await signIn(ctx.app, 'pat', 'a-brand-new-pass');
    await agent.get('/admin').expect(200);
  });

  it('an edit that changes no password leaves the sessions open', async () => {
    const [laptop] = await twoDevices();
    const { agent, token } = await adminForm(`/admin/users/${userId}`);
    await agent.post(`/admin/users/${userId}`).type('form').send({ ...userForm, _csrf: token, name: '改名' }).expect(302);
    expect(sessionsOf(userId)).to.equal(2);
    await laptop.get('/hr').expect(200);
  });

  it('removing a role (narrowing hr scope is remove + grant) signs the person out', async () => {
    const [laptop] = await twoDevices();
    const hrGrant = (await ctx.app.lms.repositories.users.listRoles(userId)).find((g) => g.role === 'hr')!;
    const { agent, token } = await adminForm(`/admin/users/${userId}`);
    await agent.post(`/admin/users/${userId}/roles/${hrGrant.id}/delete`).type('form').send({ _csrf: token }).expect(302);
    expect(sessionsOf(userId)).to.equal(0);
    await laptop.get('/hr').expect(302).expect('location', '/login?next=%2Fhr');
    // Signed in again, the person has the narrower access only.
    const again = (await signIn(ctx.app, 'pat')).agent;
    await again.get('/hr').expect(403);
    await again.get('/trainer').expect(200);
  });

  it('setting the person to left ends the sessions too', async () => {
    await twoDevices();
    const { agent, token } = await adminForm(`/admin/users/${userId}`);
    await agent.post(`/admin/users/${userId}`).type('form').send({ ...userForm, _csrf: token, status: 'left' }).expect(302);
    expect(sessionsOf(userId)).to.equal(0);
  });
});
