// Issue 5 items 3 and 4: a package is trainer-uploaded JavaScript. On its own origin it must get
// nothing from the LMS: not the course list through the learner's session, not the player's
// document, not the session cookie. The same package on the LMS origin shows why this matters.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from '../../helpers/browser.js';
import { writeZip } from '../../helpers/zip-builder.js';
import { eventually, frameEndingWith, openCourse, records, signInLearner, startLms, type ContentMode, type LmsUnderTest } from './lms-under-test.js';

const COURSE_TITLE = 'Hostile probe course';

const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="hostile" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${COURSE_TITLE}</title>
    <item identifier="probe" identifierref="res"><title>Probe</title></item>
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormtype="sco" href="probe.html"><file href="probe.html"/></resource></resources>
</manifest>`;

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
    expect(report.topDocument).to.include('王小明');
  });
});
