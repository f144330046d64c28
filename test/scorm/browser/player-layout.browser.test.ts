// Issue 17 item 4, measured in Chromium: the course gets the viewport. At 1366×768 the content
// frame starts near the top with one scrollbar (the course's own); at 390×844 the contents panel
// is folded and the course starts under a compact bar; disabled Previous/Next look disabled; the
// lock on a refused lesson is drawn, not an emoji glyph; the shipped course shows no second title
// bar inside the player. zh-CN and en, axe on every state. SHOTS_DIR=<dir> keeps screenshots.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { buildAllCourses } from '../../../courses/build.js';
import { launchBrowser, signInPage } from '../../helpers/browser.js';
import { expectAccessible } from '../../helpers/axe.js';
import { createUser, TEST_PASSWORD } from '../../helpers/test-app.js';
import { sample } from '../../helpers/launch.js';
import { frameEndingWith, startLms, type LmsUnderTest } from './lms-under-test.js';
import { waitForSco } from './sequencing-driver.js';

const VIEWPORTS = [
  { name: 'desktop', width: 1366, height: 768, maxFrameTop: 80 },
  { name: 'phone', width: 390, height: 844, maxFrameTop: 120 },
] as const;
const LANGUAGES = ['zh-CN', 'en'] as const;

interface Layout { frameTop: number; frameHeight: number; scrollHeight: number; viewport: number; tocVisible: boolean; expanded: string | null }

function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const frame = document.getElementById('sco-frame')!.getBoundingClientRect();
    const toc = document.getElementById('toc');
    return {
      frameTop: frame.top, frameHeight: frame.height, scrollHeight: document.documentElement.scrollHeight, viewport: window.innerHeight,
      tocVisible: Boolean(toc && toc.getBoundingClientRect().height > 0),
      expanded: document.querySelector('[data-toc-toggle]')?.getAttribute('aria-expanded') ?? null,
    };
  });
}

/** How a control is painted: a disabled one must differ from an enabled one at a glance. */
function paint(page: Page, selector: string) {
  return page.locator(selector).first().evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, background: s.backgroundColor, borderStyle: s.borderTopStyle, cursor: s.cursor };
  });
}

