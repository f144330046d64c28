// Issue 17 item 6 in Chromium, 1366×768 and 390×844, zh-CN and en: the trainer uploads through the
// page's script (a refused package and a dropped connection said in the reader's language, where
// the problem is), gets a readable proposed code, renames the course and sets both titles (the
// save confirmed), and publishes with the one publish button. axe on every page state; no page
// wider than the phone. SHOTS_DIR=<dir> keeps screenshots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, serve, signInPage } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { buildTestApp, createBranch, createUser, TEST_PASSWORD, type TestContext } from '../helpers/test-app.js';
import { writeZip } from '../helpers/zip-builder.js';
import { SAMPLES_DIR } from '../helpers/samples.js';

const VIEWPORTS = [{ name: 'desktop', width: 1366, height: 768 }, { name: 'phone', width: 390, height: 844 }] as const;

const WORDS = {
  'zh-CN': {
    refused: '课件包没有上传成功', launchMissing: '课件包缺少某一节的启动文件', where: '位置：', network: '网络连接中断，上传没有完成',
    uploadedNew: '取自课件包，可以在下方「课程信息」中修改', saved: '课程信息已保存。', renamed: '课程代码已从', published: '已发布第 1 版。', save: '保存课程信息', publish: '发布',
  },
  en: {
    refused: 'The package was not uploaded', launchMissing: 'The package lacks the file that starts one of its parts', where: 'Where: ', network: 'The connection dropped and the upload did not finish',
    uploadedNew: 'come from the package; change them below', saved: 'Course details saved.', renamed: 'The course code changed from', published: 'Version 1 is published.', save: 'Save course details', publish: 'Publish',
  },
} as const;

