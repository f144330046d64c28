import { expect } from 'chai';
import supertest from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, serve, signInPage } from '../helpers/browser.js';
import { seriousViolations } from '../helpers/axe.js';
import { internalCodesIn } from '../helpers/internal-codes.js';
import { buildTestApp, createBranch, createUser, csrfFrom, decodeHtml, signIn, TEST_PASSWORD, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';
import { newCertificateSerial } from '../../server/certification/serial.js';
import { CERTIFICATION_COLUMNS } from '../../server/reports/export-columns.js';
import { csv, EMPLOYEE_HEADER } from '../org/roster/roster-support.js';

// Issue 17 items 1, 11, 12 and 13 in Chromium, plus the phone header's menu, English course titles
// for staff and the dashboard's typed date: at 1366×768 and 390×844, zh-CN and en, axe on every page.
const VIEWPORTS = [{ name: 'desktop', width: 1366, height: 768 }, { name: 'phone', width: 390, height: 844 }] as const;
const LOCALES = ['zh-CN', 'en'] as const;
const COMBOS = VIEWPORTS.flatMap((viewport) => LOCALES.map((locale) => ({ viewport, locale, tag: `${locale}-${viewport.name}` })));
type Combo = (typeof COMBOS)[number];

const TITLE_ZH = '高尔夫规则入门';
const TITLE_EN = 'Golf rules for beginners';

describe('issue 17 in Chromium: words not codes, roster cells, role grants, audit log, phone header (1366×768 and 390×844, zh-CN and en)', function () {
  this.timeout(240_000);
  let ctx: TestContext;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let learnerNo: string;
  /** Per combination: a roster person (with a certificate to revoke) and someone to grant roles to. */
  const people = new Map<string, { employeeNo: string; serial: string; granteeId: number }>();
  const db = () => ctx.app.lms.db;

  before(async () => {
    ctx = buildTestApp();
    const { app } = ctx;
    await createBranch(app, 'HO', null, '总行');
    await createBranch(app, 'GD', 'HO', '广东省分行');
    await createBranch(app, 'SZ', 'GD', '深圳分行');
    await createBranch(app, 'BJ', 'HO', '北京分行');
    await createUser(app, { username: 'tr', roles: ['trainer'], branch: 'HO', name: '培训管理员' });
    await createUser(app, { username: 'hrgd', roles: [{ role: 'hr', scope: 'GD' }], branch: 'GD', name: '广东人事' });
    await createUser(app, { username: 'root', roles: ['admin'], branch: 'HO', name: '系统管理员' });
    const learner = await createUser(app, { username: 'emp', roles: ['employee'], branch: 'SZ', name: '王小明', position: '柜员' });
    learnerNo = learner.employeeNo!;

    // A course with a Chinese and an English title, assigned to GD; the learner finishes it and fails.
    await publishCourse(app, 'tr', 'GOLF', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
    const trainer = (await signIn(app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/assignments').expect(200)).text);
    await trainer.patch('/api/courses/GOLF').set('X-CSRF-Token', token).send({ title: TITLE_ZH }).expect(200);
    await trainer.put('/api/courses/GOLF/english').set('X-CSRF-Token', token).send({ titleEn: TITLE_EN, descriptionEn: '' }).expect(200);
    await trainer.post('/assignments').type('form').send({ _csrf: token, course: 'GOLF', branch: 'GD', includeSubBranches: 'true', dueDate: '2026-07-31' }).expect(302);
    const learnerAgent = (await signIn(app, 'emp')).agent;
    const launch = await openPlayer(learnerAgent, 'GOLF');
    await learnerAgent.post(new URL(launch.commitUrl, 'http://x').pathname).send({
      cmi: { completion_status: 'completed', success_status: 'failed', score: { scaled: '0.3', raw: '30', min: '0', max: '100' }, session_time: 'PT5M', exit: 'normal' }, seq: 1, terminate: true,
    }).expect(200, { result: true, errorCode: 0 });

    // Four roster people (one per combination) with an e-mail and a position, imported as hr does.
    const hr = (await signIn(app, 'hrgd')).agent;
    const rows = COMBOS.map((c, i) => [`90000${i}`, `客户${i}`, `person${i}@bank.example`, 'SZ', '柜员', '2024-01-02', '']);
    await applyRoster(hr, csv([EMPLOYEE_HEADER, ...rows]));
    const course = (await app.lms.repositories.courses.findByCode('GOLF'))!;
    for (const [i, combo] of COMBOS.entries()) {
      const employeeNo = `90000${i}`;
      const holderId = db().prepare('SELECT id FROM users WHERE employee_no = ?').pluck().get(employeeNo) as number;
      const serial = newCertificateSerial();
      await app.lms.repositories.certification.issueCertificate({
        serial, userId: holderId, courseId: course.id, attemptId: null, score: 90, issuedAt: ctx.clock.now().toISOString(), expiresAt: '2027-05-31',
      });
      const grantee = await createUser(app, { username: `grantee${i}`, roles: [], branch: 'GD', name: `候选人${i}` });
      people.set(combo.tag, { employeeNo, serial, granteeId: grantee.id });
    }
    server = await serve(app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    ctx?.close();
  });

  async function applyRoster(agent: ReturnType<typeof supertest.agent>, content: string) {
    const form = await agent.get('/hr/roster').expect(200);
    const action = decodeHtml(/action="([^"]*\/hr\/roster\/preview[^"]*)"/.exec(form.text)![1]);
    const preview = await agent.post(action).attach('file', Buffer.from(content), 'roster.csv').expect(200);
    const applyForm = /<form method="post" action="[^"]*\/hr\/roster\/apply"[^>]*>([\s\S]*?)<\/form>/.exec(preview.text)![1];
    const fields = Object.fromEntries([...applyForm.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], decodeHtml(m[2])]));
    await agent.post('/hr/roster/apply').type('form').send(fields).expect(200);
  }

  async function pageFor(combo: Combo, username: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const { viewport, locale } = combo;
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, locale, isMobile: viewport.name === 'phone', hasTouch: viewport.name === 'phone', acceptDownloads: true });
    await context.addCookies([{ name: 'lms.lang', value: locale, url: server.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInPage(page, server.url, username, TEST_PASSWORD);
    return { context, page, errors };
  }

  /** axe (no serious or critical finding), no sideways scrolling, and in zh-CN no internal code in what is shown. */
  async function check(page: Page, label: string, combo: Combo) {
    expect(await seriousViolations(page), label).to.deep.equal([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label}: no sideways scrolling`).to.be.at.most(combo.viewport.width);
    if (combo.locale === 'zh-CN') expect(internalCodesIn(await page.content()), `${label}: internal codes`).to.deep.equal([]);
  }

  const en = (combo: Combo) => combo.locale === 'en';

  for (const combo of COMBOS) {
    const { tag } = combo;

    it(`item 1: the learner's attempt and hr's exports in words; English titles for staff; the typed as-of date — ${tag}`, async () => {
      const learner = await pageFor(combo, 'emp');
      await learner.page.goto(`${server.url}/me`);
      await learner.page.locator('details summary').first().click();
      const history = await learner.page.locator('details table').first().innerText();
      expect(history).to.contain(en(combo) ? 'Completed' : '已完成').and.contain(en(combo) ? 'Failed' : '未通过');
      expect(history).to.not.match(/\b(completed|failed)\b/);
      expect(await learner.page.locator('.course-card h2').first().innerText()).to.contain(en(combo) ? TITLE_EN : TITLE_ZH);
      await check(learner.page, `home ${tag}`, combo);
      await learner.context.close();

      const { context, page, errors } = await pageFor(combo, 'hrgd');
      await page.goto(`${server.url}/hr/branches/GD`);
      await check(page, `dashboard ${tag}`, combo);
      // The as-of field reads YYYY-MM-DD in both languages; a day that does not exist is refused beside the field.
      expect(await page.locator('#asOf').getAttribute('type')).to.equal('text');
      expect(await page.locator('#asOf').inputValue()).to.equal('2026-06-01');
      await page.fill('#asOf', '2026-05-31');
      await Promise.all([page.waitForURL(/asOf=2026-05-31/), page.click('form.search button[type=submit]')]);
      expect(await page.locator('#overview-title').innerText()).to.contain('2026-05-31');
      const refused = await page.goto(`${server.url}/hr/branches/GD?asOf=2026-02-30`);
      expect(refused!.status()).to.equal(422);
      expect(await page.locator('#asOf-error').innerText()).to.contain(en(combo) ? 'YYYY-MM-DD' : '年-月-日');
      expect(await page.locator('#asOf').inputValue()).to.equal('2026-02-30');
      expect(await page.locator('#asOf').getAttribute('aria-describedby')).to.contain('asOf-error');
      await check(page, `dashboard refused date ${tag}`, combo);

      // Exports: words in the reader's language by default, the machine set on request, JSON keys stable.
      const download = async (query: string) => (await page.request.get(`${server.url}/api/reports/certifications?branch=GD&${query}`)).text();
      const words = (await download('format=csv')).replace(/^\uFEFF/, '');
      const header = words.split('\r\n')[0].split(',');
      expect(header.slice(6, 8)).to.deep.equal(en(combo) ? ['Course title', 'Status'] : ['课程名称', '认证状态']);
      const learnerRow = words.split('\r\n').find((line) => line.includes(learnerNo))!;
      expect(learnerRow).to.contain(en(combo) ? `${TITLE_EN},Failed` : `${TITLE_ZH},未通过`);
      const codes = (await download('format=csv&headers=codes')).replace(/^\uFEFF/, '');
      expect(codes.split('\r\n')[0]).to.equal(CERTIFICATION_COLUMNS.join(','));
      expect(codes.split('\r\n').find((line) => line.includes(learnerNo))).to.contain(`${TITLE_ZH},failed`);
      const json = JSON.parse(await download('format=json')) as Array<Record<string, unknown>>;
      expect(Object.keys(json[0])).to.deep.equal([...CERTIFICATION_COLUMNS]);
      expect(json.find((r) => r.employee_no === learnerNo)).to.include({ status: 'failed', course_title: TITLE_ZH });

      // A person's page and the assignments name the course in the reader's language.
      await page.goto(`${server.url}/hr/employees/${learnerNo}`);
      const person = await page.locator('main').innerText();
      expect(person).to.contain(en(combo) ? TITLE_EN : TITLE_ZH);
      if (en(combo)) expect(person).to.not.contain(TITLE_ZH);
      await check(page, `person ${tag}`, combo);
      await page.goto(`${server.url}/assignments`);
      expect(await page.locator('main table').first().innerText()).to.contain(en(combo) ? TITLE_EN : TITLE_ZH);
      await check(page, `assignments ${tag}`, combo);
      expect(errors).to.deep.equal([]);
      await context.close();

      const trainer = await pageFor(combo, 'tr');
      await trainer.page.goto(`${server.url}/trainer/courses/GOLF/learners`);
      expect(await trainer.page.locator('h1').innerText()).to.contain(en(combo) ? TITLE_EN : TITLE_ZH);
      await trainer.page.goto(`${server.url}/trainer`);
      expect(await trainer.page.locator('main table').first().innerText()).to.contain(en(combo) ? TITLE_EN : TITLE_ZH);
      await trainer.context.close();
    });

    it(`the site header: compact with a Menu button on a phone, every link in view on a desktop — ${tag}`, async () => {
      const { context, page, errors } = await pageFor(combo, 'root');
      await page.goto(`${server.url}/admin`);
      const toggle = page.locator('.site-header .menu-toggle');
      const people = page.locator('.site-header nav a[href$="/hr/people"]');
      if (combo.viewport.name === 'desktop') {
        expect(await toggle.isVisible()).to.equal(false);
        expect(await people.isVisible()).to.equal(true);
      } else {
        expect((await page.locator('.site-header').boundingBox())!.height, 'closed header height').to.be.below(70);
        expect(await people.isVisible()).to.equal(false);
        expect(await toggle.evaluate((el) => el.tagName)).to.equal('BUTTON');
        expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
        await check(page, `menu closed ${tag}`, combo);
        await toggle.click();
        expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
        expect(await people.isVisible()).to.equal(true);
        expect(await page.locator('#locale-switch').isVisible()).to.equal(true);
        await check(page, `menu open ${tag}`, combo);
        // Escape folds it and gives the focus back to the button; Enter on the button opens it again.
        await page.keyboard.press('Escape');
        expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
        expect(await page.evaluate(() => document.activeElement?.classList.contains('menu-toggle'))).to.equal(true);
        await page.keyboard.press('Enter');
        expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
        await Promise.all([page.waitForURL(/\/hr\/people$/), people.click()]);
        expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
      }
      expect(errors).to.deep.equal([]);
      await context.close();

      // Without script the button stays hidden and the links show as before.
      const bare = await browser.newContext({ viewport: { width: combo.viewport.width, height: combo.viewport.height }, javaScriptEnabled: false });
      const barePage = await bare.newPage();
      await signInPage(barePage, server.url, 'root', TEST_PASSWORD);
      await barePage.goto(`${server.url}/admin`);
      expect(await barePage.locator('.site-header .menu-toggle').isVisible()).to.equal(false);
      expect(await barePage.locator('.site-header nav a[href$="/hr/people"]').isVisible()).to.equal(true);
      await bare.close();
    });

    it(`item 11: roster import keeps blank cells, clears on "-", offers a template, previews in words — ${tag}`, async () => {
      const { employeeNo } = people.get(tag)!;
      const { context, page, errors } = await pageFor(combo, 'hrgd');
      await page.goto(`${server.url}/hr/roster`);
      await check(page, `roster ${tag}`, { ...combo, locale: 'en' }); // the page documents the English column names; codes checked below
      const [template] = await Promise.all([page.waitForEvent('download'), page.click('#roster-templates a[href*="kind=employees"]:not([href*="headings"])')]);
      const bytes = await new Promise<Buffer>((resolve, reject) => {
        const parts: Buffer[] = [];
        template.createReadStream().then((s) => s.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject), reject);
      });
      expect(bytes.toString('utf8')).to.equal('\uFEFF工号,姓名,邮箱,机构代码,岗位,入职日期,状态\r\n');

      // Blank e-mail (keep), '-' position (clear), 离职 status.
      await page.setInputFiles('#file', { name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(csv([EMPLOYEE_HEADER, [employeeNo, '客户', '', 'SZ', '-', '2024-01-02', '离职']])) });
      await Promise.all([page.waitForURL(/\/hr\/roster\/preview/), page.click('form[action*="/hr/roster/preview"] button[type=submit]')]);
      const changes = await page.locator('#roster-changes').innerText();
      expect(changes).to.contain(en(combo) ? 'Position: 柜员 → —' : '岗位: 柜员 → —');
      expect(changes).to.contain(en(combo) ? 'Status: Active → Left' : '状态: 在职 → 离职');
      expect(changes).to.not.contain('@bank.example');
      expect(changes).to.not.match(/\b(branch_code|hired_at|position|status|active|left)\b/);
      await check(page, `roster preview ${tag}`, combo);
      await Promise.all([page.waitForLoadState('load'), page.click('#roster-apply button[type=submit]')]);
      await page.locator('#roster-applied').waitFor();
      await check(page, `roster applied ${tag}`, combo);
      expect(db().prepare('SELECT email, position, status FROM users WHERE employee_no = ?').get(employeeNo)).to.deep.equal({ email: `person${COMBOS.indexOf(combo)}@bank.example`, position: null, status: 'left' });
      expect(errors).to.deep.equal([]);
      await context.close();
    });

    it(`items 12 and 13: grants with the branch tree, blank scope and duplicates refused, revocation confirmed, the audit log in words — ${tag}`, async () => {
      const { serial, granteeId } = people.get(tag)!;
      const roles = () => db().prepare('SELECT ur.role, b.code FROM user_roles ur LEFT JOIN branches b ON b.id = ur.scope_branch_id WHERE ur.user_id = ?').raw().all(granteeId);
      const { context, page, errors } = await pageFor(combo, 'root');
      const grantForm = 'form[action$="/roles"]';
      await page.goto(`${server.url}/admin/users/${granteeId}`);
      await check(page, `user ${tag}`, combo);

      // hr with no scope: refused beside the field, nothing granted.
      await page.selectOption('#role', 'hr');
      await Promise.all([page.waitForLoadState('load'), page.click(`${grantForm} button[type=submit]`)]);
      expect(await page.locator('#scopeBranchCode-error').innerText()).to.contain(en(combo) ? 'scope' : '管辖范围');
      expect(roles()).to.deep.equal([]);
      await check(page, `blank scope refused ${tag}`, combo);

      // The branch from the tree picker.
      const pickGd = async () => {
        await page.selectOption('#role', 'hr');
        await page.click('#scopeBranchCode-picker [data-branch-open]');
        await page.fill('#scopeBranchCode-search', en(combo) ? 'GD' : '广东');
        await page.locator('#scopeBranchCode-picker [role="treeitem"][data-code="GD"]').waitFor();
        await page.click('#scopeBranchCode-picker [role="treeitem"][data-code="GD"] .branch-node');
        expect(await page.locator('#scopeBranchCode').inputValue()).to.equal('GD');
        await Promise.all([page.waitForLoadState('load'), page.click(`${grantForm} button[type=submit]`)]);
      };
      await pickGd();
      expect(roles()).to.deep.equal([['hr', 'GD']]);
      expect(await page.locator('ul.roles').innerText()).to.contain('GD');
      await pickGd(); // the same grant again
      expect(await page.locator('#role-error').innerText()).to.contain(en(combo) ? 'already' : '已拥有');
      expect(roles()).to.deep.equal([['hr', 'GD']]);
      await check(page, `duplicate refused ${tag}`, combo);

      // Revoking a certificate asks for confirmation: the unticked box stops the form.
      await page.goto(`${server.url}/admin/certificates?q=${serial}`);
      const row = page.locator(`tr[data-serial="${serial}"]`);
      await row.locator('input[name="reason"]').fill(en(combo) ? 'Issued by mistake' : '误发');
      await row.locator('button[type=submit]').click();
      expect(await row.locator('input[name="confirm"]').evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).to.equal(true);
      expect(db().prepare('SELECT revoked_at FROM certificates WHERE serial = ?').pluck().get(serial)).to.equal(null);
      await check(page, `certificate ${tag}`, combo);
      await row.locator('input[name="confirm"]').check();
      await Promise.all([page.waitForLoadState('load'), row.locator('button[type=submit]').click()]);
      expect(await page.locator(`tr[data-serial="${serial}"] td[data-status]`).getAttribute('data-status')).to.equal('revoked');
      expect(db().prepare('SELECT revoked_reason FROM certificates WHERE serial = ?').pluck().get(serial)).to.equal(en(combo) ? 'Issued by mistake' : '误发');
      await check(page, `certificate revoked ${tag}`, combo);

      // The audit log: names, actions in words, filtered by person, action and date.
      await page.goto(`${server.url}/admin/audit`);
      const log = await page.locator('table.audit-log').innerText();
      expect(log).to.not.match(/\buser:\d+/);
      expect(log).to.contain('系统管理员');
      await check(page, `audit ${tag}`, combo);
      await page.fill('#person', `grantee${COMBOS.indexOf(combo)}`);
      await page.selectOption('#action', 'role.grant');
      await page.fill('#from', '2026-06-01');
      await page.fill('#to', '2026-06-01');
      await Promise.all([page.waitForURL(/action=role\.grant/), page.click('#audit-filter button[type=submit]')]);
      const rows = await page.$$eval('table.audit-log tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
      expect(rows).to.have.length(1);
      expect(rows[0][1]).to.contain('系统管理员');
      expect(rows[0][2]).to.equal(en(combo) ? 'Role granted' : '授予角色');
      expect(rows[0][3]).to.contain(`候选人${COMBOS.indexOf(combo)}`);
      expect(await page.locator('#audit-person').innerText()).to.contain(`候选人${COMBOS.indexOf(combo)}`);
      await check(page, `audit filtered ${tag}`, combo);
      await page.fill('#to', '2026-05-31');
      await page.fill('#from', '2026-05-01');
      await Promise.all([page.waitForURL(/to=2026-05-31/), page.click('#audit-filter button[type=submit]')]);
      expect(await page.locator('table.audit-log').count()).to.equal(0);
      expect(errors).to.deep.equal([]);
      await context.close();
    });
  }
});
