// Issue 5, sequencing controls with a hand-made package (no sample uses them): choice="false" on
// the organisation refuses every TOC choice (in the TOC, the player and the server) while flow
// still works, and adlnav:hideLMSUI hides the LMS control the SCO asks to hide.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from '../../helpers/browser.js';
import { writeZip } from '../../helpers/zip-builder.js';
import { CONTENT_MODES, frameEndingWith, openCourse, signInLearner, startLms, type LmsUnderTest } from './lms-under-test.js';
import { refusedChoices, waitForSco } from './sequencing-driver.js';
import { scoApi } from './sco-api.js';

const CODE = 'FLOW-ONLY';

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="flow-only" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Flow only</title>
      <item identifier="part-a" identifierref="res-a"><title>Part A</title></item>
      <item identifier="part-b" identifierref="res-b"><title>Part B</title>
        <adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>previous</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>
      </item>
      <imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-a" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource>
    <resource identifier="res-b" type="webcontent" adlcp:scormType="sco" href="b.html"><file href="b.html"/></resource>
  </resources>
</manifest>`;

/** A SCO that only initializes; the test speaks for it through the API. */
const page = (title: string) => `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>
<script>window.parent.API_1484_11 && window.parent.API_1484_11.Initialize('');</script></body></html>`;

describe('sequencing controls: choice="false" and hideLMSUI', function () {
  this.timeout(120_000);
  let browser: Browser;
  let workDir: string;
  let zipPath: string;
  before(async () => {
    browser = await launchBrowser();
    workDir = await mkdtemp(path.join(tmpdir(), 'lms-flow-only-'));
    zipPath = path.join(workDir, 'flow-only.zip');
    await writeZip(zipPath, [{ name: 'imsmanifest.xml', data: MANIFEST }, { name: 'a.html', data: page('Part A') }, { name: 'b.html', data: page('Part B') }]);
  });
  after(async () => {
    await browser?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  for (const mode of CONTENT_MODES) {
    describe(`content ${mode}`, () => {
      let lms: LmsUnderTest;
      let context: BrowserContext;
      beforeEach(async () => {
        lms = await startLms(mode);
        context = await signInLearner(browser, lms);
        await lms.publish(CODE, zipPath);
      });
      afterEach(async () => {
        await context?.close();
        await lms?.close();
      });

      it('refuses every choice but flows with Continue, and hides Previous where the SCO asks', async () => {
        const tab = await openCourse(context, lms, CODE);
        await waitForSco(tab.page, 'part-a');
        expect(await refusedChoices(tab.page)).to.deep.equal(['part-b']);
        expect(await tab.page.locator('[data-seq-nav="previous"]').isVisible(), 'Previous shown (disabled) on part A').to.equal(true);

        await tab.page.click('.toc [data-sco="part-b"]', { force: true });
        await tab.page.locator('#sco-unavailable').waitFor({ state: 'visible' });
        const direct = await context.newPage();
        expect((await direct.goto(`${lms.lmsUrl}/learn/${CODE}?sco=part-b`))?.status(), 'the server refuses the choice too').to.equal(403);
        await direct.close();

        const a = await frameEndingWith(tab.page, '/a.html');
        await scoApi(a, '2004').set({ 'cmi.completion_status': 'completed' });
        await tab.page.locator('[data-seq-nav="continue"]:enabled').waitFor();
        await tab.page.click('[data-seq-nav="continue"]');
        await waitForSco(tab.page, 'part-b');
        await frameEndingWith(tab.page, '/b.html');
        await tab.page.locator('[data-seq-nav="previous"]').waitFor({ state: 'hidden' });
        expect(await refusedChoices(tab.page)).to.deep.equal(['part-a']);
        expect(tab.errors).to.deep.equal([]);
      });
    });
  }
});
