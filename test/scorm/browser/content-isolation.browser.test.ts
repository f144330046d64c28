// Issue 5 items 3 and 4: a package is trainer-uploaded JavaScript. On its own origin it must get
// nothing from the LMS: not the course list through the learner's session, not the player's
// document, not the session cookie. The same package on the LMS origin shows why this matters.
// Issue 12 defect 3: in either mode it must not navigate the learner's tab, with or without a
// click (the frames' sandbox, server/courses/content-sandbox.ts).
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchBrowser } from '../../helpers/browser.js';
import { writeZip } from '../../helpers/zip-builder.js';
import { CONTENT_MODES, eventually, frameEndingWith, openCourse, records, signInLearner, startLms, type ContentMode, type LmsUnderTest } from './lms-under-test.js';

const COURSE_TITLE = 'Hostile probe course';

const manifestFor = (href: string, extraFiles: string[] = []) => `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="hostile" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${COURSE_TITLE}</title>
    <item identifier="probe" identifierref="res"><title>Probe</title></item>
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormtype="sco" href="${href}"><file href="${href}"/>${extraFiles.map((f) => `<file href="${f}"/>`).join('')}</resource></resources>
</manifest>`;
const manifest = manifestFor('probe.html');

/** What hostile content tries, reported through the SCORM API like any learner data. */
function probePage(lmsUrl: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title></head><body><p>probe</p>
<script>
(async function () {
  var report = {};
  try {
    var response = await fetch(${JSON.stringify(`${lmsUrl}/api/courses`)}, { credentials: 'include' });
    report.fetch = 'status ' + response.status + ': ' + (await response.text()).slice(0, 600);
  } catch (e) { report.fetch = 'failed: ' + e.name; }
  try { report.parentDocument = (parent.document.title + ' ' + parent.document.body.innerText).slice(0, 600); } catch (e) { report.parentDocument = 'failed: ' + e.name; }
  try { report.topDocument = (top.document.title + ' ' + top.document.body.innerText).slice(0, 600); } catch (e) { report.topDocument = 'failed: ' + e.name; }
  report.cookie = document.cookie;
  var api = window.parent.API;
  api.LMSInitialize('');
  api.LMSSetValue('cmi.suspend_data', JSON.stringify(report));
  api.LMSCommit('');
  document.title = 'reported';
})();
</script></body></html>`;
}

interface ProbeReport { fetch: string; parentDocument: string; topDocument: string; cookie: string }

describe('hostile package content', function () {
  this.timeout(120_000);
  let browser: Browser;
  let lms: LmsUnderTest;
  let context: BrowserContext;
  let zipDir: string;

  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
  afterEach(async () => {
    await context?.close();
    await lms?.close();
    fs.rmSync(zipDir, { recursive: true, force: true });
  });

  async function runProbe(mode: ContentMode): Promise<ProbeReport> {
    lms = await startLms(mode);
    zipDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-hostile-'));
    const zipPath = path.join(zipDir, 'probe.zip');
    await writeZip(zipPath, [{ name: 'imsmanifest.xml', data: manifest }, { name: 'probe.html', data: probePage(lms.lmsUrl) }]);
    await lms.publish('PROBE', zipPath);
    context = await signInLearner(browser, lms);
    const tab = await openCourse(context, lms, 'PROBE');
    const probe = await frameEndingWith(tab.page, '/probe.html');
    await probe.waitForFunction('document.title === "reported"');
    const state = await eventually(() => records(lms, 'PROBE').states().get('probe'), (s) => Boolean(s?.cmi['cmi.suspend_data']), 'the probe report');
    return JSON.parse(state!.cmi['cmi.suspend_data']) as ProbeReport;
  }

  it('on its own origin gets no course list, no LMS page and no cookie', async () => {
    const report = await runProbe('cross-origin');
    expect(report.fetch).to.match(/^failed/);
    expect(report.topDocument).to.equal('failed: SecurityError');
    // Its parent is the launcher on the content origin: nothing of the LMS in it.
    expect(report.parentDocument).to.not.include(COURSE_TITLE);
    expect(report.parentDocument).to.not.include('王小明');
    expect(report.parentDocument).to.not.match(/csrf|lms\.sid/i);
    expect(report.cookie).to.equal('');
  });

  it('on the LMS origin (same-origin mode) calls the API with the learner\'s session and reads the player', async () => {
    const report = await runProbe('same-origin');
    // 403, not 401: the request carried the learner's session (an HR officer's would read the list).
    expect(report.fetch).to.match(/^status 403/);
    // It reads the player page (its bar names the course; the player has no site header with the learner's name).
    expect(report.topDocument).to.include(COURSE_TITLE);
  });
});

/**
 * A package that tries to take over the learner's tab: on load (no click) it sets top.location to
 * an LMS page, opens a window and submits a form aimed at _top; after a real click it sets
 * top.location to an outside "phishing" page, follows a target=_top link, submits the form, and
 * opens a window of its own that then tries to navigate its opener's tab. Each try is recorded in
 * window.probe (what threw); whether anything moved is judged from outside.
 */
function navigationProbePage(lmsUrl: string, phishUrl: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>navigation probe</title></head><body>
<button id="top-click">top</button> <button id="open-click">open</button>
<a id="link-top" href="${phishUrl}/link" target="_top">link</a>
<form id="form-top" action="${lmsUrl}/me" method="get" target="_top"><input type="hidden" name="hijacked" value="form"><button id="form-submit">submit</button></form>
<script>
window.probe = {};
function attempt(name, fn) {
  try { var value = fn(); window.probe[name] = 'no error' + (value === undefined ? '' : ': ' + value); } catch (e) { window.probe[name] = 'blocked: ' + e.name; }
}
attempt('topNoClick', function () { top.location = ${JSON.stringify(`${lmsUrl}/me?hijacked=no-click`)}; });
attempt('openNoClick', function () { return String(Boolean(window.open(${JSON.stringify(`${phishUrl}/open-no-click`)}))); });
attempt('formNoClick', function () { document.getElementById('form-top').submit(); });
attempt('topCookie', function () { return top.document.cookie; });
attempt('topDocument', function () { return top.document.body.innerText.slice(0, 200); });
document.getElementById('top-click').addEventListener('click', function () {
  attempt('topClick', function () { top.location = ${JSON.stringify(`${phishUrl}/top-click`)}; });
});
document.getElementById('open-click').addEventListener('click', function () {
  attempt('openClick', function () { return String(Boolean(window.open('popup.html'))); });
});
document.title = 'armed';
</script></body></html>`;
}

