// Issue 16 item 1: with content on its own origin (the default) a SCO gets the answers of the real
// API, synchronously: error codes, values read from the engine (choice validity, shared data),
// the 2004 `version` attribute. A hand-made two-SCO SCORM 2004 package, the real player in
// Chromium, both content modes; what the SCO recorded reaches the database through the player,
// and a commit the LMS refuses is told to the SCO (2004: 391, 1.2: 101).
import { expect } from 'chai';
import type { BrowserContext } from 'playwright-core';
import { CONTENT_MODES, eventually, frameEndingWith, openCourse, records, signInLearner, startPackagesWorld, type LmsUnderTest, type PackagesWorld } from './lms-under-test.js';
import { scoApi } from './sco-api.js';

const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="rte16" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>RTE conformance</title>
    <item identifier="one" identifierref="r1"><title>One</title>
      <adlcp:data><adlcp:map targetID="rte16.notes"/></adlcp:data>
    </item>
    <item identifier="two" identifierref="r2"><title>Two</title></item>
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="one.html"><file href="one.html"/></resource>
    <resource identifier="r2" type="webcontent" adlcp:scormType="sco" href="two.html"><file href="two.html"/></resource>
  </resources>
</manifest>`;

const manifest12 = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="rte12" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>RTE 1.2</title>
    <item identifier="only" identifierref="r1"><title>Only</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="only.html"><file href="only.html"/></resource></resources>
</manifest>`;

