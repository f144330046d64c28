// The shared content runtime in headless Chromium: built pages opened from file:// with a small
// recording fake SCORM API (or none), driven the way a learner would.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { buildAllCourses } from '../../../courses/build.js';
import { shippedCourses } from '../../../courses/catalog.js';
import type { CourseSource } from '../../../courses/packaging/course-source.js';
import {
  fakeScormApiScript,
  labels,
  launchChromium,
  readFakeScorm,
  unzipTo,
  valuesSet,
  walkLesson,
} from './browser-support.js';

function courseByVersion(version: '1.2' | '2004'): CourseSource {
  const course = shippedCourses.find((candidate) => candidate.scormVersion === version);
  if (!course) throw new Error(`no SCORM ${version} course is shipped`);
  return course;
}

describe('shipped course runtime in Chromium (file://, fake SCORM API)', function () {
  this.timeout(60000);
  let browser: Browser;
  let workDir: string;
  let page: Page;
  const multiSco = courseByVersion('2004');
  const singleSco = courseByVersion('1.2');

  function pageUrl(course: CourseSource, file: string, query = ''): string {
    return pathToFileURL(path.join(workDir, course.code, file)).href + query;
  }

  async function open(course: CourseSource, file: string, api: { version: '1.2' | '2004'; preset?: Record<string, string> } | null, query = '') {
    page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    if (api) await page.addInitScript({ content: fakeScormApiScript(api.version, api.preset) });
    await page.goto(pageUrl(course, file, query));
    await page.locator('#screen-heading').waitFor();
    expect(errors, 'page errors').to.deep.equal([]);
    return page;
  }

  before(async () => {
    browser = await launchChromium();
    workDir = await mkdtemp(path.join(tmpdir(), 'lms-shipped-runtime-'));
    const built = await buildAllCourses(path.join(workDir, 'zips'));
    for (const course of built) await unzipTo(course.zipPath, path.join(workDir, course.code));
  });

  afterEach(async () => {
    await page?.close();
  });

  after(async () => {
    await browser?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('initializes, follows an English language preference and marks the lesson as started', async () => {
    await open(multiSco, 'lesson-1.html', { version: '2004', preset: { 'cmi.learner_preference.language': 'en-GB' } });
    const lesson = multiSco.lessons[0];
    const state = await readFakeScorm(page);
    expect(state.calls[0]).to.deep.equal(['Initialize']);
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await page.textContent('main h1')).to.equal(lesson.title.en);
    expect(await page.textContent('#screen-heading')).to.equal(lesson.screens[0].heading.en);
    expect(valuesSet(state, 'cmi.completion_status')).to.deep.equal(['incomplete']);
  });

  it('defaults to Chinese when the preference is not English', async () => {
    await open(multiSco, 'lesson-1.html', { version: '2004', preset: { 'cmi.learner_preference.language': 'fr' } });
    expect(await page.getAttribute('html', 'lang')).to.equal('zh-CN');
    expect(await page.textContent('main h1')).to.equal(multiSco.lessons[0].title.zh);
  });

  it('walks a lesson: decision feedback, exit suspend until the last screen, then completed', async () => {
    const lesson = multiSco.lessons[1];
    await open(multiSco, 'lesson-2.html', { version: '2004' });
    const decisionIndex = lesson.screens.findIndex((screen) => screen.kind === 'decision');
    await walkLesson(page, { ...lesson, screens: lesson.screens.slice(0, decisionIndex + 1) }, 'zh');
    const decision = lesson.screens[decisionIndex];
    if (decision.kind !== 'decision') throw new Error('expected a decision');
    const best = decision.options.find((option) => option.isBest);
    expect(await page.textContent('.feedback')).to.include(best?.feedback.zh);
    const midway = await readFakeScorm(page);
    expect(midway.store['cmi.exit']).to.equal('suspend');
    expect(midway.store['cmi.completion_status']).to.equal('incomplete');

    await page.getByRole('button', { name: labels('zh').next, exact: true }).click();
    await walkLesson(page, lesson, 'zh', decisionIndex + 1);
    const done = await readFakeScorm(page);
    expect(done.store['cmi.completion_status']).to.equal('completed');
    expect(done.store['cmi.exit']).to.equal('normal');
    expect(done.store['cmi.location']).to.equal(`S${lesson.screens.length - 1}`);
    expect(JSON.parse(done.store['cmi.suspend_data']).lessons[lesson.id].done).to.equal(true);
  });

  it('can be used with the keyboard alone, moving focus to each new screen heading', async () => {
    await open(multiSco, 'lesson-1.html', { version: '2004' });
    const lesson = multiSco.lessons[0];
    for (let presses = 0; presses < 20; presses += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
      if (focused === labels('zh').next) break;
    }
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('screen-heading');
    expect(await page.textContent('#screen-heading')).to.equal(lesson.screens[1].heading.zh);
  });

  it('resumes a lesson at the saved location', async () => {
    const lesson = multiSco.lessons[0];
    const suspendData = JSON.stringify({ v: 1, lessons: { [lesson.id]: { screen: 2, furthest: 2, done: false, decisions: {} } }, exam: null });
    await open(multiSco, 'lesson-1.html', { version: '2004', preset: { 'cmi.entry': 'resume', 'cmi.location': 'S2', 'cmi.suspend_data': suspendData } });
    expect(await page.textContent('#screen-heading')).to.equal(lesson.screens[2].heading.zh);
  });

  it('SCORM 1.2 single SCO: lessons in order, reported as completed (never passed: the exam is the LMS\'s)', async () => {
    await open(singleSco, 'index.html', { version: '1.2', preset: { 'cmi.student_preference.language': 'en' } });
    let state = await readFakeScorm(page);
    expect(valuesSet(state, 'cmi.core.lesson_status')).to.deep.equal(['incomplete']);
    for (const [index, lesson] of singleSco.lessons.entries()) {
      await walkLesson(page, lesson, 'en');
      if (index < singleSco.lessons.length - 1) {
        state = await readFakeScorm(page);
        expect(state.store['cmi.core.lesson_status'], `after lesson ${index + 1}`).to.equal('incomplete');
        await page.getByRole('button', { name: labels('en').nextLesson }).click();
      }
    }
    state = await readFakeScorm(page);
    expect(valuesSet(state, 'cmi.core.lesson_status')).to.deep.equal(['incomplete', 'completed']);
    expect(state.store['cmi.core.score.raw'], 'no score').to.equal(undefined);
    expect(state.store['cmi.interactions._count'], 'no interactions').to.equal('0');
    expect(state.store['cmi.core.exit']).to.equal('');
    expect(state.store['cmi.suspend_data'].length, 'fits SCORM 1.2 suspend_data').to.be.below(4096);
    expect(await page.textContent('main')).to.not.include('考试');

    await page.getByRole('button', { name: labels('en').finish }).click();
    state = await readFakeScorm(page);
    expect(state.calls.at(-1)).to.deep.equal(['Terminate']);
    expect(state.store['cmi.core.session_time']).to.match(/^\d{2,4}:\d{2}:\d{2}\.\d{2}$/);
  });

  it('SCORM 1.2 single SCO: a saved location from an old package\'s exam opens the first unfinished lesson', async () => {
    await open(singleSco, 'index.html', { version: '1.2', preset: { 'cmi.core.lesson_location': 'exam' } });
    expect(await page.textContent('main h1')).to.equal(singleSco.lessons[0].title.zh);
  });

  it('without an LMS: shows the not-recorded banner and still works, in English with ?lang=en', async () => {
    await open(multiSco, 'lesson-1.html', null, '?lang=en');
    expect(await page.textContent('.banner')).to.include('not recorded');
    expect(await page.textContent('#screen-heading')).to.equal(multiSco.lessons[0].screens[0].heading.en);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    expect(await page.textContent('#screen-heading')).to.equal(multiSco.lessons[0].screens[1].heading.en);
  });
});
