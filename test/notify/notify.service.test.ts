import { expect } from 'chai';
import { buildTestApp } from '../helpers/test-app.js';
import { startInbox, type Inbox, type ReceivedMail } from './smtp-inbox.js';
import { buildNotifyScenario, PUBLIC_URL, type NotifyScenario } from './notify-scenario.js';

describe('notify: reminder e-mails and hr digests', function () {
  this.timeout(60_000);
  let inbox: Inbox;
  let s: NotifyScenario;

  beforeEach(async () => {
    inbox = await startInbox();
    s = await buildNotifyScenario({ smtpUrl: inbox.url, mailFrom: 'LMS <lms@bank.test>' });
  });
  afterEach(async () => {
    s.ctx.close();
    await inbox.close();
  });

  const notify = () => s.ctx.app.lms.services.notify;
  const only = (address: string): ReceivedMail => {
    const mails = inbox.to(address);
    expect(mails, `mails to ${address}`).to.have.length(1);
    return mails[0];
  };

  it('reminds each employee of what is due, overdue or expiring, and nobody else', async () => {
    const summary = await notify().run();
    const { ann, bo, cai } = s.people;
    const { c1 } = s.courses;

    const annMail = only(ann.email!);
    expect(annMail.subject).to.equal('Training reminder: 1 required course needs your attention');
    expect(annMail.text).to.contain(`${c1.title} is due on 2026-06-05 (4 days left)`);
    expect(annMail.text).to.contain(`${PUBLIC_URL}/me`);
    expect(annMail.html).to.contain(`href="${PUBLIC_URL}/me"`);
    expect(annMail.from).to.equal('lms@bank.test');

    const boMail = only(bo.email!);
    expect(boMail.subject).to.contain('培训提醒');
    expect(boMail.text).to.contain(`《${c1.title}》已逾期，截止日期为 2026-05-25`);
    expect(boMail.text).to.contain('薄一，您好');

    const caiMail = only(cai.email!);
    expect(caiMail.text).to.contain(`您的《${c1.title}》证书将于 2026-06-20 到期`);

    // dan is on time and certified, fan has left, eve has no address; staff accounts have nothing assigned.
    for (const address of [s.people.dan.email, s.people.fan.email, s.accounts.admin.email, s.accounts.trainer.email, s.accounts.hrSh.email]) {
      expect(inbox.to(address!), address!).to.deep.equal([]);
    }
    expect(summary.reminders).to.deep.equal({ overdue: 1, due_soon: 1, expiring: 1 });
    expect(summary.reminderMails).to.equal(3);
    expect(summary.skippedNoEmail).to.equal(1);
    expect(summary.failed).to.equal(0);
  });

  it('sends each hr user a digest of their own subtree only', async () => {
    await notify().run();
    const { bo, eve, cai, ann } = s.people;

    const gd = only(s.accounts.hrGd.email!);
    expect(gd.subject).to.equal('合规培训日报（2026-06-01）：逾期 2 项，证书即将到期 0 项');
    expect(gd.text).to.contain('广东省分行（GD）及下级机构');
    expect(gd.text).to.contain(`${bo.employeeNo} 薄一（广东省分行）`);
    expect(gd.text).to.contain(`${eve.employeeNo} 伊娃（天河支行）`);
    expect(gd.text).not.to.contain(cai.name);
    // GD's subtree has five assigned courses of active staff: bo, eve overdue; ann not started; dan's C1 and C2.
    expect(gd.text).to.contain('已逾期 2, 学习中 0, 未通过 0, 未开始 2');
    expect(gd.text).to.contain('已认证 1');
    expect(gd.html).to.contain(`href="${PUBLIC_URL}/hr"`);

    const zj = only(s.accounts.hrZj.email!);
    expect(zj.subject).to.equal('Training compliance digest (2026-06-01): 0 overdue, 1 expiring');
    expect(zj.text).to.contain(`${cai.employeeNo} 蔡三 (浙江省分行)`);
    expect(zj.text).not.to.contain(bo.name);

    const all = only(s.accounts.hrAll.email!);
    expect(all.text).to.contain('全行');
    for (const name of [bo.name, eve.name, cai.name]) expect(all.text).to.contain(name);
    expect(all.text).not.to.contain(ann.name); // due soon is counted, not listed

    expect(inbox.to(s.accounts.hrSh.email!)).to.deep.equal([]); // nothing to report in SH
    expect(inbox.to(s.accounts.admin.email!)).to.deep.equal([]);
  });

  it('sends one digest to an hr user holding nested scopes, and one per scope they hold apart', async () => {
    const { users, branches } = s.ctx.app.lms.repositories;
    await users.grantRole(s.accounts.hrGd.id, 'hr', (await branches.findByCode('GD-GZ'))!.id, { actorId: null });
    await users.grantRole(s.accounts.hrZj.id, 'hr', (await branches.findByCode('GD'))!.id, { actorId: null });
    await notify().run();
    const gd = only(s.accounts.hrGd.email!);
    expect(gd.text).not.to.contain('天河支行（GD-GZ）及下级机构'); // inside GD, already covered
    expect(gd.text.match(/已逾期（共 2 项）/g)).to.have.length(1);
    const zj = only(s.accounts.hrZj.email!);
    expect(zj.subject).to.equal('Training compliance digest (2026-06-01): 2 overdue, 1 expiring');
    expect(zj.text).to.contain('浙江省分行 (ZJ) and its sub-branches');
    expect(zj.text).to.contain('广东省分行 (GD) and its sub-branches');
  });

  it('sends nothing twice, and a new situation once', async () => {
    await notify().run();
    const first = inbox.messages.length;
    const again = await notify().run();
    expect(inbox.messages.length).to.equal(first);
    expect(again.reminderMails).to.equal(0);
    expect(again.digests).to.equal(0);
    expect(again.alreadySent).to.equal(3);

    // Ann's due date passes: she is overdue now. The others' reminders are about the same deadlines.
    s.ctx.clock.set('2026-06-06T02:00:00Z');
    const later = await notify().run();
    const annMails = inbox.to(s.people.ann.email!);
    expect(annMails).to.have.length(2);
    expect(annMails[1].text).to.contain(`${s.courses.c1.title} is overdue: it was due on 2026-06-05`);
    for (const p of [s.people.bo, s.people.cai]) expect(inbox.to(p.email!), p.name).to.have.length(1);
    expect(later.reminders).to.deep.equal({ overdue: 1, due_soon: 0, expiring: 0 });
    // A new local day: each hr user with something to report gets that day's digest.
    expect(later.digests).to.equal(3);
    expect(inbox.to(s.accounts.hrGd.email!)[1].subject).to.contain('逾期 3 项');

    const total = inbox.messages.length;
    await notify().run();
    expect(inbox.messages.length).to.equal(total);
  });

  it('leaves reminders the mail server refused for the next run', async () => {
    inbox.isRefusing = true;
    const refused = await notify().run();
    expect(inbox.messages).to.deep.equal([]);
    expect(refused.failed).to.be.greaterThan(0);
    expect(refused.reminderMails + refused.digests).to.equal(0);
    const sent = s.ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM notifications_sent').get() as { n: number };
    expect(sent.n).to.equal(0);

    inbox.isRefusing = false;
    const retried = await notify().run();
    expect(retried.failed).to.equal(0);
    expect(retried.reminderMails).to.equal(3);
    expect(retried.digests).to.equal(3);
    for (const p of [s.people.ann, s.people.bo, s.people.cai]) expect(inbox.to(p.email!), p.name).to.have.length(1);
  });

  it('a dry run tells what would go out and sends and records nothing', async () => {
    const dry = await notify().run({ dryRun: true });
    expect(dry.reminderMails).to.equal(3);
    expect(dry.digests).to.equal(3);
    expect(inbox.messages).to.deep.equal([]);
    const real = await notify().run();
    expect(real.reminderMails).to.equal(3);
    expect(inbox.messages).to.have.length(6);
  });

  it('runs as of a chosen local date', async () => {
    // On 2026-05-20 bo and eve are due in five days; Ann's due date is too far off to mention.
    const summary = await notify().run({ asOfDate: '2026-05-20' });
    expect(summary.reminders).to.deep.equal({ overdue: 0, due_soon: 1, expiring: 0 });
    expect(only(s.people.bo.email!).text).to.contain('2026-05-25');
    expect(inbox.to(s.people.ann.email!)).to.deep.equal([]);
    // Nobody is overdue yet and 蔡三's certificate is 31 days from expiry: no digests.
    expect(summary.digests).to.equal(0);
  });
});

describe('notify without a mail server', () => {
  it('says mail is disabled and records nothing', async () => {
    const ctx = buildTestApp();
    try {
      const summary = await ctx.app.lms.services.notify.run();
      expect(summary.mailDisabled).to.equal(true);
      expect(summary.learnersChecked).to.equal(0);
      const sent = ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM notifications_sent').get() as { n: number };
      expect(sent.n).to.equal(0);
    } finally {
      ctx.close();
    }
  });
});
