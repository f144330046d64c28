// Issue 5, sequencing of the courses we ship (courses/, SCORM 2004 4th): in the LMS player each
// lesson stays unavailable — in the TOC, to the player and to the server — until the one before it
// is completed, and Continue delivers the next. The package has no exam SCO (issue 13: the exam is
// the LMS's own).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildAllCourses } from '../../../courses/build.js';
import { shippedCourses } from '../../../courses/catalog.js';
import { launchBrowser } from '../../helpers/browser.js';
import { eventually, frameEndingWith, openCourse, records, signInLearner, startLms, type LmsUnderTest } from './lms-under-test.js';
import { refusedChoices, waitForSco } from './sequencing-driver.js';
import { scoApi } from './sco-api.js';

describe('shipped 2004 courses: each lesson waits for the one before it in the LMS player', function () {
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

  it('refuses a lesson until the one before it is completed, then Continue delivers it; there is no exam SCO', async () => {
    const last = zip.lessons[zip.lessons.length - 1];
    const tab = await openCourse(context, lms, zip.code);
    await waitForSco(tab.page, zip.lessons[0]);
    expect(await refusedChoices(tab.page)).to.include(zip.lessons[1]);
    const direct = await context.newPage();
    expect((await direct.goto(`${lms.lmsUrl}/learn/${zip.code}?sco=${last}`))?.status()).to.equal(403);
    expect((await direct.goto(`${lms.lmsUrl}/learn/${zip.code}?sco=ITEM-EXAM`))?.status()).to.not.equal(200);
    await direct.close();

    for (const [index, lesson] of zip.lessons.entries()) {
      await waitForSco(tab.page, lesson);
      const frame = await frameEndingWith(tab.page, `/lesson-${index + 1}.html`);
      const api = scoApi(frame, '2004');
      await frame.waitForFunction('window.parent.API_1484_11 && window.parent.API_1484_11.GetValue("cmi.learner_id") !== ""');
      if (index < zip.lessons.length - 1) {
        expect(await refusedChoices(tab.page), `lesson ${index + 2} before lesson ${index + 1}`).to.include(zip.lessons[index + 1]);
        // What the lesson's last screen reports, then the learner's "next" as the content sends it.
        await api.set({ 'cmi.completion_status': 'completed', 'cmi.exit': 'normal', 'adl.nav.request': 'continue' });
      } else {
        await api.set({ 'cmi.completion_status': 'completed', 'cmi.exit': 'normal' });
      }
      await api.finish();
    }
    // The last lesson's Terminate arrives after finish() returns.
    const states = (await eventually(() => records(lms, zip.code).states(), (found) => found.get(last)?.completion_status === 'completed', 'the last lesson completed'))!;
    expect(zip.lessons.map((l) => states.get(l)?.completion_status)).to.deep.equal(zip.lessons.map(() => 'completed'));
    expect([...states.keys()]).to.not.include('ITEM-EXAM');
    expect(tab.errors).to.deep.equal([]);
  });
});
