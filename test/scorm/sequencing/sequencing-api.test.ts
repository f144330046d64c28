// The sequencing state endpoint and launch: the engine state (made here by scorm-again's own engine
// in Node, from the settings the LMS hands the player) is stored per attempt, the root activity's
// rollup becomes the attempt result, and system-wide global objectives reach another course.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Scorm2004API as Scorm2004ApiClass } from 'scorm-again';
import * as scorm2004 from 'scorm-again/scorm2004';
import { buildTestApp, createBranch, createUser, signIn, type TestContext } from '../../helpers/test-app.js';
import { publishCourse } from '../../helpers/launch.js';
import { writeZip } from '../../helpers/zip-builder.js';

// The ESM build exports the class by name; its type declarations say default.
const { Scorm2004API } = scorm2004 as unknown as { Scorm2004API: typeof Scorm2004ApiClass };

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];
interface SequencingConfig { settings: object; state: object | null; rev: number; globalObjectives: Record<string, Record<string, unknown>>; scoId: string; saveUrl: string }
interface Config { commitUrl: string; sequencing: SequencingConfig | null }

const SHARED = 'bank.global.intro_completed';

/** Two SCOs; the intro writes (course A) or reads (course B) the completion of a system-wide objective. */
const manifest = (writes: boolean) => `<?xml version="1.0"?>
<manifest identifier="m${writes ? 'a' : 'b'}" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>T</title>
    <item identifier="intro" identifierref="r1"><title>Intro</title>
      <imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="done"/></imsss:objectives>
        <adlseq:objectives><adlseq:objective objectiveID="done"><adlseq:mapInfo targetObjectiveID="${SHARED}" readCompletionStatus="true" writeCompletionStatus="${writes}"/></adlseq:objective></adlseq:objectives>
      </imsss:sequencing></item>
    <item identifier="test" identifierref="r2"><title>Test</title>
      <imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions conditionCombination="any">
        <imsss:ruleCondition referencedObjective="intro_done" operator="not" condition="completed"/>
        <imsss:ruleCondition referencedObjective="intro_done" operator="not" condition="activityProgressKnown"/></imsss:ruleConditions>
        <imsss:ruleAction action="disabled"/></imsss:preConditionRule></imsss:sequencingRules>
        <imsss:objectives><imsss:primaryObjective/><imsss:objective objectiveID="intro_done"/></imsss:objectives>
        <adlseq:objectives><adlseq:objective objectiveID="intro_done"><adlseq:mapInfo targetObjectiveID="${SHARED}" readCompletionStatus="true" writeCompletionStatus="false"/></adlseq:objective></adlseq:objectives>
      </imsss:sequencing></item>
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource>
    <resource identifier="r2" type="webcontent" adlcp:scormType="sco" href="b.html"><file href="b.html"/></resource>
  </resources>
</manifest>`;

async function launch(agent: Agent, code: string, sco?: string): Promise<Config> {
  const res = await agent.get(`/learn/${code}${sco ? `?sco=${sco}` : ''}`).expect(200);
  return JSON.parse(/<script type="application\/json" id="launch-config">([\s\S]*?)<\/script>/.exec(res.text)![1]) as Config;
}

/** scorm-again's engine as the player builds it; records what it delivers. */
function engine(seq: SequencingConfig) {
  const delivered: string[] = [];
  const api = new Scorm2004API({ logLevel: 5, lmsCommitUrl: false, sequencing: { ...(seq.settings as object), eventListeners: { onActivityDelivery: (a: { id: string }) => delivered.push(a.id) } } } as never);
  if (seq.state) api.deserializeSequencingState(JSON.stringify(seq.state));
  if (Object.keys(seq.globalObjectives).length) api.restoreGlobalObjectiveSnapshot(seq.globalObjectives as never);
  return { api, delivered };
}

