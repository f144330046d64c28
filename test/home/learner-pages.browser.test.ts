// Issue 17, items 2, 3 and 5 in Chromium: the employee home (cards in every state, reminders), the
// result page and My certificates, at 1366×768 and 390×844, in zh-CN and en, with axe; then the
// two ways a course ends — the last SCO finishing in the player, and an exam submitted — landing
// on the result page. LMS_SHOTS_DIR=<folder> saves screenshots for review.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, serve, signInPage } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { sample } from '../helpers/launch.js';
import { TEST_PASSWORD } from '../helpers/test-app.js';
import { frameEndingWith } from '../scorm/browser/lms-under-test.js';
import { scoApi } from '../scorm/browser/sco-api.js';
import { COURSES, learnerWorld, type LearnerWorld } from './learner-world.js';

const VIEWPORTS = [{ name: 'desktop', width: 1366, height: 768 }, { name: 'phone', width: 390, height: 844 }] as const;
const LOCALES = ['zh-CN', 'en'] as const;
const SHOTS = process.env.LMS_SHOTS_DIR ?? null;

async function shoot(page: Page, name: string, selector?: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: true });
}

async function setLocale(page: Page, locale: string): Promise<void> {
  await page.selectOption('#locale-switch', locale);
  await Promise.all([page.waitForLoadState('load'), page.click('.header-tools form.inline button[type=submit] >> nth=0')]);
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
}

