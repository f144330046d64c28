// Issue 16, the sequencing rules the outside conformance run found wrong, each with a small
// hand-made SCORM 2004 package through the real player in Chromium, content on its own origin
// (the default): the TOC offers what the choice sequencing request (SB.2.9) allows
// (constrainChoice, choiceExit, preventActivation, hidden from choice, limit conditions), a choice
// of a cluster delivers a leaf or nothing (never the cluster), a SCO's choice of itself after
// exit="suspend" delivers it again, "skip if completed" follows a progress measure read from a
// global objective, a duration limit does not refuse a start, and objective statuses (ids with
// spaces too) are read back from global objectives as the maps say.
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { eventually, frameEndingWith, openCourse, records, startPackagesWorld, type LmsUnderTest, type PackagesWorld } from './lms-under-test.js';
import { scoApi, type ScoApi } from './sco-api.js';
import { refusedChoices, waitForSco } from './sequencing-driver.js';
import type { ZipEntrySpec } from '../../helpers/zip-builder.js';

const NS = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

interface Leaf { id: string; seq?: string }
interface Cluster { id: string; seq?: string; children: Leaf[] }

/** A package whose leaves each launch their own page `<id>.html`. */
function pkg(code: string, items: Array<Leaf | Cluster>, rootSeq = '<imsss:controlMode choice="true" flow="true"/>'): ZipEntrySpec[] {
  const leaves = items.flatMap((i) => ('children' in i ? i.children : [i]));
  const item = (i: Leaf | Cluster): string => ('children' in i
    ? `<item identifier="${i.id}"><title>${i.id}</title>${i.children.map(item).join('')}${i.seq ? `<imsss:sequencing>${i.seq}</imsss:sequencing>` : ''}</item>`
    : `<item identifier="${i.id}" identifierref="r_${i.id}"><title>${i.id}</title>${i.seq ? `<imsss:sequencing>${i.seq}</imsss:sequencing>` : ''}</item>`);
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${code}" version="1" ${NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${code}</title>${items.map(item).join('')}
    <imsss:sequencing>${rootSeq}</imsss:sequencing></organization></organizations>
  <resources>${leaves.map((l) => `<resource identifier="r_${l.id}" type="webcontent" adlcp:scormType="sco" href="${l.id}.html"><file href="${l.id}.html"/></resource>`).join('')}</resources>
</manifest>`;
  const page = (id: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${id}</title></head><body><h1>${id}</h1></body></html>`;
  return [{ name: 'imsmanifest.xml', data: manifest }, ...leaves.map((l) => ({ name: `${l.id}.html`, data: page(l.id) }))];
}

const FLOW = '<imsss:controlMode choice="true" flow="true"/>';
const rule = (action: string, condition: string) => `<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>
  <imsss:ruleCondition condition="${condition}"/></imsss:ruleConditions><imsss:ruleAction action="${action}"/></imsss:preConditionRule></imsss:sequencingRules>`;

