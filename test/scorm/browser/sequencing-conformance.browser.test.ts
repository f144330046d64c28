// Issue 16 items 3 and 4, through the real player in Chromium, content on both origins:
// an asset item is a launchable activity (delivered by the engine, no API calls expected), and a
// single-SCO SCORM 2004 package gets the engine too: LMS Continue/Exit controls, and a relaunch
// after suspendAll resumes the activity the engine suspended (not the learner's home page).
import { expect } from 'chai';
import type { BrowserContext } from 'playwright-core';
import { CONTENT_MODES, eventually, frameEndingWith, openCourse, records, startPackagesWorld, type LmsUnderTest, type PackagesWorld } from './lms-under-test.js';
import { scoApi } from './sco-api.js';

const NS = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

const withAsset = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="asset16" version="1" ${NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Asset then lesson</title>
    <item identifier="intro" identifierref="r_asset"><title>Introduction</title></item>
    <item identifier="lesson" identifierref="r_sco"><title>Lesson</title></item>
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources>
    <resource identifier="r_asset" type="webcontent" adlcp:scormType="asset" href="intro.html"><file href="intro.html"/></resource>
    <resource identifier="r_sco" type="webcontent" adlcp:scormType="sco" href="lesson.html"><file href="lesson.html"/></resource>
  </resources>
</manifest>`;

const singleSco = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="single16" version="1" ${NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>One SCO</title>
    <item identifier="only" identifierref="r_sco"><title>Only lesson</title></item>
    <imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources>
    <resource identifier="r_sco" type="webcontent" adlcp:scormType="sco" href="lesson.html"><file href="lesson.html"/></resource>
  </resources>
</manifest>`;

const page = (title: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>`;

for (const mode of CONTENT_MODES) {
  describe(`SCORM 2004 activities in the player (content ${mode})`, function () {
    this.timeout(120_000);
    let world: PackagesWorld;
    let lms: LmsUnderTest;
    let context: BrowserContext;

    before(async () => {
      world = await startPackagesWorld(mode, {
        ASSET16: [{ name: 'imsmanifest.xml', data: withAsset }, { name: 'intro.html', data: page('intro') }, { name: 'lesson.html', data: page('lesson') }],
        SINGLE16: [{ name: 'imsmanifest.xml', data: singleSco }, { name: 'lesson.html', data: page('lesson') }],
      });
      ({ lms, context } = world);
    });
    after(async () => world?.close());

    it('delivers an asset item, then Continue delivers the SCO after it', async () => {
      const tab = await openCourse(context, lms, 'ASSET16');
      const intro = await frameEndingWith(tab.page, '/intro.html');
      expect(await intro.title()).to.equal('intro');
      // The asset calls nothing; the LMS records it completed on its behalf.
      await eventually(() => records(lms, 'ASSET16').states().get('intro'), (s) => s?.completion_status === 'completed', 'the asset completed');
      const next = tab.page.locator('[data-seq-nav="continue"]');
      await eventually(() => next.isEnabled(), Boolean, 'Continue enabled on the asset');
      await next.click();
      const lesson = await frameEndingWith(tab.page, '/lesson.html');
      expect(await scoApi(lesson, '2004').initialize()).to.equal('true');
      expect(new URL(tab.page.url()).searchParams.get('sco')).to.equal('lesson');
      expect(tab.errors).to.deep.equal([]);
      await tab.page.close();
    });

    it('gives one SCO Continue/Exit controls, and resumes it after suspendAll instead of stopping at home', async () => {
      let tab = await openCourse(context, lms, 'SINGLE16');
      let frame = await frameEndingWith(tab.page, '/lesson.html');
      expect(await tab.page.locator('[data-seq-nav="continue"]').count()).to.equal(1);
      expect(await tab.page.locator('[data-exit]').count()).to.equal(1);
      let sco = scoApi(frame, '2004');
      expect(await sco.initialize()).to.equal('true');
      expect(await sco.get('cmi.entry')).to.equal('ab-initio');
      await sco.set({ 'cmi.location': 'page 4', 'cmi.exit': 'suspend', 'adl.nav.request': 'suspendAll' });
      const exited = tab.page.waitForURL((url) => !url.pathname.startsWith('/learn/'), { timeout: 15_000 });
      expect(await sco.finish()).to.equal('true');
      await exited;
      await eventually(() => records(lms, 'SINGLE16').states().get('only'), (s) => s?.exit === 'suspend', 'the suspended state');
      await tab.page.close();

      tab = await openCourse(context, lms, 'SINGLE16');
      frame = await frameEndingWith(tab.page, '/lesson.html');
      sco = scoApi(frame, '2004');
      expect(await sco.initialize()).to.equal('true');
      expect(await sco.get('cmi.entry')).to.equal('resume');
      expect(await sco.get('cmi.location')).to.equal('page 4');
      expect(tab.errors).to.deep.equal([]);
      await tab.page.close();
    });
  });
}