/** The page fits the viewport's width: nothing to scroll sideways. */
async function expectNoSidewaysScroll(page: Page, width: number, where: string): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${where}: page width`).to.be.at.most(width);
}

describe('learner pages in Chromium (issue 17: cards, result page, certificates)', function () {
  this.timeout(240_000);
  let browser: Browser;
  let world: LearnerWorld;
  let server: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    world = await learnerWorld();
    // A SCORM 1.2 course the learner opens from "other courses": one SCO, finished by the content.
    await world.app.lms.services.ingest.ingest({ zipPath: sample('golf-RuntimeBasicCalls-SCORM12.zip'), code: 'G12', uploadedBy: null });
    await world.app.lms.services.courses.publish('G12', (await world.app.lms.repositories.users.findByUsername('tr'))!.id);
    server = await serve(world.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    world?.ctx.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`home, result pages and certificates at ${viewport.width}×${viewport.height}, zh-CN and en, pass axe`, async () => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', ...(viewport.name === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await signInPage(page, server.url, 'emp', TEST_PASSWORD);
      for (const locale of LOCALES) {
        await page.goto(`${server.url}/me`);
        await setLocale(page, locale);
        const tag = `${viewport.name}-${locale}`;
        await page.goto(`${server.url}/me`);
        // Each state has its own badge colour; every card at most one primary action.
        const badges = await page.$$eval('.course-card .badge', (els) => els.map((el) => `${el.getAttribute('data-status')}:${getComputedStyle(el).backgroundColor}`));
        const colours = new Map(badges.map((b) => b.split(':') as [string, string]));
        expect(new Set(colours.values()).size, `distinct badge colours ${badges.join(' ')}`).to.equal(colours.size);
        expect(colours.size).to.equal(6); // overdue, expiring, failed, in_progress, not_started, certified
        expect(await page.locator('[data-reminder]').count()).to.equal(4);
        await expectAccessible(page, `/me ${tag}`);
        await expectNoSidewaysScroll(page, viewport.width, `/me ${tag}`);
        await shoot(page, `home-${tag}`);
        const states: Record<string, string> = { inProgress: COURSES.inProgress, failedWithAttemptsLeft: COURSES.failedLeft, failedNoneLeft: COURSES.failedNone, passedCertificate: COURSES.passed, revoked: COURSES.revoked, overdue: COURSES.overdue, expiring: COURSES.expiring };
        for (const [state, code] of Object.entries(states)) await shoot(page, `card-${state}-${tag}`, `#course-${code}`);
        if (await page.locator('.reminders').count()) await shoot(page, `reminders-${tag}`, '.reminders');

        for (const code of [COURSES.passed, COURSES.failedLeft, COURSES.failedNone]) {
          await page.goto(`${server.url}/learn/${code}/result`);
          await page.waitForSelector('#course-result');
          await expectAccessible(page, `/learn/${code}/result ${tag}`);
          await expectNoSidewaysScroll(page, viewport.width, `result ${code} ${tag}`);
          await shoot(page, `result-${code}-${tag}`);
        }
        await page.goto(`${server.url}/me/certificates`);
        expect(await page.locator('.certificate-item').count()).to.equal(3);
        await expectAccessible(page, `/me/certificates ${tag}`);
        await expectNoSidewaysScroll(page, viewport.width, `certificates ${tag}`);
        await shoot(page, `certificates-${tag}`);
      }
      await setLocale(page, 'zh-CN');
      expect(problems).to.deep.equal([]);
      await context.close();
    });
  }

  it('the last SCO finishing in the player lands on the result page (no dead end), with the way back home', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.on('dialog', (dialog) => { void dialog.accept().catch(() => undefined); });
    await signInPage(page, server.url, 'emp', TEST_PASSWORD);
    await page.goto(`${server.url}/learn/G12`);
    const frame = await frameEndingWith(page, '/shared/launchpage.html');
    const api = scoApi(frame, '1.2');
    await frame.waitForFunction('window.parent.API && window.parent.API.LMSGetValue("cmi.core.student_id") !== ""');
    await api.set({ 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '85', 'cmi.core.exit': '' });
    // As the content's "finish and exit" does: LMSFinish, and nothing else.
    await Promise.all([page.waitForURL((u) => u.pathname === '/learn/G12/result', { timeout: 15_000 }), api.finish()]);
    await page.waitForSelector('#course-result');
    expect(await page.getAttribute('#course-result', 'data-outcome')).to.equal('passed');
    const serial = await page.getAttribute('[data-certificate]', 'data-certificate');
    const db = world.app.lms.db.prepare("SELECT c.serial, c.score FROM certificates c JOIN courses co ON co.id = c.course_id WHERE co.code = 'G12'").get() as { serial: string; score: number };
    expect(serial).to.equal(db.serial);
    expect(db.score).to.equal(85);
    expect(await page.locator(`a[href="/certificates/${db.serial}.pdf"]`).count()).to.equal(1);
    await expectAccessible(page, '/learn/G12/result');
    await shoot(page, 'result-after-player-phone-zh-CN');
    await Promise.all([page.waitForURL((u) => u.pathname === '/me'), page.click('[data-back]')]);
    await context.close();
  });

  it('an exam submitted lands on the result page: failed, no attempts left, the paper to review', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await signInPage(page, server.url, 'emp', TEST_PASSWORD);
    await page.goto(`${server.url}/me`);
    await Promise.all([page.waitForURL(/\/learn\/EXAM\/exam$/), page.click(`#course-${COURSES.failedLeft} a[data-exam-link="start"]`)]);
    await page.click('#start-exam');
    await page.waitForSelector('.exam-question');
    await Promise.all([page.waitForURL((u) => u.pathname === '/learn/EXAM/result'), page.click('#submit-exam')]);
    expect(await page.getAttribute('#course-result', 'data-outcome')).to.equal('failed');
    expect(await page.getAttribute('[data-blocked]', 'data-blocked')).to.equal('exam');
    expect(await page.getAttribute('[data-exam-left]', 'data-exam-left')).to.equal('0');
    const review = await page.getAttribute('[data-review]', 'href');
    const newest = world.app.lms.db.prepare("SELECT a.id, a.submitted_by FROM exam_attempts a JOIN courses c ON c.id = a.course_id WHERE c.code = 'EXAM' ORDER BY a.id DESC").get() as { id: number; submitted_by: string };
    expect(review).to.equal(`/learn/EXAM/exam/attempts/${newest.id}`);
    expect(newest.submitted_by).to.equal('learner');
    await expectAccessible(page, '/learn/EXAM/result after the exam');
    await shoot(page, 'result-after-exam-desktop-zh-CN');
    await context.close();
  });
});