const PACKAGES: Record<string, ZipEntrySpec[]> = {
  // constrainChoice on m1: inside it everything is free; outside, only m2 (the activity after m1).
  CONSTRAIN16: pkg('constrain16', [
    { id: 'm1', seq: `${FLOW}<adlseq:constrainedChoiceConsiderations constrainChoice="true"/>`, children: [{ id: 'a' }, { id: 'b' }] },
    { id: 'm2', seq: FLOW, children: [{ id: 'c' }, { id: 'd' }] },
    { id: 'm3', seq: FLOW, children: [{ id: 'e' }] },
  ]),
  // choiceExit="false" on m1 keeps choices inside it; preventActivation on m2 keeps its children
  // from being chosen before it is entered; h is hidden from choice; l allows one attempt.
  CONTROLS16: pkg('controls16', [
    { id: 'm1', seq: '<imsss:controlMode choice="true" choiceExit="false" flow="true"/>', children: [{ id: 'a' }, { id: 'b' }] },
    { id: 'm2', seq: `${FLOW}<adlseq:constrainedChoiceConsiderations preventActivation="true"/>`, children: [{ id: 'c' }, { id: 'd' }] },
    { id: 'h', seq: rule('hiddenFromChoice', 'always') },
    { id: 'l', seq: '<imsss:limitConditions attemptLimit="1"/>' },
  ]),
  // A cluster that flows (delivers its first leaf; its id has a dot) and one that does not (delivers nothing).
  CLUSTER16: pkg('cluster16', [
    { id: 'x' },
    { id: 'part.flows', seq: FLOW, children: [{ id: 'f1' }, { id: 'f2' }] },
    { id: 'still', seq: '<imsss:controlMode choice="true" flow="false"/>', children: [{ id: 's1' }] },
  ]),
  SELF16: pkg('self16', [{ id: 'a' }, { id: 'b' }]),
  // a writes its progress measure to a global objective; b reads it, is completed by measure
  // (0.5) and skipped when completed; the first activity has a one-hour attempt duration limit.
  SKIP16: pkg('skip16', [
    { id: 'a', seq: `<imsss:limitConditions attemptAbsoluteDurationLimit="PT1H"/><imsss:objectives><imsss:primaryObjective objectiveID="a_p"/></imsss:objectives>
      <adlseq:objectives><adlseq:objective objectiveID="a_p"><adlseq:mapInfo targetObjectiveID="skip16.progress" writeProgressMeasure="true"/></adlseq:objective></adlseq:objectives>` },
    { id: 'b', seq: `${rule('skip', 'completed')}<imsss:objectives><imsss:primaryObjective objectiveID="b_p"/></imsss:objectives>
      <adlseq:objectives><adlseq:objective objectiveID="b_p"><adlseq:mapInfo targetObjectiveID="skip16.progress" readProgressMeasure="true"/></adlseq:objective></adlseq:objectives>` },
    { id: 'c' },
  ]),
};
// completedByMeasure lives in adlcp:completionThreshold on the item, outside imsss:sequencing.
PACKAGES.SKIP16[0].data = String(PACKAGES.SKIP16[0].data).replace('<item identifier="b" identifierref="r_b"><title>b</title>',
  '<item identifier="b" identifierref="r_b"><title>b</title><adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.5"/>');

// Objectives shared through global objectives, ids with spaces: a writes satisfaction and
// completion of "objective one" to "global one"; b reads both into its own "objective one", and
// has "objective two" whose map only writes (nothing read: unknown).
const writeBoth = 'writeSatisfiedStatus="true"';
PACKAGES.OBJ16 = pkg('obj16', [
  { id: 'a', seq: `<imsss:objectives><imsss:primaryObjective objectiveID="a_p"/><imsss:objective objectiveID="objective one">
      <imsss:mapInfo targetObjectiveID="global one" readSatisfiedStatus="false" ${writeBoth}/></imsss:objective></imsss:objectives>
    <adlseq:objectives><adlseq:objective objectiveID="objective one"><adlseq:mapInfo targetObjectiveID="global one" writeCompletionStatus="true"/></adlseq:objective></adlseq:objectives>` },
  { id: 'b', seq: `<imsss:objectives><imsss:primaryObjective objectiveID="b_p"/><imsss:objective objectiveID="objective one">
      <imsss:mapInfo targetObjectiveID="global one" readSatisfiedStatus="true"/></imsss:objective>
      <imsss:objective objectiveID="objective two"><imsss:mapInfo targetObjectiveID="global one" readSatisfiedStatus="false" writeSatisfiedStatus="true"/></imsss:objective></imsss:objectives>
    <adlseq:objectives><adlseq:objective objectiveID="objective one"><adlseq:mapInfo targetObjectiveID="global one" readCompletionStatus="true"/></adlseq:objective></adlseq:objectives>` },
]);

