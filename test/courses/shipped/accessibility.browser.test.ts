// Accessibility of the shipped pages: axe-core on every kind of screen (dialogue, points,
// decision with feedback, the not-recorded banner; the exam is the LMS's, audited in
// test/exams/exam.browser.test.ts), in both
// languages, on a phone-sized viewport without sideways scrolling; and no page error or console
// error on any of them.
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { buildAllCourses } from '../../../courses/build.js';
import { shippedCourses } from '../../../courses/catalog.js';
import type { CourseSource } from '../../../courses/packaging/course-source.js';
import { fakeScormApiScript, labels, launchChromium, unzipTo, type UiLanguage } from './browser-support.js';

const AXE_SOURCE = new URL('../../../node_modules/axe-core/axe.min.js', import.meta.url);

/**
 * Not the page's: axe-core reads every stylesheet again by XHR (its CSSOM preload), which
 * Chromium refuses on file:// pages; the page itself loaded the sheet.
 */
const AXE_ON_FILE_URLS = [
  /^console \S*: Access to XMLHttpRequest at 'file:[^']*\.css' from origin 'null' has been blocked by CORS policy/,
  /^console file:\S*\.css: Failed to load resource: net::ERR_FAILED$/,
];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

describe('shipped course accessibility (axe-core, phone viewport)', function () {
  this.timeout(90000);
  let browser: Browser;
  let workDir: string;
  let axeSource: string;
  let page: Page;
  let problems: string[];
  const course = shippedCourses.find((candidate) => candidate.scormVersion === '2004') as CourseSource;

  async function open(file: string, language: UiLanguage, withApi = true): Promise<Page> {
    page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    problems = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console ${message.location().url}: ${message.text()}`); });
    if (withApi) {
      await page.addInitScript({ content: fakeScormApiScript('2004', { 'cmi.learner_preference.language': language === 'en' ? 'en' : 'zh-CN' }) });
    }
    const query = !withApi && language === 'en' ? '?lang=en' : '';
    await page.goto(pathToFileURL(path.join(workDir, course.code, file)).href + query);
    await page.locator('#screen-heading').waitFor();
    return page;
  }

  /** Serious and critical axe violations, a check that nothing scrolls sideways, and no page errors so far. */
  async function audit(where: string): Promise<void> {
    expect(problems.filter((p) => !AXE_ON_FILE_URLS.some((pattern) => pattern.test(p))), `${where}: page errors and console errors`).to.deep.equal([]);
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => node.target) }));
    });
    const blocking = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(blocking, `${where}: ${JSON.stringify(blocking, null, 1)}`).to.deep.equal([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${where}: horizontal overflow in px`).to.be.at.most(0);
  }

  before(async () => {
    browser = await launchChromium();
    axeSource = await readFile(AXE_SOURCE, 'utf8');
    workDir = await mkdtemp(path.join(tmpdir(), 'lms-shipped-a11y-'));
    for (const built of await buildAllCourses(path.join(workDir, 'zips'))) {
      if (built.code === course.code) await unzipTo(built.zipPath, path.join(workDir, built.code));
    }
  });

  afterEach(async () => {
    await page?.close();
  });

  after(async () => {
    await browser?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  for (const language of ['zh', 'en'] as const) {
    it(`lesson screens in ${language}: dialogue, decision with both kinds of feedback, key points`, async () => {
      const lesson = course.lessons[0];
      await open('lesson-1.html', language);
      await audit('dialogue');
      for (const [index, screen] of lesson.screens.entries()) {
        if (screen.kind === 'decision') {
          const weak = screen.options.find((option) => !option.isBest);
          const best = screen.options.find((option) => option.isBest);
          await page.getByRole('button', { name: labels(language).check }).click();
          await audit('decision with nothing chosen');
          await page.getByLabel(weak?.text[language] ?? '', { exact: true }).check();
          await page.getByRole('button', { name: labels(language).check }).click();
          await audit('decision, weak choice feedback');
          await page.getByLabel(best?.text[language] ?? '', { exact: true }).check();
          await page.getByRole('button', { name: labels(language).check }).click();
          await audit('decision, best choice feedback');
        }
        if (index < lesson.screens.length - 1) await page.getByRole('button', { name: labels(language).next, exact: true }).click();
      }
      await audit('last screen with the lesson-complete box');
    });
  }

  it('standalone page with the not-recorded banner', async () => {
    await open('lesson-1.html', 'en', false);
    expect(await page.locator('.banner').count()).to.equal(1);
    await audit('standalone banner');
  });
});
