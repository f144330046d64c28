// One employee's whole way through a shipped course, asserting as it goes: lessons in order in the
// LMS player (the LMS exam closed until they are done), leaving mid-lesson and resuming on the
// same screen, then the LMS's own exam (the course's bank.csv imported as the demo does) failed
// then passed, the certificate in the database and on /me.
// axe-core runs on each page reached; its findings are returned, not asserted, so a test can
// report them apart from the journey.
import { expect } from 'chai';
import type { Browser, Frame, Page } from 'playwright-core';
import type { CourseSource } from '../../../courses/packaging/course-source.js';
import { csrfFrom, signIn } from '../../helpers/test-app.js';
import { seriousViolations, type AxeFinding } from '../../helpers/axe.js';
import { closeTab, collectPageProblems, eventually, openCourse, records, signInLearner, startLms, type ContentMode, type LmsUnderTest } from '../../scorm/browser/lms-under-test.js';
import { seedDemoExam } from '../../../server/courses/demo-exams.js';
import {
  courseFrame, exitCourse, firstDecision, homeStatus, runtimeUi, scoHrefs, scoIds, screenHeading, sitLmsExam, walkScreens, type UiLanguage,
} from './learner-driver.js';

export interface JourneyPlan {
  course: CourseSource;
  zipPath: string;
  /** The employee's users.locale is 'en' for English; Chinese learners keep the default (none). */
  language: UiLanguage;
  mode: ContentMode;
  /** How the learner leaves mid-lesson: the player's Exit button, or closing the tab. */
  leaveBy: 'exit' | 'close';
}

export const AUDITED_PAGES = [
  'player page', 'first lesson screen', 'decision with feedback', 'end of a lesson', 'exam start page', 'exam question', 'exam result (failed)', 'exam result (passed)', 'employee home (/me)',
] as const;
export type AuditedPage = (typeof AUDITED_PAGES)[number];

export interface JourneyReport {
  /** The first failed assertion or error; null when the learner got all the way to the certificate. */
  error: unknown;
  audited: AuditedPage[];
  findings: Array<AxeFinding & { where: AuditedPage }>;
  seconds: number;
}

interface CertificateRow { attempt_id: number; score: number | null; revoked_at: string | null }

/** Starts a fresh LMS for the course, runs the journey in a new browser context, and cleans up. */
export async function takeCourseJourney(browser: Browser, plan: JourneyPlan): Promise<JourneyReport> {
  const started = Date.now();
  const report: JourneyReport = { error: null, audited: [], findings: [], seconds: 0 };
  const audit = async (target: Page | Frame, where: AuditedPage) => {
    report.audited.push(where);
    for (const finding of await seriousViolations(target)) report.findings.push({ where, ...finding });
  };
  let lms: LmsUnderTest | null = null;
  try {
    lms = await startLms(plan.mode);
    await lms.publish(plan.course.code, plan.zipPath);
    const { auth } = lms.ctx.app.lms.services;
    const trainer = (await auth.loadPrincipal((await lms.ctx.app.lms.repositories.users.findByUsername('tr'))!.id))!;
    await seedDemoExam(lms.ctx.app.lms, trainer, { code: plan.course.code, title: plan.course.title.zh });
    await assignToEveryone(lms, plan.course.code);
    if (plan.language === 'en') {
      const users = lms.ctx.app.lms.repositories.users;
      await users.setLocale((await users.findByUsername('emp'))!.id, 'en');
    }
    await walkCourse(browser, lms, plan, audit);
  } catch (error) {
    report.error = error;
  } finally {
    await lms?.close();
    report.seconds = Math.round((Date.now() - started) / 100) / 10;
  }
  return report;
}

