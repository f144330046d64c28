import { expect } from 'chai';
import { parseManifest } from '../../../server/courses/manifest/parse-manifest.js';
import type { ParsedManifest } from '../../../server/courses/manifest/manifest.types.js';
import { buildSequencingSettings, globalObjectiveTargets } from '../../../server/scorm/sequencing/build-sequencing-settings.js';
import { buildSequencingModel, isResultFromEngine, isSequenced } from '../../../server/scorm/sequencing/sequencing-model.js';
import type { ActivitySettings } from '../../../server/scorm/sequencing/sequencing-settings.types.js';
import { readZipEntries } from '../../courses/shipped/read-zip.js';
import { sample } from '../../helpers/launch.js';

const GOLF = 'golf-SequencingPostTestRollup-SCORM2004-4th.zip';
const readZipEntry = async (zip: string, name: string) => (await readZipEntries(zip)).get(name)!.toString('utf8');
const GLOBAL = 'com.scorm.golfsamples.sequencing.forcedsequential.';

function parse(xml: string): ParsedManifest {
  const result = parseManifest(xml);
  if (!result.manifest) throw new Error(JSON.stringify(result.problems));
  return result.manifest;
}

const manifest = (org: string, items: string, extra = '') => `<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>T</title>${items}${org}</organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource>
    <resource identifier="r2" type="webcontent" adlcp:scormType="sco" href="b.html"><file href="b.html"/></resource>
    <resource identifier="asset" type="webcontent" adlcp:scormType="asset" href="c.html"><file href="c.html"/></resource>
  </resources>${extra}
</manifest>`;

const child = (tree: ActivitySettings, id: string): ActivitySettings => {
  const found = [tree, ...(tree.children ?? []).flatMap(function all(c: ActivitySettings): ActivitySettings[] { return [c, ...(c.children ?? []).flatMap(all)]; })]
    .find((a) => a.id === id);
  if (!found) throw new Error(`no activity ${id}`);
  return found;
};

