// Issue 5, sequencing of the courses we ship (courses/, SCORM 2004 4th): in the LMS player the
// exam stays unavailable — in the TOC, to the player and to the server — until every lesson is
// completed; then Continue from the last lesson delivers it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildAllCourses } from '../../../courses/build.js';
import { shippedCourses } from '../../../courses/catalog.js';
import { launchBrowser } from '../../helpers/browser.js';
import { frameEndingWith, openCourse, records, signInLearner, startLms, type LmsUnderTest } from './lms-under-test.js';
import { refusedChoices, waitForSco } from './sequencing-driver.js';
import { scoApi } from './sco-api.js';

const EXAM = 'ITEM-EXAM';

describe('shipped 2004 courses: the exam waits for every lesson in the LMS player', function () {
  this.timeout(180_000);
  let browser: Browser;
  let workDir: string;
  let zip: { code: string; zipPath: string; lessons: string[] };
  let lms: LmsUnderTest;
  let context: BrowserContext;

  before(async () => {
    browser = await launchBrowser();
    workDir = await mkdtemp(path.join(tmpdir(), 'lms-shipped-seq-'));
    const built = (await buildAllCourses(workDir)).find((c) => c.scormVersion !== '1.2')!;
    const source = shippedCourses.find((c) => c.code === built.code)!;
    // Lesson items are ITEM-L1…ITEM-Ln in the shipped manifests.
    zip = { code: built.code, zipPath: built.zipPath, lessons: source.lessons.map((_, i) => `ITEM-L${i + 1}`) };
  });
  after(async () => {
    await browser?.close();
    await rm(workDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    lms = await startLms('cross-origin');
    context = await signInLearner(browser, lms);
    await lms.publish(zip.code, zip.zipPath);
  });
  afterEach(async () => {
    await context?.close();
    await lms?.close();
  });

  it('refuses the exam until the last lesson is completed, then Continue delivers it', async () => {
    const tab = await openCourse(context, lms, zip.code);
    await waitForSco(tab.page, zip.lessons[0]);
    expect(await refusedChoices(tab.page)).to.include(EXAM);
    const direct = await context.newPage();
    expect((await direct.goto(`${lms.lmsUrl}/learn/${zip.code}?sco=${EXAM}`))?.status()).to.equal(403);
    await direct.close();

    for (const [index, lesson] of zip.lessons.entries()) {
      await waitForSco(tab.page, lesson);
      const frame = await frameEndingWith(tab.page, `/lesson-${index + 1}.html`);
      const api = scoApi(frame, '2004');
      await frame.waitForFunction('window.parent.API_1484_11 && window.parent.API_1484_11.GetValue("cmi.learner_id") !== ""');
      if (index < zip.lessons.length - 1) expect(await refusedChoices(tab.page), `exam before lesson ${index + 1}`).to.include(EXAM);
      // What the lesson's last screen reports, then the learner's "next" as the content sends it.
      await api.set({ 'cmi.completion_status': 'completed', 'cmi.exit': 'normal', 'adl.nav.request': 'continue' });
      await api.finish();
    }
    await waitForSco(tab.page, EXAM);
    await frameEndingWith(tab.page, '/exam.html');
    const states = records(lms, zip.code).states();
    expect(zip.lessons.map((l) => states.get(l)?.completion_status)).to.deep.equal(zip.lessons.map(() => 'completed'));
    expect(tab.errors).to.deep.equal([]);
  });
});