/** Opened by the probe after a click: tries to navigate the tab that opened it, on load and after a click. */
function popupPage(phishUrl: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>popup</title></head><body><button id="again">again</button>
<script>
window.probe = {};
try { opener.top.location = ${JSON.stringify(`${phishUrl}/popup-opener`)}; window.probe.onLoad = 'no error'; } catch (e) { window.probe.onLoad = 'blocked: ' + e.name; }
document.getElementById('again').addEventListener('click', function () {
  try { opener.top.location = ${JSON.stringify(`${phishUrl}/popup-opener-click`)}; window.probe.onClick = 'no error'; } catch (e) { window.probe.onClick = 'blocked: ' + e.name; }
});
document.title = 'popup armed';
</script></body></html>`;
}

/** An outside site that records every request made to it. */
async function phishingSite(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.setHeader('Content-Type', 'text/html');
    res.end('<!DOCTYPE html><title>phish</title><p>Please sign in again</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Gives a blocked (or allowed) navigation time to start; they begin within a few ms if at all. */
const settle = (page: Page) => page.waitForTimeout(1500);

describe('hostile package: no navigation of the learner\'s tab (iframe sandbox)', function () {
  this.timeout(120_000);
  let browser: Browser;

  before(async () => { browser = await launchBrowser({ popupBlocking: true }); });
  after(async () => { await browser?.close(); });

  for (const mode of CONTENT_MODES) {
    describe(`content ${mode}`, () => {
      let lms: LmsUnderTest;
      let context: BrowserContext;
      let phish: Awaited<ReturnType<typeof phishingSite>>;
      let zipDir: string;

      beforeEach(async () => {
        phish = await phishingSite();
        lms = await startLms(mode);
        zipDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-hostile-nav-'));
        const zipPath = path.join(zipDir, 'nav.zip');
        await writeZip(zipPath, [
          { name: 'imsmanifest.xml', data: manifestFor('nav.html', ['popup.html']) },
          { name: 'nav.html', data: navigationProbePage(lms.lmsUrl, phish.url) },
          { name: 'popup.html', data: popupPage(phish.url) },
        ]);
        await lms.publish('NAV', zipPath);
        context = await signInLearner(browser, lms);
      });
      afterEach(async () => {
        await context?.close();
        await lms?.close();
        await phish?.close();
        fs.rmSync(zipDir, { recursive: true, force: true });
      });

      it('cannot navigate the top window without a click, nor after one, nor from a window it opened', async () => {
        const tab = await openCourse(context, lms, 'NAV');
        const topNavigations: string[] = [];
        tab.page.on('framenavigated', (frame) => { if (frame === tab.page.mainFrame()) topNavigations.push(frame.url()); });
        const popups: Page[] = [];
        context.on('page', (page) => popups.push(page));
        const learnUrl = tab.page.url();

        const probe: Frame = await frameEndingWith(tab.page, '/nav.html');
        await probe.waitForFunction('document.title === "armed"');
        await settle(tab.page);
        expect(tab.page.url(), 'no navigation without a click').to.equal(learnUrl);
        expect(popups, 'no window without a click (the browser\'s popup blocker)').to.deep.equal([]);

        // Real clicks inside the frame: the package now has user activation.
        await probe.click('#top-click');
        await settle(tab.page);
        expect(tab.page.url(), 'no navigation after a click (script)').to.equal(learnUrl);
        await probe.click('#link-top');
        await settle(tab.page);
        expect(tab.page.url(), 'no navigation after a click (target=_top link)').to.equal(learnUrl);
        await probe.click('#form-submit');
        await settle(tab.page);
        expect(tab.page.url(), 'no navigation after a click (target=_top form)').to.equal(learnUrl);

        await probe.click('#open-click');
        const popup = await eventually(() => popups[0], (p) => p !== undefined, 'the window the package opened');
        await popup.waitForFunction('document.title === "popup armed"');
        await popup.click('#again');
        await settle(tab.page);
        expect(tab.page.url(), 'no navigation by a window the package opened').to.equal(learnUrl);

        const report = JSON.parse(await probe.evaluate('JSON.stringify(window.probe)') as string) as Record<string, string>;
        const popupReport = JSON.parse(await popup.evaluate('JSON.stringify(window.probe)') as string) as Record<string, string>;
        expect(topNavigations, `the learner's tab stayed on the player (probe: ${JSON.stringify(report)}, popup: ${JSON.stringify(popupReport)})`).to.deep.equal([]);
        expect(phish.hits.filter((hit) => hit !== '/favicon.ico'), 'nothing reached the outside site').to.deep.equal([]);
        // A window after a click stays possible (sandboxed like its opener, and without an opener
        // at all: the LMS page's Cross-Origin-Opener-Policy severs it from a cross-origin frame).
        expect(popups.map((p) => new URL(p.url()).pathname), 'the only window opened is the package\'s own page').to.have.length(1);
        expect(new URL(popup.url()).pathname).to.match(/\/popup\.html$/);
        // The session cookie is HttpOnly everywhere; on its own origin the package cannot even reach the LMS page.
        expect(report.topCookie).to.not.include('lms.sid');
        if (mode === 'cross-origin') {
          expect(report.topCookie).to.equal('blocked: SecurityError');
          expect(report.topDocument).to.equal('blocked: SecurityError');
        }
        // The player is still alive and working: its API answers.
        expect(await tab.page.evaluate('window.lmsPlayer.api.isInitialized() === false || window.lmsPlayer.api.isTerminated() === false')).to.equal(true);
        expect(await tab.page.locator('#sco-frame').getAttribute('sandbox')).to.not.match(/allow-top-navigation|escape-sandbox/);
      });
    });
  }
});