describe('buildSequencingSettings (manifest → scorm-again sequencing settings)', () => {
  it('builds the golf post-test tree: root control mode, IDRef collection merged, completion prerequisites as rules', async () => {
    const m = parse(await readZipEntry(sample(GOLF), 'imsmanifest.xml'));
    const { activityTree: root } = buildSequencingSettings(m);
    expect(root.id).to.equal('golf_sample_default_org');
    expect(root.sequencingControls).to.include({ choice: true, flow: true });
    expect(root.children!.map((c) => c.id)).to.deep.equal(m.scos.map((s) => s.identifier));
    const etiquette = child(root, 'etuqiette_item');
    // From the content_seq_rules collection: no rollup of satisfaction or completion.
    expect(etiquette.sequencingControls).to.include({ rollupObjectiveSatisfied: false, rollupProgressCompletion: false, objectiveMeasureWeight: 0 });
    expect(etiquette.deliveryControls).to.deep.equal({ tracked: true, completionSetByContent: true, objectiveSetByContent: true });
    expect(etiquette.sequencingRules!.preConditionRules).to.deep.equal([{
      action: 'disabled', conditionCombination: 'any', conditions: [
        { condition: 'completed', operator: 'not', referencedObjective: 'previous_sco_completed' },
        { condition: 'activityProgressKnown', operator: 'not', referencedObjective: 'previous_sco_completed' },
      ],
    }]);
    expect(etiquette.completionThreshold).to.deep.equal({ completedByMeasure: false, minProgressMeasure: 1, progressWeight: 0.3 });
    expect(etiquette.sharedDataMaps).to.deep.equal([{ targetID: `${GLOBAL}notesStorage`, readSharedData: true, writeSharedData: true }]);
  });

  it('maps adlseq completion maps to scorm-again map entries without granting the imsss reads it would default to', async () => {
    const m = parse(await readZipEntry(sample(GOLF), 'imsmanifest.xml'));
    const etiquette = child(buildSequencingSettings(m).activityTree, 'etuqiette_item');
    expect(etiquette.primaryObjective).to.deep.include({ objectiveID: 'ettiquette_completed', isPrimary: true });
    expect(etiquette.primaryObjective!.mapInfo).to.have.length(1);
    expect(etiquette.primaryObjective!.mapInfo[0]).to.include({
      targetObjectiveID: `${GLOBAL}ettiquette_completed`, readCompletionStatus: true, writeCompletionStatus: true,
      readSatisfiedStatus: false, readNormalizedMeasure: false, writeSatisfiedStatus: false,
    });
    const previous = etiquette.objectives!.find((o) => o.objectiveID === 'previous_sco_completed')!;
    expect(previous.mapInfo[0]).to.include({ targetObjectiveID: `${GLOBAL}playing_completed`, readCompletionStatus: true, writeCompletionStatus: false });
  });

  it('gives an ID-less primary objective an id only when it carries something (the quiz has none to carry)', async () => {
    const m = parse(await readZipEntry(sample(GOLF), 'imsmanifest.xml'));
    const quiz = child(buildSequencingSettings(m).activityTree, 'assessment_item');
    expect(quiz.primaryObjective).to.equal(undefined);
    expect(quiz.sequencingControls).to.include({ rollupObjectiveSatisfied: true, rollupProgressCompletion: true, objectiveMeasureWeight: 1 });
    expect(quiz.sequencingRules!.preConditionRules.map((r) => r.action)).to.deep.equal(['hiddenFromChoice', 'hiddenFromChoice']);

    const byMeasure = parse(manifest('', `<item identifier="a" identifierref="r1"><title>A</title>
      <imsss:sequencing><imsss:objectives><imsss:primaryObjective satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing></item>
      <item identifier="b" identifierref="r2"><title>B</title></item>`));
    expect(child(buildSequencingSettings(byMeasure).activityTree, 'a').primaryObjective).to.deep.include({ objectiveID: 'a#primary', satisfiedByMeasure: true, minNormalizedMeasure: 0.8 });
  });

  it('translates control modes, limits, rollup rules and considerations, randomisation, hideLMSUI, and keeps asset leaves (launchable activities)', () => {
    const m = parse(manifest(`<imsss:sequencing>
        <imsss:controlMode choice="false" flow="true" forwardOnly="true"/>
        <imsss:rollupRules><imsss:rollupRule childActivitySet="atLeastPercent" minimumPercent="0.5">
          <imsss:rollupConditions conditionCombination="all"><imsss:rollupCondition condition="activityProgressKnown" operator="not"/></imsss:rollupConditions>
          <imsss:rollupAction action="incomplete"/></imsss:rollupRule></imsss:rollupRules>
        <imsss:randomizationControls reorderChildren="true" randomizationTiming="onEachNewAttempt" selectCount="1" selectionTiming="once"/>
        <adlseq:rollupConsiderations requiredForSatisfied="ifAttempted"/>
      </imsss:sequencing>`,
    `<item identifier="a" identifierref="r1"><title>A</title>
       <imsss:sequencing><imsss:limitConditions attemptLimit="2" attemptAbsoluteDurationLimit="PT1H"/>
         <imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="objectiveMeasureGreaterThan" measureThreshold="0.5"/></imsss:ruleConditions><imsss:ruleAction action="retry"/></imsss:postConditionRule></imsss:sequencingRules>
       </imsss:sequencing></item>
     <item identifier="b" identifierref="r2"><title>B</title>
       <adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>continue</adlnav:hideLMSUI><adlnav:hideLMSUI>suspendAll</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation></item>
     <item identifier="c" identifierref="asset"><title>C</title></item>`));
    const { activityTree: root } = buildSequencingSettings(m);
    expect(root.children!.map((c) => c.id), 'the asset leaf is deliverable by the player').to.deep.equal(['a', 'b', 'c']);
    expect(buildSequencingModel(m)!.assetIds).to.deep.equal(new Set(['c']));
    expect(root.sequencingControls).to.include({ choice: false, flow: true, forwardOnly: true, reorderChildren: true, randomizeChildren: true,
      randomizationTiming: 'onEachNewAttempt', selectCount: 1, selectionTiming: 'once' });
    expect(root.rollupRules!.rules).to.deep.equal([{ action: 'incomplete', consideration: 'atLeastPercent', minimumCount: 0, minimumPercent: 50,
      conditionCombination: 'all', conditions: [{ condition: 'progressKnown', operator: 'not' }] }]);
    expect(root.rollupConsiderations).to.include({ requiredForSatisfied: 'ifAttempted', requiredForCompleted: 'always' });
    const a = child(root, 'a');
    expect(a).to.include({ attemptLimit: 2, attemptAbsoluteDurationLimit: 'PT1H' });
    expect(a.sequencingRules!.postConditionRules).to.deep.equal([{ action: 'retry', conditionCombination: 'all',
      conditions: [{ condition: 'objectiveMeasureGreaterThan', parameters: { threshold: 0.5 } }] }]);
    expect(child(root, 'b').hideLmsUi).to.deep.equal(['continue', 'suspendAll']);
  });

  it('lists the global objectives a course reads and writes; sequences every 2004 package, takes the result from the engine with several SCOs', async () => {
    const m = parse(await readZipEntry(sample(GOLF), 'imsmanifest.xml'));
    const targets = globalObjectiveTargets(buildSequencingSettings(m));
    expect([...targets.written].sort()).to.deep.equal(['ettiquette_completed', 'handicapping_completed', 'havingfun_completed', 'playing_completed'].map((id) => GLOBAL + id));
    expect(targets.read.has(`${GLOBAL}havingfun_completed`)).to.equal(true);
    const model = buildSequencingModel(m)!;
    expect(model).to.include({ rootId: 'golf_sample_default_org', globalToSystem: false });
    expect(isSequenced('2004-4th', 2)).to.equal(true);
    expect(isSequenced('2004-3rd', 1)).to.equal(true);
    expect(isResultFromEngine('2004-3rd', 1)).to.equal(false);
    expect(isResultFromEngine('2004-4th', 2)).to.equal(true);
    expect(isSequenced('1.2', 5)).to.equal(false);
  });
});