describe('sequencing state API: attempt result from the root, global objectives across courses', () => {
  let ctx: TestContext;
  let workDir: string;
  let learner: Agent;

  beforeEach(async () => {
    ctx = buildTestApp();
    workDir = await mkdtemp(path.join(tmpdir(), 'lms-seq-api-'));
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'HO' });
    await createUser(ctx.app, { username: 'other', roles: ['employee'], branch: 'HO' });
    for (const [code, writes] of [['SEQ-A', true], ['SEQ-B', false]] as const) {
      const zip = path.join(workDir, `${code}.zip`);
      await writeZip(zip, [{ name: 'imsmanifest.xml', data: manifest(writes) }, { name: 'a.html', data: 'a' }, { name: 'b.html', data: 'b' }]);
      await publishCourse(ctx.app, 'tr', code, zip);
    }
    learner = (await signIn(ctx.app, 'emp')).agent;
  });
  afterEach(async () => {
    ctx.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const attemptOf = (code: string) => ctx.app.lms.db.prepare(`SELECT a.completion_status, a.success_status, a.finished_at, a.sequencing_json FROM attempts a
    JOIN enrollments e ON e.id = a.enrollment_id JOIN courses c ON c.id = e.course_id WHERE c.code = ? ORDER BY a.id DESC LIMIT 1`).get(code) as
    { completion_status: string; success_status: string; finished_at: string | null; sequencing_json: string | null };

  it('stores newer states only, refuses other learners, and resumes where the engine says', async () => {
    const config = await launch(learner, 'SEQ-A');
    expect(config.sequencing).to.include({ scoId: 'intro', rev: 0, state: null });
    const { api, delivered } = engine(config.sequencing!);
    api.processNavigationRequest('start');
    expect(delivered).to.deep.equal(['intro']);
    api.lmsInitialize();
    api.lmsSetValue('cmi.completion_status', 'completed');
    api.lmsSetValue('adl.nav.request', 'continue');
    api.lmsFinish();
    expect(delivered).to.deep.equal(['intro', 'test']);
    const body = { rev: 1, state: api.serializeSequencingState(), choice: { intro: 'true', test: 'true' } };
    const url = config.sequencing!.saveUrl.replace(/^.*\/scorm\//, '/scorm/');
    const { agent: other } = await signIn(ctx.app, 'other');
    await other.post(url).send(body).expect(404);
    expect((await learner.post(url).send(body).expect(200)).body).to.deep.equal({ result: true, errorCode: 0 });
    expect((await learner.post(url).send({ ...body, state: '{}' }).expect(200)).body.result, 'same revision again').to.equal(false);
    await learner.post(url).send({ rev: 2, state: 'not json' }).expect(422);
    expect(JSON.parse(attemptOf('SEQ-A').sequencing_json!).rev).to.equal(1);
    expect(attemptOf('SEQ-A').completion_status, 'root not complete: the test is not done').to.not.equal('completed');

    const again = await launch(learner, 'SEQ-A');
    expect(again.sequencing).to.include({ scoId: 'test', rev: 1 });
  });

  it('makes the root rollup the attempt result, and shares the written global objective with another course', async () => {
    const before = engine((await launch(learner, 'SEQ-B')).sequencing!);
    before.api.processNavigationRequest('start');
    before.api.lmsInitialize();
    before.api.lmsFinish();
    expect(before.api.processNavigationRequest('continue'), 'course B: the test is disabled before the shared intro is done').to.equal(false);
    // The abandoned B launch above saved nothing; start B's attempt afresh later.

    const a = await launch(learner, 'SEQ-A');
    const { api } = engine(a.sequencing!);
    api.processNavigationRequest('start');
    api.lmsInitialize();
    api.lmsSetValue('cmi.completion_status', 'completed');
    api.lmsSetValue('adl.nav.request', 'continue');
    api.lmsFinish();
    // The test SCO runs on the next page, with a fresh API restored from the saved state.
    const test = engine({ ...a.sequencing!, state: JSON.parse(api.serializeSequencingState()) as object });
    test.api.lmsInitialize();
    test.api.lmsSetValue('cmi.completion_status', 'completed');
    test.api.lmsSetValue('cmi.success_status', 'passed');
    test.api.lmsSetValue('adl.nav.request', 'exitAll');
    test.api.lmsFinish();
    const url = a.sequencing!.saveUrl.replace(/^.*\/scorm\//, '/scorm/');
    await learner.post(url).set('Content-Type', 'text/plain').send(JSON.stringify({ rev: 1, state: test.api.serializeSequencingState() })).expect(200);
    expect(attemptOf('SEQ-A')).to.include({ completion_status: 'completed', success_status: 'passed' });
    expect(attemptOf('SEQ-A').finished_at, 'exitAll with the root completed ends the attempt').to.not.equal(null);
    const stored = ctx.app.lms.db.prepare('SELECT objective_id, data_json FROM global_objectives').all() as Array<{ objective_id: string; data_json: string }>;
    expect(stored.map((r) => r.objective_id)).to.deep.equal([SHARED]);
    expect(JSON.parse(stored[0].data_json)).to.include({ completionStatus: 'completed', completionStatusKnown: true });

    const b = await launch(learner, 'SEQ-B');
    expect(Object.keys(b.sequencing!.globalObjectives)).to.deep.equal([SHARED]);
    const after = engine(b.sequencing!);
    after.api.processNavigationRequest('start');
    after.api.lmsInitialize();
    after.api.lmsFinish();
    expect(after.api.processNavigationRequest('continue'), 'course B: the shared intro completion opens the test').to.equal(true);
    expect(after.delivered).to.deep.equal(['intro', 'test']);
  });
});
