import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, decodeHtml, signIn, type TestContext } from '../helpers/test-app.js';

describe('admin pages: users, branches and role grants', () => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null, '总行');
    await createBranch(ctx.app, 'GD', 'HO', '广东省分行');
    await createUser(ctx.app, { username: 'root', roles: ['admin'], branch: 'HO' });
  });
  afterEach(() => ctx.close());

  it('creates a user through the form, audited, with branch history', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const form = await agent.get('/admin/users/new').expect(200);
    const res = await agent.post('/admin/users').type('form').send({
      _csrf: csrfFrom(form.text), username: 'zhangsan', employeeNo: '200001', name: '张三', email: 'zs@example.com',
      branchCode: 'GD', position: '柜员', hiredAt: '2025-02-03', status: 'active', password: '',
    }).expect(302);
    const id = Number(res.headers.location.split('/').pop());
    const row = ctx.app.lms.db.prepare('SELECT name, employee_no, branch_id FROM users WHERE id = ?').get(id) as { name: string; employee_no: string; branch_id: number };
    expect(row.name).to.equal('张三');
    const history = ctx.app.lms.db.prepare('SELECT branch_id, from_at FROM user_branch_history WHERE user_id = ?').all(id);
    expect(history).to.deep.equal([{ branch_id: row.branch_id, from_at: '2025-02-03' }]);
    const audit = ctx.app.lms.db.prepare("SELECT action FROM audit_events WHERE subject = ?").all(`user:${id}`);
    expect(audit).to.deep.equal([{ action: 'user.create' }]);
    const page = await agent.get(`/admin/users/${id}`).expect(200);
    expect(page.text).to.contain('张三');
  });

  it('re-renders the form with an error beside each bad field and saves nothing', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const before = ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM users').get();
    const form = await agent.get('/admin/users/new');
    const res = await agent.post('/admin/users').type('form').send({
      _csrf: csrfFrom(form.text), username: 'bad name!', name: '', email: 'not-an-email', hiredAt: '2025-02-30', status: 'active',
    }).expect(422);
    for (const field of ['username', 'name', 'email', 'hiredAt']) expect(res.text).to.contain(`id="${field}-error"`);
    expect(res.text).to.contain('value="not-an-email"');
    expect(ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM users').get()).to.deep.equal(before);
  });

  it('answers a duplicate username with 409 next to the field', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const form = await agent.get('/admin/users/new');
    const res = await agent.post('/admin/users').type('form').send({ _csrf: csrfFrom(form.text), username: 'root', name: '重复', status: 'active' }).expect(409);
    expect(res.text).to.contain('id="username-error"');
  });

  it('refuses an unknown branch code by field', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const form = await agent.get('/admin/users/new');
    const res = await agent.post('/admin/users').type('form').send({ _csrf: csrfFrom(form.text), username: 'x1', name: '某人', branchCode: 'NOPE', status: 'active' }).expect(422);
    expect(res.text).to.contain('id="branchCode-error"');
  });

  it('grants an hr role scoped to a branch and revokes it, both audited', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const user = await createUser(ctx.app, { username: 'hrgd', roles: [], branch: 'GD' });
    const page = await agent.get(`/admin/users/${user.id}`);
    await agent.post(`/admin/users/${user.id}/roles`).type('form').send({ _csrf: csrfFrom(page.text), role: 'hr', scopeBranchCode: 'GD' }).expect(302);
    const grants = await ctx.app.lms.repositories.users.listRoles(user.id);
    expect(grants.map((g) => [g.role, g.scopeBranchCode])).to.deep.equal([['hr', 'GD']]);
    const again = await agent.get(`/admin/users/${user.id}`);
    await agent.post(`/admin/users/${user.id}/roles/${grants[0].id}/delete`).type('form').send({ _csrf: csrfFrom(again.text) }).expect(302);
    expect(await ctx.app.lms.repositories.users.listRoles(user.id)).to.deep.equal([]);
    const actions = (ctx.app.lms.db.prepare('SELECT action FROM audit_events WHERE subject = ? ORDER BY id').all(`user:${user.id}`) as Array<{ action: string }>).map((r) => r.action);
    expect(actions).to.deep.equal(['user.create', 'role.grant', 'role.revoke']);
  });

  it('refuses an hr grant with a blank scope unless "whole bank" is ticked', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const user = await createUser(ctx.app, { username: 'hrnew', roles: [], branch: 'GD' });
    const page = await agent.get(`/admin/users/${user.id}`).expect(200);
    expect(page.text).to.match(/type="checkbox" name="wholeBank" value="1"/);
    const res = await agent.post(`/admin/users/${user.id}/roles`).type('form').send({ _csrf: csrfFrom(page.text), role: 'hr', scopeBranchCode: '  ' }).expect(422);
    expect(res.text).to.contain('id="scopeBranchCode-error"');
    expect(decodeHtml(res.text)).to.contain('人力资源角色必须指定管辖范围');
    expect(await ctx.app.lms.repositories.users.listRoles(user.id)).to.deep.equal([]);
    await agent.post(`/admin/users/${user.id}/roles`).type('form').send({ _csrf: csrfFrom(page.text), role: 'hr', scopeBranchCode: '', wholeBank: '1' }).expect(302);
    const grants = await ctx.app.lms.repositories.users.listRoles(user.id);
    expect(grants.map((g) => [g.role, g.scopeBranchId])).to.deep.equal([['hr', null]]);
  });

  it('refuses a duplicate grant with a clear message and keeps one grant', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const user = await createUser(ctx.app, { username: 'hrdup', roles: [], branch: 'GD' });
    const page = await agent.get(`/admin/users/${user.id}`);
    await agent.post(`/admin/users/${user.id}/roles`).type('form').send({ _csrf: csrfFrom(page.text), role: 'hr', scopeBranchCode: 'GD' }).expect(302);
    const res = await agent.post(`/admin/users/${user.id}/roles`).type('form').send({ _csrf: csrfFrom(page.text), role: 'hr', scopeBranchCode: 'GD' }).expect(409);
    expect(res.text).to.contain('id="role-error"');
    expect(decodeHtml(res.text)).to.contain('此人已拥有该角色（相同范围），无需重复授予。');
    await agent.post(`/admin/users/${user.id}/roles`).type('form').send({ _csrf: csrfFrom(page.text), role: 'trainer' }).expect(302);
    await agent.post(`/admin/users/${user.id}/roles`).type('form').send({ _csrf: csrfFrom(page.text), role: 'trainer' }).expect(409);
    const grants = await ctx.app.lms.repositories.users.listRoles(user.id);
    expect(grants.map((g) => [g.role, g.scopeBranchCode]).sort()).to.deep.equal([['hr', 'GD'], ['trainer', null]]);
    const grantsAudited = ctx.app.lms.db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE subject = ? AND action = 'role.grant'").get(`user:${user.id}`) as { n: number };
    expect(grantsAudited.n).to.equal(2);
  });

  it('moves a branch with its subtree and refuses a move under itself', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    await createBranch(ctx.app, 'GD-GZ', 'GD');
    await createBranch(ctx.app, 'ZJ', 'HO');
    const gd = (await ctx.app.lms.repositories.branches.findByCode('GD'))!;
    const form = await agent.get(`/admin/branches/${gd.id}`);
    await agent.post(`/admin/branches/${gd.id}`).type('form').send({ _csrf: csrfFrom(form.text), code: 'GD', name: '广东省分行', parentCode: 'ZJ' }).expect(302);
    const zj = (await ctx.app.lms.repositories.branches.findByCode('ZJ'))!;
    const gz = (await ctx.app.lms.repositories.branches.findByCode('GD-GZ'))!;
    expect(gz.path.startsWith(`${zj.path}${gd.id}/`)).to.equal(true);
    const again = await agent.get(`/admin/branches/${gd.id}`);
    await agent.post(`/admin/branches/${gd.id}`).type('form').send({ _csrf: csrfFrom(again.text), code: 'GD', name: '广东省分行', parentCode: 'GD-GZ' }).expect(422);
  });

  it('pages through users by keyset, 50 at a time', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const insert = ctx.app.lms.db.prepare("INSERT INTO users (username, name, status, created_at, updated_at) VALUES (?, ?, 'active', '2026-01-01', '2026-01-01')");
    ctx.app.lms.db.transaction(() => { for (let i = 0; i < 120; i++) insert.run(`bulk${i}`, `批量${i}`); })();
    const first = await agent.get('/admin/users').expect(200);
    const next = /href="\/admin\/users\?after=(\d+)"/.exec(decodeHtml(first.text));
    expect(next, 'a next-page link').to.not.equal(null);
    const second = await agent.get(`/admin/users?after=${next![1]}`).expect(200);
    const names = (html: string) => [...html.matchAll(/<a href="\/admin\/users\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(names(first.text)).to.have.length(50);
    expect(names(second.text)).to.have.length(50);
    expect(names(second.text).filter((n) => names(first.text).includes(n))).to.deep.equal([]);
    const search = await agent.get(`/admin/users?q=${encodeURIComponent('批量11')}`).expect(200);
    expect(names(search.text)).to.have.members(['批量11', '批量110', '批量111', '批量112', '批量113', '批量114', '批量115', '批量116', '批量117', '批量118', '批量119']);
  });
});