describe('player layout: the course gets the screen (Chromium, 1366×768 and 390×844, zh-CN and en)', function () {
  this.timeout(240_000);
  let browser: Browser;
  let lms: LmsUnderTest;
  let workDir: string;
  const shots = process.env.SHOTS_DIR;

  before(async () => {
    browser = await launchBrowser();
    workDir = await mkdtemp(path.join(tmpdir(), 'lms-player-layout-'));
    const built = await buildAllCourses(workDir);
    lms = await startLms('same-origin');
    // A sequenced 2004 course with lessons locked in order, a 1.2 single SCO, a 1.2 multi-SCO course.
    await lms.publish('CP-101', built.find((c) => c.code === 'CP-101')!.zipPath);
    await lms.publish('CP-106', built.find((c) => c.code === 'CP-106')!.zipPath);
    await lms.publish('G12M', sample('golf-RuntimeMinimumCalls-SCORM12-multisco.zip'));
  });
  after(async () => {
    await lms?.close();
    await browser?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  for (const language of LANGUAGES) {
    for (const viewport of VIEWPORTS) {
      it(`${language}, ${viewport.name}: frame near the top, one scrollbar, contents folded on a phone, disabled controls look disabled, lock drawn`, async () => {
        // A fresh learner per case: each starts every course on its first part.
        const username = `learner-${language}-${viewport.name}`;
        const user = await createUser(lms.ctx.app, { username, roles: ['employee'], branch: 'HO', name: '李华' });
        if (language === 'en') await lms.ctx.app.lms.repositories.users.setLocale(user.id, 'en');
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        const page = await context.newPage();
        page.on('dialog', (dialog) => { void dialog.accept().catch(() => undefined); });
        try {
          await signInPage(page, lms.lmsUrl, username, TEST_PASSWORD);
          const shot = async (name: string) => { if (shots) await page.screenshot({ path: path.join(shots, `player-${name}-${viewport.name}-${language}.png`) }); };

          // SCORM 2004, sequenced, with a table of contents.
          await page.goto(`${lms.lmsUrl}/learn/CP-101`);
          await waitForSco(page, 'ITEM-L1');
          const lesson = await frameEndingWith(page, '/lesson-1.html');
          await lesson.waitForSelector('html.in-lms');
          let at = await layout(page);
          expect(at.frameTop, 'content frame top').to.be.at.most(viewport.maxFrameTop);
          expect(at.scrollHeight, 'one scrollbar: the page itself does not scroll').to.be.at.most(at.viewport);
          expect(await page.locator('html').getAttribute('lang')).to.equal(language);
          if (viewport.name === 'phone') {
            expect(at.tocVisible, 'contents folded on a phone').to.equal(false);
            expect(at.expanded).to.equal('false');
          } else {
            expect(at.tocVisible, 'contents beside the course on a wide screen').to.equal(true);
            expect(at.expanded).to.equal('true');
          }
          // One bar: the course's own title bar is not shown inside the player.
          expect(await lesson.locator('.course-title').isVisible()).to.equal(false);
          // Previous is disabled on the first lesson, Next until the lesson is done: both look it.
          const previous = page.locator('[data-seq-nav="previous"]');
          expect(await previous.isDisabled()).to.equal(true);
          const disabledPaint = await paint(page, '[data-seq-nav="previous"]');
          const enabledPaint = await paint(page, '[data-toc-toggle]');
          expect(disabledPaint.cursor).to.equal('not-allowed');
          expect(disabledPaint.borderStyle).to.equal('dashed');
          expect(disabledPaint.color).to.not.equal(enabledPaint.color);
          await shot('2004-multi-sco');
          await expectAccessible(page, `player CP-101 ${viewport.name} ${language}`);

          if (viewport.name === 'phone') {
            await page.click('[data-toc-toggle]');
            at = await layout(page);
            expect(at.tocVisible, 'contents open on request').to.equal(true);
            expect(at.expanded).to.equal('true');
            expect(at.scrollHeight, 'still one scrollbar with the contents open').to.be.at.most(at.viewport);
            expect(at.frameHeight, 'the course keeps a usable part of the screen').to.be.at.least(160);
            await shot('2004-multi-sco-contents-open');
            await expectAccessible(page, `player CP-101 contents open ${language}`);
          }
          // The lock on a lesson not yet open is a drawn shape (a mask), with no glyph to miss.
          const lock = await page.locator('.toc a[aria-disabled="true"]').first().evaluate((a) => {
            const after = getComputedStyle(a, '::after');
            return { content: after.content, mask: after.maskImage || after.webkitMaskImage, width: parseFloat(after.width) };
          });
          expect(lock.content).to.equal('""');
          expect(lock.mask).to.match(/^url\("data:image\/svg\+xml/);
          expect(lock.width).to.be.greaterThan(8);

          // SCORM 1.2, one SCO: no contents, no Previous/Next, the exit only.
          await page.goto(`${lms.lmsUrl}/learn/CP-106`);
          await page.frameLocator('#sco-frame').locator('html.in-lms').waitFor({ state: 'attached' });
          at = await layout(page);
          expect(at.frameTop).to.be.at.most(viewport.maxFrameTop);
          expect(at.scrollHeight).to.be.at.most(at.viewport);
          expect(await page.locator('[data-toc-toggle]').count()).to.equal(0);
          expect(await page.locator('.player-nav .button').count()).to.equal(1);
          await shot('12-single-sco');
          await expectAccessible(page, `player CP-106 ${viewport.name} ${language}`);

          // SCORM 1.2, several SCOs without sequencing: on the first, Previous is there and disabled.
          await page.goto(`${lms.lmsUrl}/learn/G12M`);
          at = await layout(page);
          expect(at.frameTop).to.be.at.most(viewport.maxFrameTop);
          expect(at.scrollHeight).to.be.at.most(at.viewport);
          expect(await page.locator('.player-nav button[disabled]').count()).to.equal(1);
          expect(await page.locator('[data-nav="next"]').count()).to.equal(1);
          expect((await paint(page, '.player-nav button[disabled]')).borderStyle).to.equal('dashed');
          expect((await paint(page, '[data-nav="next"]')).borderStyle).to.equal('solid');
          await shot('12-multi-sco');
          await expectAccessible(page, `player G12M ${viewport.name} ${language}`);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('remembers a folded contents panel on a wide screen for the session', async () => {
    const user = await createUser(lms.ctx.app, { username: 'folder', roles: ['employee'], branch: 'HO' });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    try {
      await signInPage(page, lms.lmsUrl, 'folder', TEST_PASSWORD);
      await page.goto(`${lms.lmsUrl}/learn/G12M`);
      expect((await layout(page)).tocVisible).to.equal(true);
      await page.click('[data-toc-toggle]');
      expect((await layout(page)).tocVisible).to.equal(false);
      await page.goto(`${lms.lmsUrl}/learn/G12M`);
      const at = await layout(page);
      expect(at.tocVisible).to.equal(false);
      expect(at.expanded).to.equal('false');
      expect(user.id).to.be.a('number');
    } finally {
      await context.close();
    }
  });
});
