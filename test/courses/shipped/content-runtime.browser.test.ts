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
  currentQuestion,
  fakeScormApiScript,
  labels,
  launchChromium,
  readFakeScorm,
  takeExam,
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

  it('exam: a fail reports score, failed and one interaction per question, then a retry can pass', async () => {
    await open(multiSco, 'exam.html', { version: '2004' });
    await page.getByRole('button', { name: labels('zh').start }).click();
    const firstDraw = await takeExam(page, multiSco.questions, 'zh', false);
    const failed = await readFakeScorm(page);
    expect(failed.store['cmi.score.raw']).to.equal('0');
    expect(failed.store['cmi.score.min']).to.equal('0');
    expect(failed.store['cmi.score.max']).to.equal('100');
    expect(failed.store['cmi.score.scaled']).to.equal('0');
    expect(failed.store['cmi.success_status']).to.equal('failed');
    expect(failed.store['cmi.completion_status']).to.equal('completed');
    expect(failed.store['cmi.exit']).to.equal('suspend');
    expect(failed.store['cmi.interactions._count']).to.equal('10');
    for (const [index, question] of firstDraw.entries()) {
      const prefix = `cmi.interactions.${index}.`;
      expect(failed.store[`${prefix}id`]).to.equal(`${multiSco.code}-${question.id}`);
      expect(failed.store[`${prefix}type`]).to.equal(question.type === 'true-false' ? 'true-false' : 'choice');
      expect(failed.store[`${prefix}result`]).to.equal('incorrect');
      expect(failed.store[`${prefix}correct_responses.0.pattern`]).to.equal(question.type === 'true-false' ? String(question.answer) : [...question.correct].sort().join('[,]'));
      expect(failed.store[`${prefix}learner_response`]).to.not.equal(failed.store[`${prefix}correct_responses.0.pattern`]);
      expect(failed.store[`${prefix}latency`]).to.match(/^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$/);
      expect(failed.store[`${prefix}timestamp`]).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{2}Z$/);
    }
    expect(new Set(firstDraw.map((question) => question.id)).size).to.equal(10);

    await page.getByRole('button', { name: '重新考试（重新抽题）' }).click();
    await takeExam(page, multiSco.questions, 'zh', true);
    const passed = await readFakeScorm(page);
    expect(passed.store['cmi.score.raw']).to.equal('100');
    expect(passed.store['cmi.score.scaled']).to.equal('1');
    expect(passed.store['cmi.success_status']).to.equal('passed');
    expect(passed.store['cmi.exit']).to.equal('normal');
    expect(passed.store['cmi.interactions._count']).to.equal('20');
    for (let index = 10; index < 20; index += 1) expect(passed.store[`cmi.interactions.${index}.result`]).to.equal('correct');
  });

  it('exam: a resumed session shows the same drawn questions and answers', async () => {
    await open(multiSco, 'exam.html', { version: '2004' });
    await page.getByRole('button', { name: labels('zh').start }).click();
    await page.locator('form.question input').first().check();
    await page.getByRole('button', { name: labels('zh').nextQuestion }).click();
    const onScreen = await currentQuestion(page, multiSco.questions, 'zh');
    const saved = await readFakeScorm(page);
    const savedExam = JSON.parse(saved.store['cmi.suspend_data']).exam;
    expect(savedExam.drawn).to.have.length(10);
    expect(savedExam.drawn[1]).to.equal(onScreen.id);
    await page.close();

    await open(multiSco, 'exam.html', {
      version: '2004',
      preset: { 'cmi.entry': 'resume', 'cmi.location': saved.store['cmi.location'], 'cmi.suspend_data': saved.store['cmi.suspend_data'] },
    });
    await page.getByRole('button', { name: '继续答题' }).click();
    expect((await currentQuestion(page, multiSco.questions, 'zh')).id).to.equal(onScreen.id);
    await page.getByRole('button', { name: '上一题' }).click();
    expect(await page.locator('form.question input:checked').count()).to.equal(1);
    const resumed = await readFakeScorm(page);
    expect(JSON.parse(resumed.store['cmi.suspend_data']).exam.drawn).to.deep.equal(savedExam.drawn);
  });

  it('SCORM 1.2 single SCO: lessons in order, then the exam, reported as passed', async () => {
    await open(singleSco, 'index.html', { version: '1.2', preset: { 'cmi.student_preference.language': 'en' } });
    let state = await readFakeScorm(page);
    expect(valuesSet(state, 'cmi.core.lesson_status')).to.deep.equal(['incomplete']);
    for (const [index, lesson] of singleSco.lessons.entries()) {
      await walkLesson(page, lesson, 'en');
      const onward = index < singleSco.lessons.length - 1 ? 'Next lesson' : 'Go to the exam';
      await page.getByRole('button', { name: onward }).click();
    }
    await page.getByRole('button', { name: labels('en').start }).click();
    await takeExam(page, singleSco.questions, 'en', true);
    state = await readFakeScorm(page);
    expect(state.store['cmi.core.lesson_status']).to.equal('passed');
    expect(state.store['cmi.core.score.raw']).to.equal('100');
    expect(state.store['cmi.core.exit']).to.equal('');
    expect(state.store['cmi.suspend_data'].length, 'fits SCORM 1.2 suspend_data').to.be.below(4096);
    expect(state.store['cmi.interactions._count']).to.equal('10');
    expect(state.store['cmi.interactions.0.result']).to.equal('correct');
    expect(state.store['cmi.interactions.0.student_response']).to.match(/^([a-z](,[a-z])*|t|f)$/);
    expect(state.store['cmi.interactions.0.time']).to.match(/^\d{2}:\d{2}:\d{2}$/);
    expect(state.store['cmi.interactions.0.latency']).to.match(/^\d{2,4}:\d{2}:\d{2}\.\d{2}$/);

    await page.getByRole('button', { name: 'Finish and exit' }).click();
    state = await readFakeScorm(page);
    expect(state.calls.at(-1)).to.deep.equal(['Terminate']);
    expect(state.store['cmi.core.session_time']).to.match(/^\d{2,4}:\d{2}:\d{2}\.\d{2}$/);
  });

  it('SCORM 1.2 single SCO: the exam stays locked until every lesson is done', async () => {
    await open(singleSco, 'index.html', { version: '1.2', preset: { 'cmi.core.lesson_location': 'exam' } });
    expect(await page.textContent('main')).to.include('请先完成全部课程，再参加考试。');
    expect(await page.getByRole('button', { name: labels('zh').start }).count()).to.equal(0);
  });

  it('without an LMS: shows the not-recorded banner and still works, in English with ?lang=en', async () => {
    await open(multiSco, 'lesson-1.html', null, '?lang=en');
    expect(await page.textContent('.banner')).to.include('not recorded');
    expect(await page.textContent('#screen-heading')).to.equal(multiSco.lessons[0].screens[0].heading.en);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    expect(await page.textContent('#screen-heading')).to.equal(multiSco.lessons[0].screens[1].heading.en);
  });
});
