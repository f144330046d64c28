import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchBrowser, serve, signInPage } from '../helpers/browser.js';
import { TEST_PASSWORD } from '../helpers/test-app.js';
import { buildReportScenario, type ReportScenario } from './report-scenario.js';

describe('hr dashboard in a browser', function () {
  this.timeout(60_000);
  let browser: Browser;
  let s: ReportScenario;
  let server: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });
  beforeEach(async () => {
    s = await buildReportScenario();
    server = await serve(s.ctx.app);
  });
  afterEach(async () => {
    await server.close();
    s.ctx.close();
  });

  it('draws both charts under the CSP and opens the tree one level at a time', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    // Failed page resources are caught by status below; the browser's own favicon request is not ours.
    page.on('console', (message) => { if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text()); });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => { if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`); });
    await signInPage(page, server.url, 'admin', TEST_PASSWORD);
    await page.goto(`${server.url}/hr`);

    const charts = await page.evaluate(() => ['chart-by-branch', 'chart-by-course'].map((id) => {
      const chart = (window as unknown as { Chart: { getChart(c: Element): { data: { datasets: unknown[] } } | undefined } }).Chart
        .getChart(document.getElementById(id)!);
      return chart ? chart.data.datasets.length : 0;
    }));
    expect(charts).to.deep.equal([2, 7]); // rate per enrolment and per person; one series per status

    // HO's children are on the page; GD's come when asked.
    expect(await page.locator('#branch-tree tr[data-code="GD-GZ"]').count()).to.equal(0);
    const toggle = page.locator('#branch-tree button.tree-toggle[data-code="GD"]');
    await toggle.click();
    await page.locator('#branch-tree tr[data-code="GD-GZ"][data-depth="2"]').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(await page.locator('#branch-tree tr[data-code="GD-GZ"] td').nth(1).textContent()).to.equal('50.0%');
    expect(await page.locator('#branch-tree tr[data-code="GD-GZ"] td').nth(2).textContent()).to.equal('0.0%'); // per person: nobody certified in everything
    await toggle.click();
    expect(await page.locator('#branch-tree tr[data-code="GD-GZ"]').count()).to.equal(0);
    expect(problems).to.deep.equal([]);
  });
});
