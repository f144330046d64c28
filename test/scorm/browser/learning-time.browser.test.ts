// Issue 13 item 6: the player measures time in course with a heartbeat while the page is visible,
// and a browser killed without any unload leaves the time measured up to its last signal.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../helpers/browser.js';
import { sample } from '../../helpers/launch.js';
import { eventually, frameEndingWith, openCourse, signInLearner, startLms, type LmsUnderTest } from './lms-under-test.js';

describe('measured learning time in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let lms: LmsUnderTest;

  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
  afterEach(async () => { await lms?.close(); });

  it('a visible player sends heartbeats; a killed browser leaves the time measured so far', async () => {
    // Real time here (heartbeats are real timers), one beat a second instead of 30.
    lms = await startLms('same-origin', { now: () => new Date(), heartbeatSeconds: 1 });
    await lms.publish('HB12', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
    const context = await signInLearner(browser, lms);
    const heartbeats: string[] = [];
    context.on('request', (request) => { if (request.url().endsWith('/heartbeat')) heartbeats.push(request.url()); });
    const { page, errors } = await openCourse(context, lms, 'HB12');
    await frameEndingWith(page, '.html');
    expect(await page.evaluate(() => document.visibilityState)).to.equal('visible');
    const db = lms.ctx.app.lms.db;
    const measured = () => db.prepare('SELECT measured_seconds FROM attempts').pluck().get() as number;
    // Signals closer than 10 s are not written: the first write after that counts the whole gap.
    const before = await eventually(measured, (s) => s >= 10, 'measured time from heartbeats', 30_000);
    expect(heartbeats.length).to.be.at.least(8);
    // Killed: the context goes away without beforeunload, pagehide or unload; nothing more arrives.
    await context.close();
    const killedAt = measured();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(measured()).to.equal(killedAt);
    expect(killedAt).to.be.within(before, 20);
    expect(errors).to.deep.equal([]);
  });
});