const manifest = (identifier: string, title: string) => `<?xml version="1.0"?>
<manifest identifier="${identifier}" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG"><organization identifier="ORG"><title>${title}</title>
    <item identifier="I1" identifierref="R1"><title>Lesson</title></item></organization></organizations>
  <resources><resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>`;

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe('trainer course pages in Chromium (1366×768 and 390×844, zh-CN and en)', function () {
  this.timeout(240_000);
  let browser: Browser;
  let ctx: TestContext;
  let server: { url: string; close(): Promise<void> };
  let dir: string;
  const shots = process.env.SHOTS_DIR;
  const broken = path.join(SAMPLES_DIR, 'broken-captivate9-placementtest-missing-launch-SCORM12.zip');

  before(async () => {
    browser = await launchBrowser();
    ctx = buildTestApp();
    server = await serve(ctx.app);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-trainer-browser-'));
    await createBranch(ctx.app, 'HO', null);
  });
  after(async () => {
    await server?.close();
    await browser?.close();
    ctx?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const language of ['zh-CN', 'en'] as const) {
    for (const viewport of VIEWPORTS) {
      it(`${language}, ${viewport.name}: upload problems in words, a readable code, rename with both titles, one publish button`, async () => {
        const words = WORDS[language];
        const tag = `${language === 'en' ? 'EN' : 'ZH'}-${viewport.name === 'phone' ? 'P' : 'D'}`;
        const username = `tr-${tag}`;
        const user = await createUser(ctx.app, { username, roles: ['trainer'], branch: 'HO' });
        if (language === 'en') await ctx.app.lms.repositories.users.setLocale(user.id, 'en');
        // The authoring tool's random identifier, as in the issue; a title with Latin words.
        const zip = path.join(dir, `${tag}.zip`);
        await writeZip(zip, [{ name: 'imsmanifest.xml', data: manifest(`GH-bJJ0vJoTU6Ky${tag.replace('-', '')}hSA2mL99ulHR1REMQ`, `bacon ${tag}`) }, { name: 'index.html', data: '<p>hi</p>' }]);
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        const page = await context.newPage();
        const shot = async (name: string) => { if (shots) await page.screenshot({ path: path.join(shots, `trainer-${name}-${viewport.name}-${language}.png`), fullPage: true }); };
        try {
          await signInPage(page, server.url, username, TEST_PASSWORD);
          await page.goto(`${server.url}/trainer`);
          expect(await page.locator('html').getAttribute('lang')).to.equal(language);
          await expectAccessible(page, `course list ${language} ${viewport.name}`);
          expect(await pageWidth(page)).to.be.at.most(viewport.width);
          await shot('course-list');

          // A refused package through the script: what and where, in the reader's language.
          await page.setInputFiles('#package', broken);
          await page.click('#upload-form button[type=submit]');
          const problems = page.locator('#upload-problems');
          await problems.waitFor({ state: 'visible' });
          const said = await problems.innerText();
          expect(said).to.contain(words.refused);
          expect(said).to.contain(words.launchMissing);
          expect(said).to.contain(`${words.where}index_scorm.html`);
          expect(said).to.not.match(/[A-Z]+_[A-Z_]+/);
          await expectAccessible(page, `refused upload ${language} ${viewport.name}`);
          expect(await pageWidth(page)).to.be.at.most(viewport.width);
          await shot('upload-refused');

          // The connection drops: said in words, not "Network error".
          await page.route('**/api/courses', (route) => route.abort('connectionreset'));
          await page.click('#upload-form button[type=submit]');
          await page.waitForFunction((text) => document.getElementById('upload-problems')!.innerText.includes(text), words.network);
          await page.unroute('**/api/courses');

          // A good package without a code: a readable code proposed, said where to change it.
          await page.setInputFiles('#package', zip);
          await Promise.all([page.waitForURL(/\/trainer\/courses\/BACON-/), page.click('#upload-form button[type=submit]')]);
          const proposed = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
          expect(proposed).to.equal(`BACON-${tag}`);
          expect(await page.locator('#upload-notice').innerText()).to.contain(words.uploadedNew);
          await expectAccessible(page, `course page after upload ${language} ${viewport.name}`);
          expect(await pageWidth(page)).to.be.at.most(viewport.width);
          await shot('course-uploaded');

          // Rename, both titles; the save is confirmed and the old code named.
          await page.fill('#code', `FOOD-${tag}`);
          await page.fill('#title', '食品安全基础');
          await page.fill('#titleEn', 'Food safety basics');
          await Promise.all([page.waitForURL(/saved=1/), page.getByRole('button', { name: words.save }).click()]);
          expect(new URL(page.url()).pathname).to.equal(`/trainer/courses/FOOD-${tag}`);
          const notice = await page.locator('#saved-notice').innerText();
          expect(notice).to.contain(words.saved);
          expect(notice).to.contain(`${words.renamed} BACON-${tag}`);
          expect(await page.locator('h1').innerText()).to.contain(language === 'en' ? 'Food safety basics' : '食品安全基础');
          await expectAccessible(page, `course saved ${language} ${viewport.name}`);
          await shot('course-saved');

          // A bad code stays on the page with the reason beside the field.
          await page.fill('#code', 'bad code!');
          await page.locator('#code').evaluate((input) => input.removeAttribute('required'));
          await page.getByRole('button', { name: words.save }).click();
          await page.locator('#code-error').waitFor();
          expect(await page.locator('#code').getAttribute('aria-invalid')).to.equal('true');
          await expectAccessible(page, `course code refused ${language} ${viewport.name}`);
          await shot('course-code-refused');

          // One publish button.
          await page.goto(`${server.url}/trainer/courses/FOOD-${tag}`);
          expect(await page.locator('form[action$="/publish"] button[type=submit]').count()).to.equal(1);
          await Promise.all([page.waitForURL(/published=1/), page.locator('#publish-form').getByRole('button', { name: words.publish, exact: true }).click()]);
          expect(await page.locator('#published-notice').innerText()).to.contain(words.published);
          await expectAccessible(page, `course published ${language} ${viewport.name}`);
          expect(await pageWidth(page)).to.be.at.most(viewport.width);
          await shot('course-published');
          const row = ctx.app.lms.db.prepare('SELECT code, title, title_en, status FROM courses WHERE code = ?').get(`FOOD-${tag}`);
          expect(row).to.deep.equal({ code: `FOOD-${tag}`, title: '食品安全基础', title_en: 'Food safety basics', status: 'published' });
        } finally {
          await context.close();
        }
      });
    }
  }
});
