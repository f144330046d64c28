import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, decodeHtml, signIn, type TestContext } from '../helpers/test-app.js';

/** Rows of the log table: [actor, action words, action code, subject]. */
function rows(html: string): string[][] {
  const table = /<table class="audit-log">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr data-id="\d+"><td>[^<]*<\/td><td>([^<]*)<\/td><td data-action="([^"]*)">([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((m) => [decodeHtml(m[1]), decodeHtml(m[3]), m[2], decodeHtml(m[4])]);
}

describe('audit log page: names, actions in words, filters, keyset pages', () => {
  let ctx: TestContext;
  let subjectId: number;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null, '总行');
    await createBranch(ctx.app, 'GD', 'HO', '广东省分行');
    await createUser(ctx.app, { username: 'root', roles: ['admin'], branch: 'HO', name: '管理员甲' });
    ctx.app.lms.db.prepare("UPDATE users SET employee_no = 'A001' WHERE username = 'root'").run();
    subjectId = (await createUser(ctx.app, { username: 'zhang', roles: [], branch: 'GD', name: '张三' })).id;
    // A role grant through the page on 2026-06-03 (Shanghai), so the log has a real, dated action by a person.
    ctx.clock.set('2026-06-03T03:00:00Z');
    const { agent } = await signIn(ctx.app, 'root');
    const page = await agent.get(`/admin/users/${subjectId}`);
    await agent.post(`/admin/users/${subjectId}/roles`).type('form').send({ _csrf: csrfFrom(page.text), role: 'trainer' }).expect(302);
    ctx.clock.set('2026-06-05T03:00:00Z');
  });
  afterEach(() => ctx.close());

  it('shows people by name and actions in words, in zh-CN and en', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const res = await agent.get('/admin/audit').expect(200);
    const grant = rows(res.text).find((r) => r[2] === 'role.grant')!;
    expect(grant.slice(0, 3)).to.deep.equal(['管理员甲（A001）', '授予角色', 'role.grant']);
    expect(grant[3]).to.match(/^张三（E\d+）$/);
    expect(rows(res.text).map((r) => r[3]).join(' ')).to.not.match(/user:\d+/);
    ctx.app.lms.db.prepare("UPDATE users SET locale = 'en' WHERE username = 'root'").run();
    const en = await agent.get('/admin/audit').expect(200);
    expect(rows(en.text).find((r) => r[2] === 'role.grant')!.slice(0, 2)).to.deep.equal(['管理员甲（A001）', 'Role granted']);
    const home = await agent.get('/admin').expect(200);
    expect(rows(home.text).find((r) => r[2] === 'role.grant')![1]).to.equal('Role granted');
  });

  it('filters by person (by or about them), by action and by date range', async () => {
    const { agent } = await signIn(ctx.app, 'root');
    const about = rows((await agent.get('/admin/audit?person=zhang').expect(200)).text);
    expect(about.map((r) => r[2]).sort()).to.deep.equal(['role.grant', 'user.create']);
    const byAction = rows((await agent.get('/admin/audit?action=role.grant').expect(200)).text);
    expect(byAction.map((r) => r[2])).to.deep.equal(['role.grant']);
    const onThatDay = rows((await agent.get('/admin/audit?from=2026-06-03&to=2026-06-03').expect(200)).text);
    expect(onThatDay.map((r) => r[2])).to.include('role.grant').and.not.include('user.create');
    const before = rows((await agent.get('/admin/audit?to=2026-06-02').expect(200)).text);
    expect(before.map((r) => r[2])).to.not.include('role.grant');
    const unknown = await agent.get('/admin/audit?person=nobody').expect(200);
    expect(decodeHtml(unknown.text)).to.contain('没有此登录名或工号的人员。');
    expect(rows(unknown.text)).to.deep.equal([]);
    const bad = await agent.get('/admin/audit?action=drop.table&from=2026-06-09&to=2026-06-01').expect(422);
    expect(bad.text).to.contain('id="action-error"').and.contain('id="to-error"');
  });

  it('pages by keyset, 50 at a time, each page a bounded index range', async () => {
    const audit = ctx.app.lms.repositories.audit;
    for (let i = 0; i < 120; i++) await audit.append({ actorId: null, action: 'report.export', subject: `branch:${i}` });
    const { agent } = await signIn(ctx.app, 'root');
    const first = await agent.get('/admin/audit?action=report.export').expect(200);
    const next = /<a rel="next" href="([^"]+)"/.exec(first.text);
    expect(next, 'a link to older events').to.not.equal(null);
    const second = await agent.get(decodeHtml(next![1])).expect(200);
    const ids = (html: string) => [...html.matchAll(/<tr data-id="(\d+)">/g)].map((m) => Number(m[1]));
    expect(ids(first.text)).to.have.length(50);
    expect(ids(second.text)).to.have.length(50);
    expect(Math.min(...ids(first.text))).to.be.greaterThan(Math.max(...ids(second.text)));
    expect(rows(first.text)[0].slice(0, 2)).to.deep.equal(['系统', '导出报表']);
    // No shape of filter may scan the whole table.
    const db = ctx.app.lms.db;
    const plans = [
      'SELECT * FROM audit_events WHERE id < 9e15 AND id >= 0 AND id <= 9e15 ORDER BY id DESC LIMIT 51',
      "SELECT * FROM audit_events WHERE id < 9e15 AND id >= 0 AND id <= 9e15 AND actor_id = 1 AND action = 'x' ORDER BY id DESC LIMIT 51",
      "SELECT * FROM audit_events WHERE id < 9e15 AND id >= 0 AND id <= 9e15 AND subject = 'user:1' ORDER BY id DESC LIMIT 51",
      "SELECT * FROM audit_events WHERE id < 9e15 AND id >= 0 AND id <= 9e15 AND action = 'x' ORDER BY id DESC LIMIT 51",
    ].map((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; '));
    for (const plan of plans) expect(plan).to.match(/SEARCH audit_events USING (INTEGER PRIMARY KEY|(COVERING )?INDEX)/).and.not.match(/USE TEMP B-TREE/);
  });

  it('is for administrators only', async () => {
    await createUser(ctx.app, { username: 'hr1', roles: [{ role: 'hr', scope: 'GD' }], branch: 'GD' });
    const { agent } = await signIn(ctx.app, 'hr1');
    await agent.get('/admin/audit').expect(403);
  });
});
