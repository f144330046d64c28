import { expect } from 'chai';
import fs from 'node:fs';
import crypto from 'node:crypto';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, csrfFrom, csrfToken, signIn, type TestContext } from '../../helpers/test-app.js';
import { startInbox, type Inbox } from '../../notify/smtp-inbox.js';
import { runCli, runCliAsync } from '../../helpers/run-cli.js';
import type { LmsApp } from '../../../server/app.js';

const LINK = /\/password\/set\?token=([A-Za-z0-9_-]{43})/;

/** An imported employee: a roster row with an address and no password. */
async function employee(app: LmsApp, username: string, branch: string, email: string | null = `${username}@bank.test`) {
  return app.lms.services.org.createUser({
    username, employeeNo: `N-${username}`, name: `员工 ${username}`, email, branchCode: branch, position: null, hiredAt: '2024-01-01', status: 'active', password: null,
  }, null, [{ role: 'employee', scopeBranchId: null }]);
}

async function waitForMail(inbox: Inbox, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (inbox.messages.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${inbox.messages.length}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function linkIn(text: string): string {
  const match = LINK.exec(text);
  if (!match) throw new Error(`no link in mail: ${text}`);
  return match[0];
}

describe('invitations and password resets by e-mail (real SMTP server)', () => {
  let inbox: Inbox;
  let ctx: TestContext;

  beforeEach(async () => {
    inbox = await startInbox();
    ctx = buildTestApp({ smtpUrl: inbox.url, publicUrl: 'http://lms.test' });
    await createBranch(ctx.app, 'HQ', null);
    await createBranch(ctx.app, 'B1', 'HQ');
    await createBranch(ctx.app, 'B11', 'B1');
    await createBranch(ctx.app, 'B2', 'HQ');
  });
  afterEach(async () => {
    ctx.close();
    await inbox.close();
  });

  async function invite(agent: ReturnType<typeof supertest.agent>, form: Record<string, string>) {
    const page = await agent.get('/admin/invitations').expect(200);
    return agent.post('/admin/invitations').type('form').send({ ...form, _csrf: csrfFrom(page.text) });
  }

  it('an imported employee is invited, sets a password, signs in; the link cannot be used twice', async () => {
    await createUser(ctx.app, { username: 'boss', roles: ['admin'] });
    const li = await employee(ctx.app, 'li', 'B1');
    const { agent: admin } = await signIn(ctx.app, 'boss');
    const sent = await invite(admin, { target: 'person', person: 'N-li' });
    expect(sent.status).to.equal(200);
    expect(sent.text).to.contain('邀请已发送');
    await waitForMail(inbox, 1);
    const mail = inbox.to('li@bank.test')[0];
    expect(mail.subject).to.equal('培训系统账号：请设置密码');
    expect(mail.text).to.contain('li').and.contain('http://lms.test/password/set?token=');
    const link = linkIn(mail.text);
    const token = LINK.exec(link)![1];
    // Only the SHA-256 is stored.
    const stored = ctx.app.lms.db.prepare('SELECT token_hash, purpose, used_at FROM password_tokens').all() as Array<{ token_hash: string; purpose: string; used_at: string | null }>;
    expect(stored).to.deep.equal([{ token_hash: crypto.createHash('sha256').update(token).digest('hex'), purpose: 'invite', used_at: null }]);
    expect(JSON.stringify(ctx.app.lms.db.prepare('SELECT * FROM audit_events').all())).not.to.contain(token);

    const browser = supertest.agent(ctx.app);
    const form = await browser.get(link).expect(200);
    expect(form.text).to.contain('li');
    await browser.post('/password/set').type('form').send({ token, password: 'short', confirm: 'short', _csrf: csrfFrom(form.text) }).expect(422);
    const done = await browser.post('/password/set').type('form').send({ token, password: 'my-new-password-1', confirm: 'my-new-password-1', _csrf: csrfFrom(form.text) }).expect(200);
    expect(done.text).to.contain('密码已保存');
    const { location } = await signIn(ctx.app, 'li', 'my-new-password-1');
    expect(location).to.equal('/me');
    // Second use: refused, the password stays.
    const again = await supertest.agent(ctx.app).get(link).expect(410);
    expect(again.text).to.contain('此链接已过期或已被使用');
    const replay = supertest.agent(ctx.app);
    const page = await replay.get('/password/forgot');
    await replay.post('/password/set').type('form').send({ token, password: 'attacker-pass-99', confirm: 'attacker-pass-99', _csrf: csrfFrom(page.text) }).expect(410);
    await signIn(ctx.app, 'li', 'my-new-password-1');
    const actions = (ctx.app.lms.db.prepare(`SELECT action FROM audit_events WHERE subject = ? ORDER BY id`).all(`user:${li.id}`) as Array<{ action: string }>).map((a) => a.action);
    expect(actions).to.include.members(['auth.invitation_sent', 'auth.invitation_accepted']);
  });

  it('hr invites a branch subtree within their scope only; nobody with a password or an open invitation is mailed twice', async () => {
    const hrB1 = await createUser(ctx.app, { username: 'hr1', roles: [{ role: 'hr', scope: 'B1' }] });
    await employee(ctx.app, 'a', 'B1');
    await employee(ctx.app, 'b', 'B11');
    await employee(ctx.app, 'c', 'B2');
    await employee(ctx.app, 'noaddress', 'B1', null);
    await createUser(ctx.app, { username: 'haspassword', roles: ['employee'], branch: 'B1' });
    const { agent } = await signIn(ctx.app, 'hr1');
    const page = await agent.get('/admin/invitations').expect(200);
    expect(page.text).not.to.contain('value="everyone"');
    expect((await invite(agent, { target: 'branch', branchCode: 'B1' })).status).to.equal(202);
    await waitForMail(inbox, 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(inbox.messages.flatMap((m) => m.to).sort()).to.deep.equal(['a@bank.test', 'b@bank.test']);
    // Outside the scope, or everyone: refused.
    expect((await invite(agent, { target: 'branch', branchCode: 'B2' })).status).to.equal(403);
    expect((await invite(agent, { target: 'person', person: 'c' })).status).to.equal(403);
    expect((await invite(agent, { target: 'everyone' })).status).to.equal(403);
    // Again: the open invitations are skipped unless resent.
    await invite(agent, { target: 'branch', branchCode: 'B1' });
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.messages).to.have.length(2);
    expect(hrB1.id).to.be.a('number');
  });

  it('an invitation link expires', async () => {
    await employee(ctx.app, 'late', 'B1');
    const scope = { userId: (await ctx.app.lms.repositories.users.findByUsername('late'))!.id };
    await ctx.app.lms.signIn.links.invite(scope, null);
    await waitForMail(inbox, 1);
    ctx.clock.advance(15 * 86_400_000);
    await supertest(ctx.app).get(linkIn(inbox.messages[0].text)).expect(410);
  });

  it('forgotten password: the same answer for known and unknown addresses, a mail only to the known one; setting the password ends other sessions', async () => {
    const user = await createUser(ctx.app, { username: 'zhou', roles: ['employee'], branch: 'B1' });
    await ctx.app.lms.repositories.users.update(user.id, { ...user, email: 'Zhou@Bank.test' }, { actorId: null });
    const { agent: elsewhere } = await signIn(ctx.app, 'zhou');
    await elsewhere.get('/me').expect(200);

    const ask = async (email: string) => {
      const browser = supertest.agent(ctx.app);
      const page = await browser.get('/password/forgot').expect(200);
      const res = await browser.post('/password/forgot').type('form').send({ email, _csrf: csrfFrom(page.text) }).expect(200);
      return res.text.replace(/name="_csrf" value="[^"]+"/g, '');
    };
    const unknown = await ask('nobody@bank.test');
    const known = await ask('zhou@bank.test');
    expect(known).to.equal(unknown);
    expect(known).to.contain('如果有账号使用此邮箱地址');
    await waitForMail(inbox, 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(inbox.messages).to.have.length(1);
    const mail = inbox.messages[0];
    expect(mail.to.map((a) => a.toLowerCase())).to.deep.equal(['zhou@bank.test']);
    expect(mail.subject).to.equal('重置培训系统密码');

    const browser = supertest.agent(ctx.app);
    const form = await browser.get(linkIn(mail.text)).expect(200);
    const token = LINK.exec(mail.text)![1];
    await browser.post('/password/set').type('form').send({ token, password: 'reset-password-22', confirm: 'reset-password-22', _csrf: csrfFrom(form.text) }).expect(200);
    // The session signed in with the old password is over.
    await elsewhere.get('/me').expect(302);
    await signIn(ctx.app, 'zhou', 'reset-password-22');
    const audit = ctx.app.lms.db.prepare(`SELECT action FROM audit_events WHERE subject = ? AND action LIKE 'auth.%' ORDER BY id`).all(`user:${user.id}`) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).to.include.members(['auth.reset_requested', 'auth.password_reset']);
  });

  it('invites everyone in batches without holding the event loop (the app answers during the run)', async () => {
    for (let i = 0; i < 250; i++) await employee(ctx.app, `bulk${i}`, i % 2 ? 'B1' : 'B2');
    const run = ctx.app.lms.signIn.links.invite({ everyone: true }, null);
    let finished = false;
    void run.then(() => { finished = true; });
    await supertest(ctx.app).get('/healthz').expect(200);
    const answeredDuringRun = !finished;
    const report = await run;
    expect(answeredDuringRun).to.equal(true);
    expect(report).to.deep.equal({ invited: 250, failed: 0 });
    expect(inbox.messages).to.have.length(250);
    expect(ctx.app.lms.db.prepare(`SELECT COUNT(*) AS n FROM password_tokens`).get()).to.deep.equal({ n: 250 });
  });

  it('`lms invite` sends the same invitations from the command line', async () => {
    await employee(ctx.app, 'cli1', 'B1');
    await employee(ctx.app, 'cli2', 'B11');
    await employee(ctx.app, 'cli3', 'B2');
    ctx.app.lms.close();
    const dataDir = ctx.dataDir;
    ctx = { ...ctx, close: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
    const env = { LMS_SMTP_URL: inbox.url, LMS_PUBLIC_URL: 'http://lms.test' };
    expect(runCli(dataDir, ['invite'], env).status).to.equal(2);
    const result = await runCliAsync(dataDir, ['invite', '--branch', 'B1'], env);
    expect(result.stderr, result.stdout).to.equal('');
    expect(result.status).to.equal(0);
    expect(result.stdout).to.contain('Invitations: 2 sent, 0 failed.');
    expect(inbox.messages.flatMap((m) => m.to).sort()).to.deep.equal(['cli1@bank.test', 'cli2@bank.test']);
  });

  it('says plainly when no mail server is configured', async () => {
    ctx.close();
    ctx = buildTestApp({});
    await createUser(ctx.app, { username: 'boss', roles: ['admin'] });
    const { agent } = await signIn(ctx.app, 'boss');
    const page = await agent.get('/admin/invitations').expect(200);
    expect(page.text).to.contain('无法发送邀请');
    const res = await agent.post('/admin/invitations').type('form').send({ target: 'everyone', _csrf: await csrfToken(agent, '/admin/invitations') });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('未配置邮件服务器');
  });
});
