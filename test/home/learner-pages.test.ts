import { expect } from 'chai';
import { learnerWorld, type LearnerWorld } from './learner-world.js';
import { csrfFrom } from '../helpers/test-app.js';
import { internalCodesIn } from '../helpers/internal-codes.js';

/** The card of one course on /me: from its <li> to the next card. */
function cardOf(html: string, code: string): string {
  const start = html.indexOf(`id="course-${code}"`);
  expect(start, `card ${code}`).to.be.greaterThan(-1);
  const end = html.indexOf('<li class="card course-card', start + 1);
  return html.slice(start, end === -1 ? undefined : end);
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('employee home, result page and certificates (issue 17)', function () {
  this.timeout(60_000);
  let world: LearnerWorld;
  before(async () => { world = await learnerWorld(); });
  after(() => world.ctx.close());

  it('each card tells its state: status, countdown, score of this cycle, attempts left and one primary action', async () => {
    const html = (await world.learner.get('/me').expect(200)).text;
    const statuses = Object.fromEntries([...html.matchAll(/id="course-([A-Z]+)"[\s\S]*?data-status="([a-z_]+)"/g)].map((m) => [m[1], m[2]]));
    expect(statuses).to.deep.equal({ LATE: 'overdue', EXPG: 'expiring', EXAM: 'failed', FAIL: 'failed', PROG: 'in_progress', REVK: 'not_started', PASS: 'certified' });

    // After a failed exam: failed, the exam score against the pass mark, attempts left, retake the exam.
    const exam = cardOf(html, 'EXAM');
    expect(exam).to.contain('data-score-basis="exam"');
    expect(text(exam)).to.contain('考试成绩 20 分（及格 60 分）');
    expect(exam).to.contain('data-exam-used="1" data-exam-left="1"');
    expect(exam).to.match(/class="button primary" href="\/learn\/EXAM\/exam" data-action="exam" data-exam-link="start">重新考试</);

    // No attempts left: failed, the score that counted, an explanation and no primary action.
    const none = cardOf(html, 'FAIL');
    expect(none).to.contain('data-lessons-used="1" data-lessons-left="0"');
    expect(none).to.contain('data-blocked="lessons"');
    expect(none).not.to.contain('button primary');
    expect(text(none)).to.contain('最近成绩 40');

    // Revoked: a notice with the date and reason; no progress or score from the voided cycle.
    const revoked = cardOf(html, 'REVK');
    expect(text(revoked)).to.contain('您的证书已于 2026-06-01 撤销，需要重新学习并通过考核。 撤销原因：考核记录有误，需重新考核');
    expect(revoked).to.contain('data-revoked="2026-06-01"');
    expect(revoked).not.to.contain('data-score');
    expect(revoked).not.to.contain('<progress');
    expect(revoked).to.match(/class="button primary" href="\/learn\/REVK" data-action="lessons">开始学习</);

    // Passed: the certificate (primary download), valid until, and the score that earned it.
    const passed = cardOf(html, 'PASS');
    expect(passed).to.match(/class="button primary" href="\/certificates\/[0-9A-Z-]+\.pdf" data-action="certificate">下载证书</);
    expect(text(passed)).to.contain('有效期至 2027-06-01');
    expect(text(passed)).to.contain('获证成绩 92');

    // Overdue by two days; due soon in two; the in-progress course resumes.
    expect(text(cardOf(html, 'LATE'))).to.contain('2026-06-04 · 已逾期 2 天');
    const progress = cardOf(html, 'PROG');
    expect(text(progress)).to.contain('2026-06-08 · 还剩 2 天');
    expect(progress).to.match(/class="button primary" href="\/learn\/PROG" data-action="lessons">继续学习</);
    // Every card has at most one primary action.
    for (const code of ['LATE', 'EXPG', 'EXAM', 'FAIL', 'PROG', 'REVK', 'PASS']) expect(cardOf(html, code).match(/button primary/g)?.length ?? 0, code).to.be.at.most(1);
  });

  it('lists in-app reminders: overdue, due soon, expiring, revoked', async () => {
    const html = (await world.learner.get('/me').expect(200)).text;
    const reminders = [...html.matchAll(/data-reminder="([a-zA-Z]+)" data-course="([A-Z]+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(reminders).to.deep.equal(['overdue:LATE', 'expiring:EXPG', 'dueSoon:PROG', 'revoked:REVK']);
    expect(text(html)).to.contain('《柜面服务礼仪》已于 2026-06-04 截止，已逾期，请尽快完成。');
    expect(text(html)).to.contain('《反洗钱基础知识》将于 2026-06-08 截止（还剩 2 天）。');
  });

  it('shows English titles to en readers, the Chinese one when a course has none', async () => {
    const token = csrfFrom((await world.learner.get('/me').expect(200)).text);
    await world.learner.post('/language').type('form').send({ _csrf: token, locale: 'en', next: '' }).expect(302);
    try {
      const html = (await world.learner.get('/me').expect(200)).text;
      expect(text(cardOf(html, 'EXAM'))).to.contain('Protecting financial consumers');
      expect(text(cardOf(html, 'LATE'))).to.contain('柜面服务礼仪');
      expect(text(html)).to.contain('Anti-money-laundering basics is due on 2026-06-08 (2 days left).');
      expect(text((await world.learner.get('/me/certificates').expect(200)).text)).to.contain('Suitability management');
      expect(text((await world.learner.get('/learn/PASS/result').expect(200)).text)).to.contain('Well done, you passed this course');
    } finally {
      const back = csrfFrom((await world.learner.get('/me').expect(200)).text);
      await world.learner.post('/language').type('form').send({ _csrf: back, locale: 'zh-CN', next: '' }).expect(302);
    }
  });

  it('the result page: passed with the certificate, failed with attempts left, failed with none', async () => {
    const passed = (await world.learner.get('/learn/PASS/result').expect(200)).text;
    expect(passed).to.contain('data-outcome="passed"');
    expect(passed).to.contain(`data-certificate="${world.passedSerial}"`);
    expect(passed).to.contain(`href="/verify/${world.passedSerial}"`);
    expect(passed).to.contain(`href="/certificates/${world.passedSerial}.pdf"`);
    expect(passed).to.contain('href="/me" data-back');

    const exam = (await world.learner.get('/learn/EXAM/result').expect(200)).text;
    expect(exam).to.contain('data-outcome="failed"');
    expect(text(exam)).to.contain('很遗憾，本次未通过');
    expect(exam).to.contain('data-exam-left="1"');
    expect(exam).to.match(/href="\/learn\/EXAM\/exam\/attempts\/\d+" data-review/);

    const none = (await world.learner.get('/learn/FAIL/result').expect(200)).text;
    expect(none).to.contain('data-outcome="failed"');
    expect(none).to.contain('data-blocked="lessons"');
  });

  it('the result page is the learner\'s own: a course they are not enrolled in is 404, signed out goes to the login', async () => {
    await world.learner.get('/learn/NOPE/result').expect(404);
    const { default: supertest } = await import('supertest');
    await supertest(world.app).get('/learn/PASS/result').expect(302).expect('Location', /\/login/);
  });

  it('zh-CN: the home, every result page and My certificates show words, not internal codes', async () => {
    const pages = ['/me', '/me/certificates', ...['PROG', 'EXAM', 'FAIL', 'PASS', 'REVK', 'LATE', 'EXPG'].map((code) => `/learn/${code}/result`)];
    const problems: string[] = [];
    for (const page of pages) {
      const codes = internalCodesIn((await world.learner.get(page).expect(200)).text);
      if (codes.length) problems.push(`${page}: ${codes.join(', ')}`);
    }
    expect(problems).to.deep.equal([]);
    // The check can fail: the machine words sit in data- attributes only.
    expect(internalCodesIn('<span data-status="in_progress">学习中</span><p>not_started</p>')).to.deep.equal(['not_started']);
  });

  it('My certificates: every certificate with its state, expiry, download and verification link', async () => {
    const html = (await world.learner.get('/me/certificates').expect(200)).text;
    const states = Object.fromEntries([...html.matchAll(/data-serial="([0-9A-Z-]+)" data-state="([a-z]+)"/g)].map((m) => [m[1], m[2]]));
    const db = world.app.lms.db.prepare('SELECT c.serial, co.code FROM certificates c JOIN courses co ON co.id = c.course_id WHERE c.user_id = ?').all(world.learnerId) as Array<{ serial: string; code: string }>;
    expect(db).to.have.length(3);
    const byCode = Object.fromEntries(db.map((r) => [r.code, states[r.serial]]));
    expect(byCode).to.deep.equal({ PASS: 'valid', REVK: 'revoked', EXPG: 'expiring' });
    expect(text(html)).to.contain('2026-06-01 撤销 · 原因：考核记录有误，需重新考核');
    expect(html).to.contain(`href="/verify/${world.revokedSerial}"`);
    expect(html).not.to.contain(`href="/certificates/${world.revokedSerial}.pdf"`);
    expect(html).to.contain(`href="/certificates/${world.passedSerial}.pdf"`);
    // The header links the page for every signed-in person.
    expect(html).to.contain('<a href="/me/certificates">我的证书</a>');
  });
});
