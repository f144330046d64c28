import { expect } from 'chai';
import { createTranslator } from '../../server/i18n/i18n.js';
import { emptyScopeDigest, addToDigest } from '../../server/notify/hr-digest.js';
import { digestMail, reminderMail } from '../../server/notify/notify-messages.js';

const translator = createTranslator('zh-CN');

describe('notify messages', () => {
  it('escapes names and titles in HTML and keeps them as written in plain text', () => {
    const mail = reminderMail(translator.forLocale('en'), { name: '<b>Ann</b>' }, [
      { kind: 'expiring', deadline: '2026-06-20', daysLeft: 19, courseTitle: 'Rights & "Duties"' },
      { kind: 'overdue', deadline: '2026-05-25', daysLeft: -7, courseTitle: 'AML <basics>' },
    ], 'https://lms.test/me?x=1&y=2');
    expect(mail.text).to.contain('Hello <b>Ann</b>,');
    expect(mail.html).to.contain('Hello &lt;b&gt;Ann&lt;/b&gt;,');
    expect(mail.html).to.contain('Rights &amp; &quot;Duties&quot;');
    expect(mail.html).to.contain('href="https://lms.test/me?x=1&amp;y=2"');
    expect(mail.html).not.to.contain('<basics>');
    // Most pressing first.
    expect(mail.text.indexOf('AML <basics> is overdue')).to.be.lessThan(mail.text.indexOf('Rights & "Duties" certificate'));
    expect(mail.subject).to.equal('Training reminder: 2 required courses need your attention');
  });

  it('writes without a link when none is configured, and says what a capped list leaves out', () => {
    const digest = emptyScopeDigest();
    for (let i = 0; i < 4; i++) addToDigest(digest, 'overdue', { employeeNo: `E${i}`, name: `员工${i}`, branchName: '支行', courseTitle: '课程', deadline: '2026-05-01' }, 2);
    const mail = digestMail(translator.forLocale('zh-CN'), { name: '人事' }, '2026-06-01', [{ scope: { code: 'GD', name: '广东省分行' }, digest }], null);
    expect(mail.text).to.contain('已逾期（共 4 项）');
    expect(mail.text).to.contain('另有 2 项未列出');
    expect(mail.text).not.to.contain('http');
    expect(mail.html).not.to.contain('<a ');
  });
});