/** The SCO the page shows, initialized. */
async function sco(page: Page, id: string): Promise<ScoApi> {
  await waitForSco(page, id);
  const api = scoApi(await frameEndingWith(page, `/${id}.html`), '2004');
  expect(await api.initialize()).to.equal('true');
  return api;
}

/** The SCO asks for a navigation request and terminates; resolves when the player shows `next`. */
async function navigateFrom(page: Page, api: ScoApi, request: string, next: string): Promise<ScoApi> {
  await api.set({ 'adl.nav.request': request });
  expect(await api.finish()).to.equal('true');
  return sco(page, next);
}

/** The index of an objective in cmi.objectives, by id. */
async function objectiveIndex(api: ScoApi, id: string): Promise<number> {
  const count = Number(await api.get('cmi.objectives._count'));
  for (let i = 0; i < count; i += 1) if (await api.get(`cmi.objectives.${i}.id`) === id) return i;
  return -1;
}

describe('SCORM 2004 sequencing rules in the player (content on its own origin)', function () {
  this.timeout(180_000);
  let world: PackagesWorld;
  let lms: LmsUnderTest;
  let context: BrowserContext;

  before(async () => {
    world = await startPackagesWorld('cross-origin', PACKAGES);
    ({ lms, context } = world);
  });
  after(async () => world?.close());

  it('constrainChoice: the TOC offers the siblings inside the constrained cluster and the activity after it, not beyond', async () => {
    const tab = await openCourse(context, lms, 'CONSTRAIN16');
    const a = await sco(tab.page, 'a');
    await eventually(() => refusedChoices(tab.page), (r) => r.length > 0, 'the TOC follows the engine');
    expect(await refusedChoices(tab.page)).to.deep.equal(['e']);
    expect(await a.get('adl.nav.request_valid.choice.{target=b}')).to.equal('true');
    expect(await a.get('adl.nav.request_valid.choice.{target=d}')).to.equal('true');
    expect(await a.get('adl.nav.request_valid.choice.{target=e}')).to.equal('false');
    // The learner picks b in the TOC: the engine delivers it.
    await tab.page.click('.toc [data-sco="b"]');
    await sco(tab.page, 'b');
    expect(tab.errors).to.deep.equal([]);
    await tab.page.close();
  });

  it('choiceExit, preventActivation, hidden from choice and a used-up attempt limit shape the TOC as the engine decides', async () => {
    const tab = await openCourse(context, lms, 'CONTROLS16');
    const a = await sco(tab.page, 'a');
    // choiceExit="false" on m1: nothing outside m1 while a runs.
    await eventually(() => refusedChoices(tab.page), (r) => r.length > 0, 'the TOC follows the engine');
    expect(await refusedChoices(tab.page)).to.have.members(['c', 'd', 'h', 'l']);
    // Flow leaves m1: b, then c (m2 entered by flow, so its children are free to choose).
    const b = await navigateFrom(tab.page, a, 'continue', 'b');
    await navigateFrom(tab.page, b, 'continue', 'c');
    await eventually(() => refusedChoices(tab.page), (r) => !r.includes('d'), 'd free inside the active m2');
    expect(await refusedChoices(tab.page)).to.have.members(['h']);
    // l (attemptLimit 1) chosen in the TOC, then left backwards: its one attempt is used, so the
    // TOC refuses it; m2 is no longer active, so its children are refused again; m1's are free
    // (h is the current entry now, never marked).
    await tab.page.click('.toc [data-sco="l"]');
    const l = await sco(tab.page, 'l');
    await navigateFrom(tab.page, l, 'previous', 'h');
    await eventually(() => refusedChoices(tab.page), (r) => r.includes('l'), 'l refused by its attempt limit');
    expect(await refusedChoices(tab.page)).to.have.members(['c', 'd', 'l']);
    await tab.page.close();
  });

  it('a choice of a cluster delivers its first leaf when it flows, and nothing (no 404) when it does not', async () => {
    const tab = await openCourse(context, lms, 'CLUSTER16');
    const x = await sco(tab.page, 'x');
    expect(await x.get('adl.nav.request_valid.choice.{target=part.flows}')).to.equal('true');
    expect(await x.get('adl.nav.request_valid.choice.{target=still}')).to.equal('false');
    const f1 = await navigateFrom(tab.page, x, '{target=part.flows}choice', 'f1');
    expect(new URL(tab.page.url()).searchParams.get('sco')).to.equal('f1');
    // From f1, the cluster without flow: refused, the learner stays on the LMS page, nothing 404s.
    await f1.set({ 'adl.nav.request': '{target=still}choice' });
    const responses: number[] = [];
    tab.page.on('response', (r) => { if (r.status() === 404) responses.push(r.status()); });
    expect(await f1.finish()).to.equal('true');
    await tab.page.waitForSelector('#after-sco:not([hidden]), #sco-unavailable:not([hidden])');
    expect(new URL(tab.page.url()).searchParams.get('sco')).to.equal('f1');
    expect(responses).to.deep.equal([]);
    expect(tab.errors).to.deep.equal([]);
    await tab.page.close();
  });

  it('a SCO that suspends and chooses itself is delivered again, resuming', async () => {
    const tab = await openCourse(context, lms, 'SELF16');
    const first = await sco(tab.page, 'a');
    await first.set({ 'cmi.location': 'p3', 'cmi.exit': 'suspend' });
    await first.set({ 'adl.nav.request': '{target=a}choice' });
    // The engine delivers a again: the player loads its page anew.
    await Promise.all([tab.page.waitForNavigation(), first.finish()]);
    const again = await sco(tab.page, 'a');
    expect(await again.get('cmi.entry')).to.equal('resume');
    expect(await again.get('cmi.location')).to.equal('p3');
    expect(tab.errors).to.deep.equal([]);
    await tab.page.close();
  });

  it('a duration limit does not refuse the start; "skip if completed" follows a progress measure read from a global objective', async () => {
    const tab = await openCourse(context, lms, 'SKIP16');
    // a has attemptAbsoluteDurationLimit PT1H and is delivered first.
    const a = await sco(tab.page, 'a');
    expect(await a.call('SetValue', 'cmi.progress_measure', '0.8')).to.equal('true');
    // b reads 0.8 ≥ 0.5: completed by measure, skipped; continue lands on c.
    await navigateFrom(tab.page, a, 'continue', 'c');
    await eventually(() => records(lms, 'SKIP16').launches().map((l) => l.identifier), (ids) => ids.includes('c'), 'c launched');
    expect(records(lms, 'SKIP16').launches().map((l) => l.identifier)).to.not.include('b');
    await tab.page.close();
  });

  it('objective statuses are read back from global objectives as the maps say (ids with spaces)', async () => {
    const tab = await openCourse(context, lms, 'OBJ16');
    const a = await sco(tab.page, 'a');
    const ia = await objectiveIndex(a, 'objective one');
    expect(ia).to.be.greaterThan(-1);
    await a.set({ [`cmi.objectives.${ia}.success_status`]: 'passed', [`cmi.objectives.${ia}.completion_status`]: 'completed' });
    const b = await navigateFrom(tab.page, a, 'continue', 'b');
    const one = await objectiveIndex(b, 'objective one');
    const two = await objectiveIndex(b, 'objective two');
    expect([one, two].every((i) => i > -1), 'both objectives found by id').to.equal(true);
    expect(await b.get(`cmi.objectives.${one}.success_status`)).to.equal('passed');
    expect(await b.get(`cmi.objectives.${one}.completion_status`)).to.equal('completed');
    // objective two maps the same global objective but reads nothing from it.
    expect(await b.get(`cmi.objectives.${two}.success_status`)).to.equal('unknown');
    expect(await b.get(`cmi.objectives.${two}.completion_status`)).to.equal('unknown');
    expect(tab.errors).to.deep.equal([]);
    await tab.page.close();
  });
});
