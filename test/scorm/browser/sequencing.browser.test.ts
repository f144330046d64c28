// Issue 5, sequencing: the golf 4th-edition post-test rollup sample behaves as its manifest says in
// the LMS player — content in order (later SCOs disabled until the one before is completed, a
// refused choice stays refused in the TOC, in the player and on the server), the sequencing state
// survives closing the course, and the course result is the post-test's (the rolled-up root).
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../../helpers/browser.js';
import { sample } from '../../helpers/launch.js';
import { answerGolfQuiz, golfLaunchPage, golfNextToEnd } from './golf-driver.js';
import { stubCdnJquery } from './jquery-stub.js';
import { closeTab, CONTENT_MODES, eventually, openCourse, records, signInLearner, startLms, type LmsUnderTest } from './lms-under-test.js';
import { refusedChoices, storedSequencing, waitForSco } from './sequencing-driver.js';

const CODE = 'GOLF-SEQ';
const LESSONS = ['playing_item', 'etuqiette_item', 'handicapping_item', 'havingfun_item'];
const QUIZ = 'assessment_item';

async function pressExit(page: Page) {
  await Promise.all([page.waitForURL((url) => url.pathname === '/me', { timeout: 15_000 }), page.click('[data-exit]')]);
}

async function takeQuiz(page: Page, pass: boolean) {
  await waitForSco(page, LESSONS[0]);
  const launch = await golfLaunchPage(page);
  await Promise.all([page.waitForURL((u) => u.searchParams.get('sco') === QUIZ), launch.click('#butJump')]);
  await waitForSco(page, QUIZ);
  await golfLaunchPage(page);
  await answerGolfQuiz(page, () => pass);
  await pressExit(page);
}

describe('SCORM 2004 sequencing in the player (golf post-test rollup sample)', function () {
  this.timeout(180_000);
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  for (const mode of CONTENT_MODES) {
    describe(`content ${mode}`, () => {
      let lms: LmsUnderTest;
      let context: BrowserContext;
      beforeEach(async () => {
        lms = await startLms(mode);
        context = await signInLearner(browser, lms);
        await stubCdnJquery(context);
        await lms.publish(CODE, sample('golf-SequencingPostTestRollup-SCORM2004-4th.zip'));
      });
      afterEach(async () => {
        await context?.close();
        await lms?.close();
      });

      it('keeps the lessons in order: a disabled lesson is refused in the TOC, by the player and by the server', async () => {
        const tab = await openCourse(context, lms, CODE);
        await waitForSco(tab.page, LESSONS[0]);
        // Every later lesson waits for the one before; the quiz is hidden from choice until reached.
        expect(await refusedChoices(tab.page)).to.include.members([...LESSONS.slice(1), QUIZ]);

        // aria-disabled only marks the link: the player itself must refuse the click.
        await tab.page.click(`.toc [data-sco="${LESSONS[1]}"]`, { force: true });
        await tab.page.locator('#sco-unavailable').waitFor({ state: 'visible' });
        expect(new URL(tab.page.url()).searchParams.get('sco'), 'still on the first lesson').to.not.equal(LESSONS[1]);

        const direct = await context.newPage();
        const response = await direct.goto(`${lms.lmsUrl}/learn/${CODE}?sco=${LESSONS[1]}`);
        expect(response?.status(), 'the server refuses the disabled lesson too').to.equal(403);
        await direct.close();

        // Continue stays off until the first lesson is completed; then it goes to the second.
        // (validity arrives by message from the content origin: wait for it to settle, as a learner would see it)
        await tab.page.locator('[data-seq-nav="continue"]:disabled').waitFor({ timeout: 5_000 });
        await golfNextToEnd(await golfLaunchPage(tab.page));
        await tab.page.locator('[data-seq-nav="continue"]:enabled').waitFor();
        await tab.page.click('[data-seq-nav="continue"]');
        await waitForSco(tab.page, LESSONS[1]);
        const refused = await refusedChoices(tab.page);
        // Exactly the lessons after the current one and the quiz: the completed first lesson and the current one are open.
        expect(refused, 'refused choices on the second lesson').to.have.members([LESSONS[2], LESSONS[3], QUIZ]);
        expect(tab.errors).to.deep.equal([]);
      });

      it('restores the sequencing state after the course is closed and reopened', async () => {
        let tab = await openCourse(context, lms, CODE);
        await waitForSco(tab.page, LESSONS[0]);
        await golfNextToEnd(await golfLaunchPage(tab.page));
        await tab.page.locator('[data-seq-nav="continue"]:enabled').waitFor();
        await tab.page.click('[data-seq-nav="continue"]');
        await waitForSco(tab.page, LESSONS[1]);
        await golfLaunchPage(tab.page);
        await closeTab(tab.page);
        await eventually(() => storedSequencing(lms, CODE)?.state.sequencing.suspendedActivity, (id) => id === LESSONS[1], 'the suspended second lesson');

        tab = await openCourse(context, lms, CODE);
        await waitForSco(tab.page, LESSONS[1]);
        const refused = await refusedChoices(tab.page);
        // The first lesson stays completed and the second (current) stays open: neither may be refused.
        expect(refused, 'refused choices after reopening on the second lesson').to.have.members([LESSONS[2], LESSONS[3], QUIZ]);
        expect(rec().states().get(LESSONS[0])?.completion_status).to.equal('completed');
        expect(tab.errors).to.deep.equal([]);
      });

      const rec = () => records(lms, CODE);

      it('takes the course result from the post-test: failing leaves it not satisfied, passing satisfies it', async () => {
        let tab = await openCourse(context, lms, CODE);
        await takeQuiz(tab.page, false);
        const [failed] = await eventually(() => rec().attempts(), (a) => a[0]?.finished_at !== null, 'the finished first attempt');
        expect(failed).to.include({ completion_status: 'completed', success_status: 'failed' });
        // The lessons were never completed: only the post-test rolls up.
        expect(rec().states().get(QUIZ)?.success_status).to.equal('failed');

        tab = await openCourse(context, lms, CODE);
        await takeQuiz(tab.page, true);
        const attempts = await eventually(() => rec().attempts(), (a) => a.length === 2 && a[1].finished_at !== null, 'the finished second attempt');
        expect(attempts[1]).to.include({ completion_status: 'completed', success_status: 'passed', score_scaled: 1 });
        expect(attempts[0].success_status, 'history kept').to.equal('failed');
      });
    });
  }
});
