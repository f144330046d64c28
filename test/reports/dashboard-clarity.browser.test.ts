/**
 * Issue 17 item 10, looked at in Chromium on a desktop and a phone, in Chinese and English: both
 * compliance rates shown and explained, the figures and the staff list from one moment (the list's
 * heading counts the people it pages through), long course titles readable in the chart, every
 * branch row rolled up with its sub-branches, dates written one way. axe finds nothing serious.
 * Screenshots go to /work/shots/h14/ when that folder exists (for people to look at).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { seriousViolations } from '../helpers/axe.js';
import { launchBrowser, serve, signInPage } from '../helpers/browser.js';
import { createUser, TEST_PASSWORD } from '../helpers/test-app.js';
import { addCertificate, addCourse, assign } from './report-fixtures.js';
import { buildReportScenario, type ReportScenario } from './report-scenario.js';

const SHOTS = '/work/shots/h14';
const LONG_TITLE = '银行业金融机构消费者权益保护工作管理办法及个人金融信息保护专题培训（2026年度全员必修）';
const LONG_TITLE_EN = 'Consumer rights protection in banking: the 2026 mandatory programme for all staff, with personal financial information';

const VIEWPORTS = [{ width: 1366, height: 768 }, { width: 390, height: 844 }];
const INTERNAL_CODES = /\b(in_progress|not_started|certified|expiring|overdue|failed|expired|complianceRate)\b/;

describe('hr dashboard clarity (issue 17 item 10) in a browser', function () {
  this.timeout(180_000);
  let browser: Browser;
  let s: ReportScenario;
  let server: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    browser = await launchBrowser();
    s = await buildReportScenario();
    const { app } = s.ctx;
    // Two more courses with long titles, and one person certified in everything assigned (GD).
    const long = addCourse(app, 'C9', LONG_TITLE);
    const longEn = addCourse(app, 'C8', LONG_TITLE_EN);
    const sun = await createUser(app, { roles: ['employee'], branch: 'GD', name: '孙八', position: '理财经理' });
    for (const courseId of [long, longEn]) {
      assign(app, sun.id, courseId, '2026-09-30');
      addCertificate(app, { serial: `LONG-${courseId}`, userId: sun.id, courseId, issuedAt: '2026-05-02T03:00:00.000Z', expiresAt: '2027-05-02' });
    }
    assign(app, s.people.qian.id, long, '2026-05-20');
    server = await serve(app);
    if (fs.existsSync(path.dirname(SHOTS))) fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser.close();
    await server.close();
    s.ctx.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    for (const viewport of VIEWPORTS) {
      it(`explains both rates, agrees with its list and wraps long titles — ${locale}, ${viewport.width}×${viewport.height}`, async () => {
        s.ctx.app.lms.db.prepare('UPDATE users SET locale = ? WHERE username = ?').run(locale, 'admin');
        const context = await browser.newContext({ viewport, locale, ...(viewport.width < 500 ? { isMobile: true, hasTouch: true } : {}) });
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('pageerror', (error) => problems.push(error.message));
        page.on('response', (response) => { if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`); });
        try {
          await signInPage(page, server.url, 'admin', TEST_PASSWORD);
          await page.goto(`${server.url}/hr/branches/GD`);
          await page.waitForFunction(() => {
            const chart = (window as unknown as { Chart?: { getChart(c: Element): unknown } }).Chart;
            return !!chart && !!chart.getChart(document.getElementById('chart-by-course')!);
          });

          // Both rates, labelled, with the counts they come from and how they are counted.
          const overview = page.locator('section.overview');
          const text = (await overview.innerText()).replace(/\s+/g, ' ');
          expect(text).to.contain(locale === 'en' ? 'Compliance (per enrolment)' : '合规率（按课程）');
          expect(text).to.contain(locale === 'en' ? 'Compliance (per person)' : '合规率（按人）');
          expect(await overview.locator('[data-figure="person-rate"]').innerText()).to.match(/^\d+\.\d%$/);
          await overview.locator('details.rate-help summary').click();
          expect(await overview.locator('details.rate-help').innerText()).to.contain(locale === 'en' ? 'Staff certified (or expiring) in every assigned course' : '应训课程全部已认证');

          // Figures and list: one moment, and the heading counts exactly the people listed.
          expect(await page.locator('[data-snapshot]').innerText()).to.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
          const heading = await page.locator('#people-title').innerText();
          const listed = await page.locator('#people-title + .table-wrap tbody tr').count();
          expect(Number(/(\d+)/.exec(heading.replace(/^\D*\(?/, ''))![1]), heading).to.equal(listed);
          expect(listed).to.equal(3); // 钱七, 赵六, 孙八

          // Every branch row rolls up its sub-branches, and says so.
          expect(await page.locator('#branch-tree thead th').first().innerText()).to.equal(locale === 'en' ? 'Branch (with sub-branches)' : '机构（含下级机构）');
          const gdHeadcount = Number(await page.locator('#branch-tree tr.tree-root td').first().innerText());
          const gzHeadcount = Number(await page.locator('#branch-tree tr[data-code="GD-GZ"] td').first().innerText());
          expect(gdHeadcount).to.equal(listed + gzHeadcount);

          // Long course titles: broken into lines in the chart, the box grown to hold them.
          const chart = await page.evaluate(() => {
            const canvas = document.getElementById('chart-by-course')!;
            const c = (window as unknown as { Chart: { getChart(e: Element): { data: { labels: unknown[] }; scales: { y: { ticks: unknown[] } } } } }).Chart.getChart(canvas);
            return { labels: c.data.labels, ticks: c.scales.y.ticks.length, boxHeight: canvas.parentElement!.getBoundingClientRect().height };
          });
          expect(chart.ticks, 'every course named on the axis').to.equal(chart.labels.length);
          const longLabel = chart.labels.find((l) => Array.isArray(l) && (l as string[]).join('').startsWith('银行业金融机构')) as string[];
          expect(longLabel, JSON.stringify(chart.labels)).to.be.an('array');
          expect(longLabel.length).to.be.above(2);
          expect(Math.max(...longLabel.map((line) => line.length))).to.be.at.most(12);
          expect(chart.boxHeight).to.be.above(260);

          // No sideways scrolling of the page itself (wide tables scroll in their own box).
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).to.equal(true);
          if (locale === 'zh-CN') expect(await page.locator('main').innerText()).to.not.match(INTERNAL_CODES);
          expect(await seriousViolations(page)).to.deep.equal([]);
          if (fs.existsSync(SHOTS)) await page.screenshot({ path: path.join(SHOTS, `dashboard-gd-${locale}-${viewport.width}.png`), fullPage: true });

          // One person's record: every date written YYYY-MM-DD (and HH:mm for moments).
          await page.goto(`${server.url}/hr/employees/${s.people.zhang.employeeNo}`);
          const record = await page.locator('main').innerText();
          expect(record).to.match(/\d{4}-\d{2}-\d{2}/);
          expect(record).to.not.match(/\d{1,4}\/\d{1,2}\/\d{1,4}/);
          expect(await seriousViolations(page)).to.deep.equal([]);
          if (fs.existsSync(SHOTS)) await page.screenshot({ path: path.join(SHOTS, `employee-${locale}-${viewport.width}.png`), fullPage: true });
          expect(problems).to.deep.equal([]);
        } finally {
          await context.close();
        }
      });
    }
  }
});
