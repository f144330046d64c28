import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, signIn, type TestContext } from '../helpers/test-app.js';
import { canSeeBranch } from '../../server/auth/principal.js';

describe('access control', () => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = buildTestApp();
    // Ids 1..23 so that branch 2 has path /1/2/ and branch 23 has path /1/23/: a plain string
    // prefix test would wrongly put /1/23/ inside /1/2/.
    await createBranch(ctx.app, 'B1', null);
    for (let i = 2; i <= 23; i++) await createBranch(ctx.app, `B${i}`, 'B1');
    await createBranch(ctx.app, 'B2-CHILD', 'B2');
    await createUser(ctx.app, { username: 'hr2', roles: [{ role: 'hr', scope: 'B2' }], branch: 'B2' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'B2' });
    await createUser(ctx.app, { username: 'root', roles: ['admin'], branch: 'B1' });
  });
  afterEach(() => ctx.close());

  it('gives branches the materialised paths the scope test relies on', async () => {
    const { branches } = ctx.app.lms.repositories;
    expect((await branches.findByCode('B2'))!.path).to.equal('/1/2/');
    expect((await branches.findByCode('B23'))!.path).to.equal('/1/23/');
    expect((await branches.findByCode('B2-CHILD'))!.path).to.equal(`/1/2/${(await branches.findByCode('B2-CHILD'))!.id}/`);
  });

  it('lets hr scoped to /1/2/ see its subtree but not /1/23/ (unit)', async () => {
    const principal = (await ctx.app.lms.services.auth.loadPrincipal((await ctx.app.lms.repositories.users.findByUsername('hr2'))!.id))!;
    expect(canSeeBranch(principal, '/1/2/')).to.equal(true);
    expect(canSeeBranch(principal, '/1/2/24/')).to.equal(true);
    expect(canSeeBranch(principal, '/1/23/')).to.equal(false);
    expect(canSeeBranch(principal, '/1/')).to.equal(false);
  });

  it('lets hr scoped to /1/2/ open B2 and its child over HTTP, and answers 404 for B23 and the parent', async () => {
    const { agent } = await signIn(ctx.app, 'hr2');
    const own = await agent.get('/api/branches/B2').expect(200);
    expect(own.body.children.map((c: { code: string }) => c.code)).to.deep.equal(['B2-CHILD']);
    await agent.get('/api/branches/B2-CHILD').expect(200);
    await agent.get('/api/branches/B23').expect(404);
    await agent.get('/api/branches/B1').expect(404);
  });

  it('stops an employee at admin pages (403) and at branch data (403)', async () => {
    const { agent } = await signIn(ctx.app, 'emp');
    for (const path of ['/admin', '/admin/users', '/admin/users/1', '/admin/branches', '/hr', '/trainer']) {
      await agent.get(path).expect(403);
    }
    await agent.get('/api/branches/B2').expect(403);
    const page = await agent.get('/admin/users').expect(403);
    expect(page.text).to.contain('您没有权限访问此页面');
  });

  it('asks anonymous API callers to sign in (401 JSON) and anonymous page visitors to the login page', async () => {
    const res = await supertest(ctx.app).get('/api/branches/B2').expect(401);
    expect(res.body.error.code).to.equal('UNAUTHORIZED');
    await supertest(ctx.app).get('/admin/users').expect(302).expect('location', '/login?next=%2Fadmin%2Fusers');
  });

  it('accepts a Bearer API token with its user\'s scope, without CSRF, until revoked', async () => {
    const hr = (await ctx.app.lms.repositories.users.findByUsername('hr2'))!;
    const { id, token } = await ctx.app.lms.repositories.apiTokens.create(hr.id, 'integration', { actorId: null });
    const stored = ctx.app.lms.db.prepare('SELECT token_hash FROM api_tokens WHERE id = ?').get(id) as { token_hash: string };
    expect(stored.token_hash).to.not.equal(token).and.not.contain(token.slice(4, 20));
    await supertest(ctx.app).get('/api/branches/B2').set('Authorization', `Bearer ${token}`).expect(200);
    await supertest(ctx.app).get('/api/branches/B23').set('Authorization', `Bearer ${token}`).expect(404);
    await supertest(ctx.app).get('/api/branches/B2').set('Authorization', 'Bearer lms_not-a-real-token').expect(401);
    await ctx.app.lms.repositories.apiTokens.revoke(id, { actorId: null });
    await supertest(ctx.app).get('/api/branches/B2').set('Authorization', `Bearer ${token}`).expect(401);
  });
});
