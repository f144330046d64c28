// Issue 8 acceptance (issue 13: the exam is the LMS's): every shipped course taken by an employee
// in Chromium — lessons in the LMS player (leaving mid-lesson and resuming there), then the LMS
// exam from the course's bank.csv failed and passed, the certificate — in the learner's language,
// with axe-core on the lesson, exam, player and home pages. Courses alternate Chinese / English learners and same-origin / content-origin delivery.
//
// The journeys run a few at a time in one browser (each with its own LMS and browser context):
// they spend most of their time waiting on page loads, and one after the other they would take
// minutes. Each course still gets its own tests, which wait for that course's journey.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildAllCourses } from '../../../courses/build.js';
import { shippedCourses } from '../../../courses/catalog.js';
import { launchBrowser } from '../../helpers/browser.js';
import { seriousViolations } from '../../helpers/axe.js';
import { AUDITED_PAGES, takeCourseJourney, type JourneyPlan, type JourneyReport } from './course-journey.js';

const AT_ONCE = 3;

function planFor(index: number): Omit<JourneyPlan, 'course' | 'zipPath'> {
  return {
    language: index % 2 === 1 ? 'en' : 'zh',
    mode: index % 3 === 0 ? 'same-origin' : 'cross-origin',
    leaveBy: index % 2 === 0 ? 'exit' : 'close',
  };
}

describe('shipped courses through the LMS player (Chromium)', function () {
  this.timeout(240_000);
  let browser: Browser;
  let workDir: string;
  const journeys = new Map<string, Promise<JourneyReport>>();

  before(async () => {
    browser = await launchBrowser();
    workDir = await mkdtemp(path.join(tmpdir(), 'lms-shipped-journey-'));
    const built = await buildAllCourses(workDir);
    const plans: JourneyPlan[] = shippedCourses.map((course, index) => ({
      course, zipPath: built.find((b) => b.code === course.code)!.zipPath, ...planFor(index),
    }));
    // A small pool: at most AT_ONCE journeys in flight, started in catalogue order.
    const slots: Array<Promise<unknown>> = [];
    for (const plan of plans) {
      const previous = slots.length >= AT_ONCE ? slots[slots.length - AT_ONCE] : Promise.resolve();
      const journey = previous.then(() => takeCourseJourney(browser, plan));
      journeys.set(plan.course.code, journey);
      slots.push(journey);
    }
  });
  after(async () => {
    await Promise.allSettled(journeys.values());
    await browser?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('has an axe check that reports serious problems, also on a page whose CSP forbids inline scripts', async () => {
    const page = await browser.newPage();
    try {
      await page.setContent(`<!DOCTYPE html><html lang="en"><head><title>t</title>
        <meta http-equiv="Content-Security-Policy" content="script-src 'none'"></head>
        <body><main><h1>Form</h1><input type="text"><p style="color:#bbb;background:#fff">faint text</p></main></body></html>`);
      const ids = (await seriousViolations(page)).map((finding) => finding.id).sort();
      expect(ids).to.deep.equal(['color-contrast', 'label']);
    } finally {
      await page.close();
    }
  });

  for (const [index, course] of shippedCourses.entries()) {
    const plan = planFor(index);
    describe(`${course.code} (SCORM ${course.scormVersion}, ${plan.language === 'en' ? 'English' : 'Chinese'} learner, content ${plan.mode})`, () => {
      it('lessons (resumed mid-lesson) → exam failed → exam passed → certified, in the learner\'s language', async () => {
        const report = await journeys.get(course.code)!;
        if (report.error) throw report.error;
      });

      it('has no serious or critical axe violations on the lesson, exam, player and home pages', async () => {
        const report = await journeys.get(course.code)!;
        expect(report.audited, 'pages audited (all of them only when the journey got to the end)').to.deep.equal(AUDITED_PAGES);
        expect(report.findings, `serious/critical axe violations:\n${JSON.stringify(report.findings, null, 1)}`).to.deep.equal([]);
      });
    });
  }
});