async function walkCourse(browser: Browser, lms: LmsUnderTest, plan: JourneyPlan, audit: (target: Page | Frame, where: AuditedPage) => Promise<void>): Promise<void> {
  const { course, language } = plan;
  const ui = runtimeUi(language);
  const hrefs = scoHrefs(course);
  const ids = scoIds(course);
  const db = records(lms, course.code);
  const context = await signInLearner(browser, lms);
  const problems = collectPageProblems(context);
  try {
    let tab = await openCourse(context, lms, course.code);
    let frame = await courseFrame(tab.page, hrefs.lessons[0]);
    await audit(tab.page, 'player page');

    // The learner's language: the page says so and shows this course's text in it.
    expect(await frame.evaluate(() => document.documentElement.lang), 'content language').to.equal(ui.htmlLang);
    expect(await frame.locator('.course-title').textContent()).to.equal(course.title[language]);
    expect(await screenHeading(frame)).to.equal(course.lessons[0].screens[0].heading[language]);
    await audit(frame, 'first lesson screen');

    // The LMS exam opens only after every lesson.
    const early = await context.request.get(`${lms.lmsUrl}/learn/${course.code}/exam`);
    expect(await early.text(), 'the exam is closed before the lessons').to.include('data-closed="EXAM_LESSONS_INCOMPLETE"');

    for (const [lessonIndex, lesson] of course.lessons.entries()) {
      if (lessonIndex > 0) frame = await courseFrame(tab.page, hrefs.lessons[lessonIndex]);
      const last = lesson.screens.length - 1;
      let from = 0;
      if (lessonIndex === 0) {
        const decision = firstDecision(lesson);
        await walkScreens(frame, lesson, language, 0, decision);
        await audit(frame, 'decision with feedback');
        from = decision;
      }
      if (lessonIndex === 1) {
        // Leave in the middle of the second lesson, come back, and land on the same screen.
        const middle = Math.min(2, last - 1);
        await walkScreens(frame, lesson, language, 0, middle);
        if (plan.leaveBy === 'exit') await exitCourse(tab.page);
        else await closeTab(tab.page);
        const location = course.scormVersion === '1.2' ? `L1.S${middle}` : `S${middle}`;
        await eventually(() => db.states().get(ids.lessons[1])?.location, (value) => value === location, `stored location ${location}`);
        if (plan.leaveBy === 'exit') await tab.page.close();
        tab = await openCourse(context, lms, course.code);
        frame = await courseFrame(tab.page, hrefs.lessons[1]);
        expect(await screenHeading(frame), 'resumed on the screen the learner left').to.equal(lesson.screens[middle].heading[language]);
        from = middle;
      }
      await walkScreens(frame, lesson, language, from, last);
      if (lessonIndex === 0) await audit(frame, 'end of a lesson');
      if (lessonIndex < course.lessons.length - 1) {
        await frame.getByRole('button', { name: course.scormVersion === '2004' ? ui.continueInLms : ui.nextLesson, exact: true }).click();
      }
    }
    // Nothing in the package passes the course: the lessons end completed, with no score.
    const lastLesson = ids.lessons[ids.lessons.length - 1];
    const lessonsDone = await eventually(() => db.states().get(lastLesson), (state) => state?.completion_status === 'completed', 'the last lesson completed');
    expect(lessonsDone!.score_raw ?? null, 'no score from the package').to.equal(null);
    if (course.scormVersion === '1.2') {
      // The package's own last button ("完成并退出" / "Finish and exit") ends the course: the LMS
      // shows its result page (lessons done, the exam next), not a player pointing at a missing contents list.
      await Promise.all([
        tab.page.waitForURL((url) => url.pathname === `/learn/${course.code}/result`, { timeout: 15_000 }),
        frame.getByRole('button', { name: ui.finish, exact: true }).click(),
      ]);
      expect(await tab.page.getAttribute('#course-result', 'data-outcome'), 'the result page after the lessons').to.equal('lessonsDone');
      expect(await tab.page.getAttribute('#course-result [data-action="exam"]', 'data-exam-link'), 'the exam is the next step').to.equal('start');
    } else {
      await exitCourse(tab.page);
    }
    expect(certificatesOf(lms, course.code), 'no certificate from the lessons alone').to.deep.equal([]);

    // The LMS exam: failed first (every answer wrong), then passed (every answer right).
    const examPage = tab.page;
    const failed = await sitLmsExam(examPage, lms.lmsUrl, course.code, false, {
      onStart: () => audit(examPage, 'exam start page'), onFirstQuestion: () => audit(examPage, 'exam question'),
    });
    expect(failed.passed, 'the first sitting fails').to.equal(false);
    expect(failed.shown).to.have.length(10);
    await audit(examPage, 'exam result (failed)');
    const db2 = lms.ctx.app.lms.db;
    const firstRow = db2.prepare('SELECT score, passed, question_count FROM exam_attempts WHERE id = ?').get(failed.attemptId);
    expect(firstRow, 'the failed exam stored').to.deep.equal({ score: 0, passed: 0, question_count: 10 });
    expect(certificatesOf(lms, course.code), 'no certificate after a fail').to.deep.equal([]);
    const homeAfterFail = await (await context.request.get(`${lms.lmsUrl}/me`)).text();
    expect(statusInHomeHtml(homeAfterFail, course.code), 'status on /me after the fail').to.be.a('string').and.not.equal('certified');

    const passed = await sitLmsExam(examPage, lms.lmsUrl, course.code, true);
    expect(passed.passed, 'the second sitting passes').to.equal(true);
    await audit(examPage, 'exam result (passed)');
    const certificates = await eventually(() => certificatesOf(lms, course.code), (rows) => rows.length > 0, 'a certificate');
    const attempts = db.attempts();
    expect(certificates, 'one certificate, for the lessons attempt and the passed exam, at full marks').to.deep.equal([
      { attempt_id: attempts[attempts.length - 1].id, score: 100, revoked_at: null },
    ]);
    await examPage.goto(`${lms.lmsUrl}/me`);
    expect(await homeStatus(tab.page, course.code), 'status on /me').to.equal('certified');
    await audit(tab.page, 'employee home (/me)');
    expect(tab.errors, 'page errors in the player').to.deep.equal([]);
    expect(problems, 'page errors and console errors in every tab and frame the learner saw').to.deep.equal([]);
  } finally {
    await context.close();
  }
}

/** A trainer assigns the course to the whole bank, so the employee's home shows it with a status. */
async function assignToEveryone(lms: LmsUnderTest, code: string): Promise<void> {
  const { agent } = await signIn(lms.ctx.app, 'tr');
  const token = csrfFrom((await agent.get('/assignments').expect(200)).text);
  await agent.post('/api/assignments').set('X-CSRF-Token', token)
    .send({ course: code, branch: 'HO', includeSubBranches: true, positions: [], dueDays: 30 }).expect(201);
}

function certificatesOf(lms: LmsUnderTest, code: string): CertificateRow[] {
  return lms.ctx.app.lms.db.prepare(`SELECT ce.attempt_id, ce.score, ce.revoked_at FROM certificates ce
    JOIN courses c ON c.id = ce.course_id JOIN users u ON u.id = ce.user_id WHERE c.code = ? AND u.username = 'emp' ORDER BY ce.id`).all(code) as CertificateRow[];
}

/** data-status of the course's card in the /me HTML (views/home/employee.hbs). */
function statusInHomeHtml(html: string, code: string): string | null {
  return new RegExp(`data-course="${code}"[\\s\\S]*?data-status="([a-z_]+)"`).exec(html)?.[1] ?? null;
}
