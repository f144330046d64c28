import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { appWithG04 } from '../helpers/launch.js';
import { launchBrowser, serve, signInPage } from '../helpers/browser.js';
import { TEST_PASSWORD, type TestContext } from '../helpers/test-app.js';
import { findLeaks, neutralBankCsv } from './answer-leak.js';
import { DEFAULT_EXAM } from './exam-fixture.js';
import { seriousViolations } from '../helpers/axe.js';

describe('taking an exam in Chromium on a phone (zh-CN)', function () {
  this.timeout(90_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
  afterEach(async () => { await server?.close(); ctx?.close(); });

  it('starts, saves each answer, resumes after the tab is closed, submits and shows the result — no key before submitting', async () => {
    ctx = await appWithG04();
    const { app } = ctx;
    const trainerUser = (await app.lms.repositories.users.findByUsername('tr'))!;
    await app.lms.services.banks.importBank({ code: 'NB', title: '中性题库', bytes: Buffer.from(neutralBankCsv(20)), dryRun: false, actorId: trainerUser.id });
    await app.lms.services.exams.saveSettings({ ...trainerUser, roles: [] }, 'G04', { ...DEFAULT_EXAM, bankCode: 'NB', rules: [{ count: 4, tags: [], difficulties: [] }], passMark: 0 });
    // Enrolled (as launching the course would do), so the course has its card on the home page.
    const emp = (await app.lms.repositories.users.findByUsername('emp'))!;
    await app.lms.repositories.runtime.ensureEnrollment(emp.id, (await app.lms.repositories.courses.findByCode('G04'))!.id);
    server = await serve(app);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const bodies: Array<{ url: string; text: string }> = [];
    let submitted = false;
    context.on('response', (res) => {
      if (submitted) return;
      void res.text().then((text) => { if (!submitted) bodies.push({ url: res.url(), text }); }, () => undefined);
    });
    const page = await context.newPage();
    await signInPage(page, server.url, 'emp', TEST_PASSWORD);
    await page.goto(`${server.url}/me`);
    await page.click('a[data-exam-link="start"]');
    await page.waitForSelector('#start-exam');
    expect(await page.textContent('h1')).to.contain('考试');
    expect(await seriousViolations(page), 'start page').to.deep.equal([]);
    await page.click('#start-exam');
    await page.waitForSelector('.exam-question');
    expect(await seriousViolations(page), 'exam page').to.deep.equal([]);
    const questions = await page.$$eval('.exam-question', (els) => els.map((el) => el.getAttribute('data-question')));
    expect(questions).to.have.length(4);
    // No horizontal scrolling on the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    await page.locator(`.exam-question[data-question="${questions[0]}"] input`).first().check();
    await page.waitForSelector('#exam-save-status[data-state="saved"]');
    expect(await page.textContent('#exam-save-status')).to.equal('答案已保存');
    await page.locator(`.exam-question[data-question="${questions[1]}"] input`).nth(1).check();
    await page.waitForFunction(() => document.querySelector('#exam-save-status')?.getAttribute('data-state') === 'saved');
    const chosen = await page.locator(`.exam-question[data-question="${questions[1]}"] input`).nth(1).getAttribute('value');
    await page.close();

    const attemptId = (app.lms.db.prepare('SELECT id FROM exam_attempts').get() as { id: number }).id;
    const saved = app.lms.db.prepare('SELECT answer_json FROM exam_attempt_questions WHERE attempt_id = ? AND question_id = ?').get(attemptId, Number(questions[1])) as { answer_json: string };
    expect(JSON.parse(saved.answer_json)).to.deep.equal([chosen]);

    const again = await context.newPage();
    await again.goto(`${server.url}/me`);
    await again.click('a[data-exam-link="resume"]');
    await again.waitForSelector('.exam-question');
    expect(await again.$$eval('.exam-question', (els) => els.map((el) => el.getAttribute('data-question')))).to.deep.equal(questions);
    expect(await again.locator(`.exam-question[data-question="${questions[1]}"] input[value="${chosen}"]`).isChecked()).to.equal(true);
    expect(await again.locator(`.exam-question[data-question="${questions[0]}"] input:checked`).count()).to.equal(1);
    await again.locator(`.exam-question[data-question="${questions[2]}"] input`).first().check();
    await again.waitForFunction(() => document.querySelector('#exam-save-status')?.getAttribute('data-state') === 'saved');
    expect(findLeaks(app.lms.db, attemptId, bodies)).to.deep.equal([]);
    expect(bodies.some((b) => b.url.endsWith('/assets/exam.js'))).to.equal(true);
    submitted = true;
    // Submitting lands on the course's result page (pass mark 0: passed, certified), which links the paper's review.
    await Promise.all([again.waitForURL((u) => u.pathname === '/learn/G04/result'), again.click('#submit-exam')]);
    expect(await again.getAttribute('#course-result', 'data-outcome')).to.equal('passed');
    expect(await seriousViolations(again), 'result page').to.deep.equal([]);
    await Promise.all([again.waitForURL(/\/exam\/attempts\/\d+$/), again.click('[data-review]')]);
    expect(await again.textContent('#exam-result')).to.contain('得分');
    expect(await seriousViolations(again), 'the paper\'s review').to.deep.equal([]);
    const row = app.lms.db.prepare('SELECT submitted_by, question_count FROM exam_attempts WHERE id = ?').get(attemptId);
    expect(row).to.deep.equal({ submitted_by: 'learner', question_count: 4 });
    const answered = app.lms.db.prepare('SELECT COUNT(*) AS n FROM exam_attempt_questions WHERE attempt_id = ? AND answer_json IS NOT NULL').get(attemptId) as { n: number };
    expect(answered.n).to.equal(3);
    await context.close();
  });
});