const page = (title: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><p>${title}</p></body></html>`;

for (const mode of CONTENT_MODES) {
  describe(`SCORM 2004 run-time answers in the player (content ${mode})`, function () {
    this.timeout(120_000);
    let world: PackagesWorld;
    let lms: LmsUnderTest;
    let context: BrowserContext;

    before(async () => {
      world = await startPackagesWorld(mode, {
        RTE16: [{ name: 'imsmanifest.xml', data: manifest }, { name: 'one.html', data: page('one') }, { name: 'two.html', data: page('two') }],
        RTE12: [{ name: 'imsmanifest.xml', data: manifest12 }, { name: 'only.html', data: page('only') }],
      });
      ({ lms, context } = world);
    });
    after(async () => world?.close());

    it('answers with real error codes and values, and the record reaches the LMS', async () => {
      const tab = await openCourse(context, lms, 'RTE16');
      const frame = await frameEndingWith(tab.page, '/one.html');
      const sco = scoApi(frame, '2004');
      const lastError = () => sco.call('GetLastError');
      expect(await frame.evaluate('String(window.parent.API_1484_11.version)')).to.equal('1.0');
      expect(await sco.initialize()).to.equal('true');

      // A written objective id cannot change (RTE 4.2.17: 351).
      expect(await sco.call('SetValue', 'cmi.objectives.0.id', 'obj-a')).to.equal('true');
      expect(await sco.call('SetValue', 'cmi.objectives.0.id', 'obj-b')).to.equal('false');
      expect(await lastError()).to.equal('351');
      // Reads that must fail, each with its own code.
      expect([await sco.get('cmi.interactions.0.id'), await lastError()]).to.deep.equal(['', '301']);
      expect([await sco.get('cmi.exit'), await lastError()]).to.deep.equal(['', '405']);
      expect([await sco.get('cmi.location'), await lastError()]).to.deep.equal(['', '403']);
      expect([await sco.get('cmi.nonsense'), await lastError()]).to.deep.equal(['', '401']);
      expect(await sco.call('SetValue', 'cmi', 'illegal')).to.equal('false');
      expect(await lastError()).to.equal('401');
      // Data types and indexes (patch 002): canonical indexes only, empty characterstrings are
      // values, delivery_speed 0 is in range, durations put hours/minutes/seconds after T,
      // a fill-in pattern with a malformed "{" delimiter is refused.
      expect([await sco.call('SetValue', 'cmi.interactions.01.id', 'q1'), await lastError()]).to.deep.equal(['false', '401']);
      expect(await sco.get('cmi.interactions._count')).to.equal('0');
      expect(await sco.call('SetValue', 'cmi.location', '')).to.equal('true');
      expect(await sco.call('SetValue', 'cmi.learner_preference.delivery_speed', '0.0')).to.equal('true');
      expect([await sco.call('SetValue', 'cmi.session_time', 'P5S'), await lastError()]).to.deep.equal(['false', '406']);
      expect(await sco.call('SetValue', 'cmi.interactions.0.id', 'q1')).to.equal('true');
      expect(await sco.call('SetValue', 'cmi.interactions.0.type', 'fill-in')).to.equal('true');
      expect([await sco.call('SetValue', 'cmi.interactions.0.correct_responses.0.pattern', '{}{[]}{}'), await lastError()]).to.deep.equal(['false', '406']);
      // Values only the engine knows.
      expect(await sco.get('adl.nav.request_valid.choice.{target=two}')).to.equal('true');
      expect(await sco.get('adl.nav.request_valid.continue')).to.equal('true');
      expect(await sco.get('adl.data._count')).to.equal('1');
      expect(await sco.get('adl.data.0.id')).to.equal('rte16.notes');
      expect(await sco.call('SetValue', 'adl.data.0.store', 'shared note')).to.equal('true');
      expect(await sco.get('adl.data.0.store')).to.equal('shared note');

      await sco.set({ 'cmi.location': 'page 2', 'cmi.completion_status': 'completed' });
      expect(await sco.commit()).to.equal('true');
      const state = await eventually(() => records(lms, 'RTE16').states().get('one'), (s) => s?.location === 'page 2', 'the committed location');
      expect(state!.completion_status).to.equal('completed');
      expect(state!.cmi['cmi.objectives.0.id']).to.equal('obj-a');
      expect(tab.errors).to.deep.equal([]);
      await tab.page.close();
    });

    it('a commit the LMS refuses reaches the SCO: Commit answers "false" and GetLastError 391', async () => {
      // A learner context of its own: this test ends its session.
      const own = await signInLearner(world.browser, lms);
      const tab = await openCourse(own, lms, 'RTE16');
      const frame = await frameEndingWith(tab.page, '/one.html');
      const sco = scoApi(frame, '2004');
      expect(await sco.initialize()).to.equal('true');
      await sco.set({ 'cmi.location': 'kept' });
      expect(await sco.commit()).to.equal('true');
      await eventually(() => records(lms, 'RTE16').states().get('one')?.location, (l) => l === 'kept', 'the first commit stored');
      // The session ends (signed out elsewhere, expired): the server refuses the next commit.
      await own.clearCookies();
      await sco.set({ 'cmi.location': 'lost' });
      await sco.commit();
      await tab.page.waitForSelector('#save-status[data-state="sessionLost"]');
      // On its own origin the SCO's call returned before the LMS answered; its next Commit tells it.
      expect(await sco.commit()).to.equal('false');
      expect(await sco.call('GetLastError')).to.equal('391');
      expect(await sco.call('GetErrorString', '391')).to.match(/commit/i);
      expect(records(lms, 'RTE16').states().get('one')?.location).to.equal('kept');
      await own.close();
    });

    it('SCORM 1.2: a refused commit makes the next LMSCommit answer "false" with 101', async () => {
      const own = await signInLearner(world.browser, lms);
      const tab = await openCourse(own, lms, 'RTE12');
      const sco = scoApi(await frameEndingWith(tab.page, '/only.html'), '1.2');
      expect(await sco.initialize()).to.equal('true');
      await sco.set({ 'cmi.core.lesson_location': 'kept' });
      expect(await sco.commit()).to.equal('true');
      await eventually(() => records(lms, 'RTE12').states().get('only')?.location, (l) => l === 'kept', 'the first commit stored');
      await own.clearCookies();
      await sco.commit();
      await tab.page.waitForSelector('#save-status[data-state="sessionLost"]');
      expect(await sco.commit()).to.equal('false');
      expect(await sco.call('LMSGetLastError')).to.equal('101');
      await own.close();
    });
  });
}
