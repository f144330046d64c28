import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, serve, signInPage } from '../helpers/browser.js';
import { seriousViolations } from '../helpers/axe.js';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, TEST_PASSWORD, type TestContext } from '../helpers/test-app.js';
import { publishCourse, sample } from '../helpers/launch.js';

/** Screenshots for review go here when LMS_SHOTS_DIR is set (never committed). */
const SHOTS = process.env.LMS_SHOTS_DIR ?? null;
const VIEWPORTS = [{ name: 'desktop', width: 1366, height: 768 }, { name: 'phone', width: 390, height: 844 }] as const;
const LOCALES = ['zh-CN', 'en'] as const;

describe('issue 17 in Chromium: learner list, branch picker, assignment edit, people search (1366×768 and 390×844, zh-CN and en)', function () {
  this.timeout(240_000);
  let ctx: TestContext;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let assignmentId: number;
  let personNo: string;

  before(async () => {
    ctx = buildTestApp();
    const { app } = ctx;
    await createBranch(app, 'HO', null, '总行');
    await createBranch(app, 'GD', 'HO', '广东省分行');
    await createBranch(app, 'SZ', 'GD', '深圳分行');
    await createBranch(app, 'GZ', 'GD', '广州分行');
    await createBranch(app, 'BJ', 'HO', '北京分行');
    await createUser(app, { username: 'tr', roles: ['trainer'], branch: 'HO', name: '培训管理员' });
    await createUser(app, { username: 'hrgd', roles: [{ role: 'hr', scope: 'GD' }], branch: 'HO', name: '广东人事' });
    await createUser(app, { username: 'root', roles: ['admin'], branch: 'HO', name: '系统管理员' });
    const people = [['王小明', 'SZ', '柜员'], ['王芳', 'GZ', '客户经理'], ['李雷', 'SZ', '柜员'], ['韩梅梅', 'BJ', '柜员'], ['张伟', 'GZ', '大堂经理']] as const;
    for (const [name, branch, position] of people) await createUser(app, { name, branch, position, roles: ['employee'], password: null });
    personNo = app.lms.db.prepare("SELECT employee_no FROM users WHERE name = '王小明'").pluck().get() as string;
    await publishCourse(app, 'tr', 'GOLF', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
    const trainer = (await signIn(app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/assignments').expect(200)).text);
    await trainer.post('/assignments').type('form').send({ _csrf: token, course: 'GOLF', branch: 'GD', includeSubBranches: 'true', dueDate: '2026-07-31' }).expect(302);
    assignmentId = app.lms.db.prepare('SELECT id FROM assignments').pluck().get() as number;
    server = await serve(app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    ctx?.close();
  });

  async function contextFor(viewport: (typeof VIEWPORTS)[number], locale: (typeof LOCALES)[number]): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, locale, isMobile: viewport.name === 'phone', hasTouch: viewport.name === 'phone' });
    await context.addCookies([{ name: 'lms.lang', value: locale, url: server.url }]);
    return context;
  }

  async function check(page: Page, label: string, viewport: (typeof VIEWPORTS)[number]) {
    expect(await seriousViolations(page), label).to.deep.equal([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label}: no sideways scrolling`).to.be.at.most(viewport.width);
  }

  /** The whole page, and (when `focus` is given) the screen around that element as a person sees it. */
  async function shot(page: Page, name: string, focus?: string) {
    if (!SHOTS) return;
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    if (focus) {
      await page.locator(focus).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(SHOTS, `${name}-screen.png`) });
    }
  }

  for (const viewport of VIEWPORTS) {
    for (const locale of LOCALES) {
      const tag = `${locale}-${viewport.name}`;

      it(`trainer filters the learner list with the branch picker (keyboard), exports and reminds — ${tag}`, async () => {
        const context = await contextFor(viewport, locale);
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await signInPage(page, server.url, 'tr', TEST_PASSWORD);
        await page.goto(`${server.url}/trainer/courses/GOLF/learners`);
        await check(page, `learners ${tag}`, viewport);

        // The picker replaces the code field: open it, search, go into the tree with the keyboard.
        expect(await page.locator('#branch').getAttribute('type')).to.equal('hidden');
        await page.click('#branch-picker [data-branch-open]');
        await page.locator('#branch-picker [role="treeitem"][data-code="HO"]').waitFor();
        await page.keyboard.press('ArrowDown'); // from the search box into the tree
        expect(await page.evaluate(() => document.activeElement?.getAttribute('data-code'))).to.equal('HO');
        await page.keyboard.press('ArrowRight'); // open 总行
        await page.locator('#branch-picker [role="treeitem"][data-code="GD"]').waitFor();
        await page.keyboard.press('ArrowRight'); // to its first child
        expect(await page.evaluate(() => document.activeElement?.getAttribute('data-code'))).to.equal('BJ');
        await page.keyboard.press('ArrowDown');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('data-code'))).to.equal('GD');
        await page.keyboard.press('ArrowRight');
        await page.locator('#branch-picker [role="treeitem"][data-code="SZ"]').waitFor();
        await check(page, `picker open ${tag}`, viewport);
        await shot(page, `picker-open-${tag}`, '#branch-picker');
        await page.keyboard.press('ArrowLeft'); // close 广东省分行 again
        expect(await page.locator('#branch-picker [role="treeitem"][data-code="GD"]').getAttribute('aria-expanded')).to.equal('false');
        await page.keyboard.press('Enter'); // pick it
        expect(await page.locator('#branch').inputValue()).to.equal('GD');
        expect(await page.locator('#branch-picker [data-branch-panel]').isHidden()).to.equal(true);
        expect(await page.textContent('#branch-chosen')).to.contain('GD');

        // Search in the picker too.
        await page.click('#branch-picker [data-branch-open]');
        await page.fill('#branch-search', locale === 'en' ? 'SZ' : '深圳');
        await page.locator('#branch-picker [role="treeitem"][data-code="SZ"]').waitFor();
        await page.click('#branch-picker [role="treeitem"][data-code="SZ"] .branch-node');
        expect(await page.locator('#branch').inputValue()).to.equal('SZ');

        await page.selectOption('#status', 'not_started');
        await Promise.all([page.waitForURL(/branch=SZ/), page.click('#learner-filters button[type=submit]')]);
        const shown = await page.$$eval('#learners tbody tr', (rows) => rows.map((r) => r.querySelector('td:nth-child(3)')?.textContent?.trim()));
        expect(shown.sort()).to.deep.equal(['李雷', '王小明']);
        await check(page, `learners filtered ${tag}`, viewport);
        await shot(page, `learners-filtered-${tag}`, '#learners-heading');
        expect(await page.getAttribute('[data-export="csv"]', 'href')).to.contain('branch=SZ').and.contain('status=not_started');

        // Bulk remind: tick one, confirm, done.
        await page.check(`#learners tbody tr:has-text("王小明") input[type=checkbox]`);
        await Promise.all([page.waitForURL(/learners\/bulk$/), page.click('#bulk-form button[type=submit]')]);
        await page.locator('[data-confirm]').waitFor();
        await check(page, `bulk confirm ${tag}`, viewport);
        await shot(page, `bulk-confirm-${tag}`);
        await Promise.all([page.waitForLoadState('load'), page.click('[data-confirm] button[type=submit]')]);
        await page.locator('[data-outcome]').waitFor();
        await check(page, `bulk done ${tag}`, viewport);
        expect(errors).to.deep.equal([]);
        await context.close();
      });

      it(`trainer edits an assignment: branch from the tree, positions from the roster, the effect said before saving — ${tag}`, async () => {
        const context = await contextFor(viewport, locale);
        const page = await context.newPage();
        await signInPage(page, server.url, 'tr', TEST_PASSWORD);
        await page.goto(`${server.url}/assignments`);
        await check(page, `assignments ${tag}`, viewport);
        await page.click(`tr[data-assignment="${assignmentId}"] a[href$="/edit"]`);
        await page.locator('#branch-picker').waitFor();
        expect(await page.textContent('#branch-chosen')).to.contain('广东省分行');
        await check(page, `assignment edit ${tag}`, viewport);
        await shot(page, `assignment-edit-${tag}`);
        await page.check('input[name="positions"][value="柜员"]');
        await page.fill('#dueDate', '2026-09-30');
        await Promise.all([page.waitForLoadState('load'), page.click('form.card button[type=submit]')]);
        await page.locator('[data-consequences]').waitFor();
        const said = await page.textContent('[data-consequences]');
        expect(said).to.match(locale === 'en' ? /keep their progress.*2026-09-30/ : /保留学习进度.*2026-09-30/);
        await check(page, `assignment confirm ${tag}`, viewport);
        await shot(page, `assignment-confirm-${tag}`);
        await page.goto(`${server.url}/assignments/${assignmentId}/remove`);
        await check(page, `assignment remove ${tag}`, viewport);
        await context.close();
      });

      it(`hr searches people within the subtree and opens a person's page; admin grants with the picker — ${tag}`, async () => {
        const context = await contextFor(viewport, locale);
        const page = await context.newPage();
        await signInPage(page, server.url, 'hrgd', TEST_PASSWORD);
        await page.goto(`${server.url}/hr/people`);
        await page.fill('#q', '王');
        await Promise.all([page.waitForURL(/q=/), page.click('form[role=search] button[type=submit]')]);
        const found = await page.$$eval('#people tbody tr', (rows) => rows.map((r) => r.getAttribute('data-person')));
        expect(found).to.have.length(2); // 王小明 and 王芳 are in GD; 韩梅梅 (BJ) is not a 王 anyway
        await check(page, `people ${tag}`, viewport);
        await shot(page, `people-search-${tag}`);
        await Promise.all([page.waitForURL(/\/hr\/employees\//), page.click(`#people tr[data-person="${personNo}"] a`)]);
        await page.locator('#covers').waitFor();
        await check(page, `person ${tag}`, viewport);
        await shot(page, `person-${tag}`, 'h1');
        await context.close();

        const admin = await contextFor(viewport, locale);
        const adminPage = await admin.newPage();
        await signInPage(adminPage, server.url, 'root', TEST_PASSWORD);
        const hrId = ctx.app.lms.db.prepare("SELECT id FROM users WHERE username = 'hrgd'").pluck().get() as number;
        await adminPage.goto(`${server.url}/admin/users/${hrId}`);
        expect(await adminPage.locator('#scopeBranchCode').getAttribute('type')).to.equal('hidden');
        await adminPage.click('#scopeBranchCode-picker [data-branch-open]');
        await adminPage.locator('#scopeBranchCode-picker [role="treeitem"][data-code="HO"]').waitFor();
        await check(adminPage, `grants ${tag}`, viewport);
        await shot(adminPage, `grants-picker-${tag}`, '#scopeBranchCode-picker');
        await admin.close();
      });
    }
  }
});
