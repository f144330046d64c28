// Issue 16 item 5, objective statuses read back from global objectives, through the real player in
// Chromium with content on its own origin (the default), with hand-made SCORM 2004 packages:
// - a primary objective that reads a global objective gives the SCO its cmi.success_status and
//   cmi.completion_status at launch (scorm-again patch 009);
// - a SCO that left its last session without "suspend" starts a new learner attempt: it sees
//   "unknown" for an objective it passed in the earlier attempt, and the global objective's
//   "completed" rather than the "incomplete" it reported then (the LMS used to preload the earlier
//   attempt's data);
// - a global objective never written reads "unknown"; global objectives persist across sessions
//   and courses for the learner who earned them, and no other learner sees them.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TEST_PASSWORD, createUser } from '../../helpers/test-app.js';
import { signInPage } from '../../helpers/browser.js';
import { frameEndingWith, openCourse, startPackagesWorld, type PackagesWorld } from './lms-under-test.js';
import { scoApi, type ScoApi } from './sco-api.js';
import { waitForSco } from './sequencing-driver.js';
import type { ZipEntrySpec } from '../../helpers/zip-builder.js';

const NS = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;
const GLOBAL = 'bank.mastery one';

/** One SCO page per item, `<id>.html`; `seq` is each item's imsss:sequencing content. */
function pkg(code: string, items: Array<{ id: string; seq: string }>): ZipEntrySpec[] {
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${code}" version="1" ${NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${code}</title>
    ${items.map((i) => `<item identifier="${i.id}" identifierref="r_${i.id}"><title>${i.id}</title><imsss:sequencing>${i.seq}</imsss:sequencing></item>`).join('')}
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing></organization></organizations>
  <resources>${items.map((i) => `<resource identifier="r_${i.id}" type="webcontent" adlcp:scormType="sco" href="${i.id}.html"><file href="${i.id}.html"/></resource>`).join('')}</resources>
</manifest>`;
  return [{ name: 'imsmanifest.xml', data: manifest }, ...items.map((i) => ({ name: `${i.id}.html`, data: `<!DOCTYPE html><title>${i.id}</title><h1>${i.id}</h1>` }))];
}

const primaryMap = (objectiveId: string, imsss: string, adl: string) => `<imsss:objectives><imsss:primaryObjective objectiveID="${objectiveId}">
    <imsss:mapInfo targetObjectiveID="${GLOBAL}" ${imsss}/></imsss:primaryObjective>${objectiveId === 'b_p' ? '<imsss:objective objectiveID="b local"/>' : ''}</imsss:objectives>
  <adlseq:objectives><adlseq:objective objectiveID="${objectiveId}"><adlseq:mapInfo targetObjectiveID="${GLOBAL}" ${adl}/></adlseq:objective></adlseq:objectives>`;

const PACKAGES: Record<string, ZipEntrySpec[]> = {
  // a writes its satisfaction and completion to the global objective; b's primary objective reads both.
  READ16: pkg('read16', [
    { id: 'a', seq: primaryMap('a_p', 'readSatisfiedStatus="false" writeSatisfiedStatus="true"', 'readCompletionStatus="false" writeCompletionStatus="true"') },
    { id: 'b', seq: primaryMap('b_p', 'readSatisfiedStatus="true"', 'readCompletionStatus="true"') },
  ]),
  // Another course whose only SCO reads the same global objective (objectivesGlobalToSystem: the default).
  OTHER16: pkg('other16', [{ id: 'c', seq: primaryMap('c_p', 'readSatisfiedStatus="true"', 'readCompletionStatus="true"') }]),
};

async function sco(page: Page, id: string): Promise<ScoApi> {
  await waitForSco(page, id);
  const api = scoApi(await frameEndingWith(page, `/${id}.html`), '2004');
  expect(await api.initialize()).to.equal('true');
  return api;
}

async function navigateFrom(page: Page, api: ScoApi, request: string, next: string): Promise<ScoApi> {
  await api.set({ 'adl.nav.request': request });
  expect(await api.finish()).to.equal('true');
  return sco(page, next);
}

async function objective(api: ScoApi, id: string): Promise<{ success: string; completion: string }> {
  const count = Number(await api.get('cmi.objectives._count'));
  for (let i = 0; i < count; i += 1) {
    if (await api.get(`cmi.objectives.${i}.id`) === id) {
      return { success: await api.get(`cmi.objectives.${i}.success_status`), completion: await api.get(`cmi.objectives.${i}.completion_status`) };
    }
  }
  throw new Error(`no objective ${id}`);
}

const status = async (api: ScoApi) => ({ success: await api.get('cmi.success_status'), completion: await api.get('cmi.completion_status') });

describe('SCORM 2004 objective statuses read back from global objectives (content on its own origin)', function () {
  this.timeout(180_000);
  let world: PackagesWorld;

  before(async () => {
    world = await startPackagesWorld('cross-origin', PACKAGES);
    await createUser(world.lms.ctx.app, { username: 'emp2', roles: ['employee'], branch: 'HO' });
  });
  after(async () => world?.close());

  it('reads the global objective into the SCO status, and a new learner attempt starts from it, not from the last attempt', async () => {
    const tab = await openCourse(world.context, world.lms, 'READ16', 'b');
    // Nothing written yet: the global objective reads as unknown.
    const first = await sco(tab.page, 'b');
    expect(await status(first)).to.deep.equal({ success: 'unknown', completion: 'unknown' });
    expect(await objective(first, 'b_p')).to.deep.equal({ success: 'unknown', completion: 'unknown' });
    await first.set({ 'cmi.completion_status': 'incomplete', 'cmi.location': 'page 2', 'cmi.exit': 'normal' });
    const local = Number((await first.get('cmi.objectives._count'))) - 1;
    expect(await first.get(`cmi.objectives.${local}.id`)).to.equal('b local');
    await first.set({ [`cmi.objectives.${local}.success_status`]: 'passed' });
    // b ends its learner attempt (exit normal) and chooses a, which passes and completes.
    const a = await navigateFrom(tab.page, first, '{target=a}choice', 'a');
    await a.set({ 'cmi.success_status': 'passed', 'cmi.completion_status': 'completed' });
    const again = await navigateFrom(tab.page, a, 'continue', 'b');
    expect(await again.get('cmi.entry')).to.equal('ab-initio');
    expect(await again.get('cmi.location'), 'no bookmark from the last attempt').to.equal('');
    expect(await status(again), 'read from the global objective, not the last attempt\'s "incomplete"').to.deep.equal({ success: 'passed', completion: 'completed' });
    expect(await objective(again, 'b_p')).to.deep.equal({ success: 'passed', completion: 'completed' });
    expect((await objective(again, 'b local')).success, 'a new attempt: not the last attempt\'s "passed"').to.equal('unknown');
    expect(tab.errors).to.deep.equal([]);
    await again.finish();
    await tab.page.close();
  });

  it('keeps global objectives across sessions and courses for their learner only', async () => {
    // A new browser session of the same learner, another course reading the same global objective.
    const session = await world.browser.newContext();
    const login = await session.newPage();
    await signInPage(login, world.lms.lmsUrl, 'emp', TEST_PASSWORD);
    await login.close();
    const tab = await openCourse(session, world.lms, 'OTHER16');
    const c = await sco(tab.page, 'c');
    expect(await status(c)).to.deep.equal({ success: 'passed', completion: 'completed' });
    await c.finish();
    await session.close();

    const stranger = await world.browser.newContext();
    const page = await stranger.newPage();
    await signInPage(page, world.lms.lmsUrl, 'emp2', TEST_PASSWORD);
    await page.close();
    const theirs = await openCourse(stranger, world.lms, 'OTHER16');
    const theirC = await sco(theirs.page, 'c');
    expect(await status(theirC), 'another learner reads nothing').to.deep.equal({ success: 'unknown', completion: 'unknown' });
    await stranger.close();
    const rows = world.lms.ctx.app.lms.db.prepare(`SELECT u.username, g.objective_id FROM global_objectives g JOIN users u ON u.id = g.user_id`).all();
    expect(rows).to.deep.equal([{ username: 'emp', objective_id: GLOBAL }]);
  });
});
