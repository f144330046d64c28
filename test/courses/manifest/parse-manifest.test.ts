// parseManifest on small hand-made manifests (test/fixtures/manifests) and inline edge cases.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { PackageProblem, ParsedManifest } from '../../../server/courses/manifest/manifest.types.js';
import { parseManifest } from '../../../server/courses/manifest/parse-manifest.js';

function readFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/manifests/${name}`, import.meta.url), 'utf8');
}

function parseValid(xml: string): { manifest: ParsedManifest; problems: PackageProblem[] } {
  const { manifest, problems } = parseManifest(xml);
  if (!manifest) throw new Error(`expected a manifest, got problems ${JSON.stringify(problems)}`);
  return { manifest, problems };
}

const codes = (problems: PackageProblem[], severity: 'error' | 'warning'): string[] =>
  problems.filter((problem) => problem.severity === severity).map((problem) => problem.code);

const CP_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"';
const CP_2004 = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"';

/** A one-organisation manifest; `items` and `resources` are the inner XML. */
function manifestXml(options: { namespaces?: string; schemaVersion?: string | null; items: string; resources: string }): string {
  const schemaVersion = options.schemaVersion === undefined ? '1.2' : options.schemaVersion;
  const metadata = schemaVersion === null ? '' : `<metadata><schema>ADL SCORM</schema><schemaversion>${schemaVersion}</schemaversion></metadata>`;
  return `<?xml version="1.0"?>
<manifest identifier="inline" ${options.namespaces ?? CP_12}>
  ${metadata}
  <organizations default="org"><organization identifier="org"><title>Inline</title>${options.items}</organization></organizations>
  <resources>${options.resources}</resources>
</manifest>`;
}

const ONE_SCO_ITEM = '<item identifier="item" identifierref="res"><title>Item</title></item>';
const ONE_SCO_RESOURCE = '<resource identifier="res" type="webcontent" adlcp:scormtype="sco" href="index.html"/>';

describe('parseManifest', () => {
  describe('xml:base', () => {
    it('applies the manifest, resources and resource bases to launch hrefs, before the parameters', () => {
      const { manifest, problems } = parseValid(readFixture('xml-base-2004-3rd.xml'));
      expect(problems).to.deep.equal([]);
      expect(manifest.scos.map((sco) => sco.href)).to.deep.equal([
        'course/content/sco1/index.html',
        'course/content/sco2/start.html?lang=en&page=2', // "sco2" is a folder even without its slash
        'course/content/common/launch.html', // "sco3/../common" stays inside the package
      ]);
    });

    it('applies the same bases to <file> lists, and keeps dependencies', () => {
      const { manifest } = parseValid(readFixture('xml-base-2004-3rd.xml'));
      const byId = new Map(manifest.resources.map((resource) => [resource.identifier, resource]));
      expect(byId.get('res_all_levels')).to.deep.equal({
        identifier: 'res_all_levels',
        scormType: 'sco',
        href: 'course/content/sco1/index.html',
        files: ['course/content/sco1/index.html', 'course/content/sco1/media/intro%20video.mp4'],
        dependencies: ['res_shared'],
      });
      expect(byId.get('res_shared')).to.deep.include({ scormType: 'asset', href: null, files: ['course/content/shared/script.js'] });
    });

    it('refuses hrefs that climb out of the package or leave it', () => {
      const { problems } = parseManifest(manifestXml({
        items: '<item identifier="a" identifierref="up"><title>A</title></item><item identifier="b" identifierref="web"><title>B</title></item>',
        resources: `<resource identifier="up" type="webcontent" adlcp:scormtype="sco" xml:base="../" href="index.html"/>
          <resource identifier="web" type="webcontent" adlcp:scormtype="sco" href="https://example.com/sco.html"/>`,
      }));
      expect(codes(problems, 'error')).to.include.members(['MANIFEST_HREF_OUTSIDE_PACKAGE', 'MANIFEST_HREF_EXTERNAL']);
    });
  });

  describe('items (SCORM 1.2 fixture)', () => {
    const read = (): ParsedManifest => parseValid(readFixture('nested-items-1.2.xml')).manifest;

    it('keeps the nested tree and lists SCOs at any depth in manifest order', () => {
      const manifest = read();
      expect(manifest.scormVersion).to.equal('1.2');
      expect(manifest.title).to.equal('Nested course');
      expect(manifest.items.map((item) => item.identifier)).to.deep.equal(['module_1', 'module_2']);
      expect(manifest.items[0]?.children[1]?.children.map((item) => item.identifier)).to.deep.equal(['lesson_1_2_1', 'lesson_1_2_2']);
      expect(manifest.scos.map((sco) => [sco.identifier, sco.position])).to.deep.equal([
        ['lesson_1_1', 0], ['lesson_1_2_1', 1], ['lesson_1_2_2', 2], ['lesson_2_1', 3], ['lesson_2_2', 4],
      ]);
    });

    it('appends item parameters per the SCORM rules for ? & and #', () => {
      const hrefs = Object.fromEntries(read().scos.map((sco) => [sco.identifier, sco.href]));
      expect(hrefs).to.deep.equal({
        lesson_1_1: 'lesson.html?content=assessment1',
        lesson_1_2_1: 'player.html?course=7&mode=review', // joins the href's own query
        lesson_1_2_2: 'book.html?step=3#start', // query goes before the href's fragment
        lesson_2_1: 'lesson.html#chapter2',
        lesson_2_2: 'book.html#start', // the href already has a fragment: the parameter one is dropped
      });
    });

    it('reads the 1.2 launch values: mastery score, time limit, launch data, prerequisites', () => {
      const manifest = read();
      expect(manifest.scos[0]).to.include({
        masteryScore: 80,
        maxTimeAllowed: '00:30:00',
        timeLimitAction: 'exit,message',
        launchData: 'lesson=1.1',
        parameters: '?content=assessment1',
        scaledPassingScore: null,
        completionThreshold: null,
      });
      expect(manifest.scos[3]?.prerequisites).to.equal('lesson_1_1');
      expect(manifest.scos[1]).to.include({ masteryScore: null, launchData: null, prerequisites: null });
    });

    it('keeps isvisible and asset items in the tree, but only SCOs in the SCO list', () => {
      const manifest = read();
      const hidden = manifest.items[1];
      expect(hidden?.isVisible).to.equal(false);
      expect(hidden?.children.every((item) => item.isVisible)).to.equal(true);
      const glossary = hidden?.children.find((item) => item.identifier === 'glossary');
      expect(glossary).to.include({ resourceId: 'res_asset', href: 'glossary.html' });
      expect(manifest.scos.map((sco) => sco.identifier)).not.to.include('glossary');
    });
  });

  describe('refusing unsafe or broken XML', () => {
    it('refuses a DOCTYPE with an external entity before parsing', () => {
      const { manifest, problems } = parseManifest(readFixture('doctype-external-entity.xml'));
      expect(manifest).to.equal(null);
      expect(problems).to.have.length(1);
      expect(problems[0]).to.include({ code: 'MANIFEST_DOCTYPE', severity: 'error', path: 'imsmanifest.xml' });
    });

    it('finds a DOCTYPE after comments, processing instructions and a byte-order mark', () => {
      const xml = '\uFEFF<?xml version="1.0"?>\n<!-- a comment -->\n<?pi data?>\n<!doctype manifest SYSTEM "http://attacker.invalid/x.dtd">\n<manifest/>';
      expect(codes(parseManifest(xml).problems, 'error')).to.deep.equal(['MANIFEST_DOCTYPE']);
    });

    it('does not mistake the word DOCTYPE inside a comment for a declaration', () => {
      const xml = manifestXml({ items: ONE_SCO_ITEM, resources: ONE_SCO_RESOURCE }).replace('<manifest', '<!-- no <!DOCTYPE here --><manifest');
      expect(parseValid(xml).manifest.scos).to.have.length(1);
    });

    it('refuses an entity reference that nothing declares', () => {
      const xml = manifestXml({ items: '<item identifier="i" identifierref="res"><title>&secret;</title></item>', resources: ONE_SCO_RESOURCE });
      const { manifest, problems } = parseManifest(xml);
      expect(manifest).to.equal(null);
      expect(codes(problems, 'error')).to.deep.equal(['MANIFEST_INVALID_XML']);
    });

    it('reports malformed XML with the parser message', () => {
      const { manifest, problems } = parseManifest(readFixture('malformed.xml'));
      expect(manifest).to.equal(null);
      expect(problems).to.have.length(1);
      expect(problems[0]).to.include({ code: 'MANIFEST_INVALID_XML', severity: 'error' });
      expect(problems[0]?.message).to.match(/"item" != "organization"/);
    });

    it('reports an empty file as malformed and a foreign root element as no manifest', () => {
      expect(codes(parseManifest('').problems, 'error')).to.deep.equal(['MANIFEST_INVALID_XML']);
      expect(codes(parseManifest('<html><body/></html>').problems, 'error')).to.deep.equal(['MANIFEST_NOT_A_MANIFEST']);
    });
  });

  describe('course structure problems', () => {
    it('refuses a manifest without organisations', () => {
      const { manifest, problems } = parseManifest(readFixture('no-organizations.xml'));
      expect(manifest).to.equal(null);
      expect(codes(problems, 'error')).to.deep.equal(['MANIFEST_NO_ORGANIZATION']);
    });

    it('reports an organisation without items', () => {
      const { problems } = parseManifest(manifestXml({ items: '', resources: ONE_SCO_RESOURCE }));
      expect(codes(problems, 'error')).to.deep.equal(['MANIFEST_NO_ITEMS']);
    });

    it('SCORM 2004: asset items are launchable beside the SCOs, but a course of assets only is still refused', () => {
      const { manifest, problems } = parseManifest(manifestXml({
        namespaces: CP_2004, schemaVersion: '2004 4th Edition',
        items: '<item identifier="intro" identifierref="asset"><title>Intro</title></item><item identifier="lesson" identifierref="sco"><title>Lesson</title></item>',
        resources: '<resource identifier="asset" type="webcontent" adlcp:scormType="asset" href="intro.html"/><resource identifier="sco" type="webcontent" adlcp:scormType="sco" href="lesson.html"/>',
      }));
      expect(codes(problems, 'error')).to.deep.equal([]);
      expect(manifest?.scos.map((s) => [s.identifier, s.href, s.position])).to.deep.equal([['intro', 'intro.html', 0], ['lesson', 'lesson.html', 1]]);
      const assetsOnly = parseManifest(manifestXml({
        namespaces: CP_2004, schemaVersion: '2004 4th Edition',
        items: '<item identifier="intro" identifierref="asset"><title>Intro</title></item>',
        resources: '<resource identifier="asset" type="webcontent" adlcp:scormType="asset" href="intro.html"/>',
      }));
      expect(codes(assetsOnly.problems, 'error')).to.deep.equal(['MANIFEST_NO_SCO']);
    });

    it('reports a course without any SCO', () => {
      const { manifest, problems } = parseManifest(manifestXml({
        items: ONE_SCO_ITEM,
        resources: '<resource identifier="res" type="webcontent" adlcp:scormtype="asset" href="index.html"/>',
      }));
      expect(manifest?.scos).to.deep.equal([]);
      expect(codes(problems, 'error')).to.deep.equal(['MANIFEST_NO_SCO']);
    });

    it('reports an item pointing at no resource, a SCO without href and duplicate item ids', () => {
      const { problems } = parseManifest(manifestXml({
        items: `<item identifier="a" identifierref="missing"><title>A</title></item>
          <item identifier="b" identifierref="nohref"><title>B</title></item>
          <item identifier="c" identifierref="res"><title>C</title></item>
          <item identifier="c" identifierref="res"><title>C again</title></item>`,
        resources: `${ONE_SCO_RESOURCE}<resource identifier="nohref" type="webcontent" adlcp:scormtype="sco"/>`,
      }));
      expect(codes(problems, 'error')).to.have.members(['MANIFEST_RESOURCE_NOT_FOUND', 'MANIFEST_SCO_WITHOUT_HREF', 'MANIFEST_DUPLICATE_IDENTIFIER']);
    });

    it('uses the first organisation when default names none, and the named one when it exists', () => {
      const twoOrganizations = (wanted: string): string => `<manifest identifier="m" ${CP_12}>
        <organizations default="${wanted}">
          <organization identifier="first"><title>First</title>${ONE_SCO_ITEM}</organization>
          <organization identifier="second"><title>Second</title>${ONE_SCO_ITEM}</organization>
        </organizations>
        <resources>${ONE_SCO_RESOURCE}</resources></manifest>`;
      const named = parseValid(twoOrganizations('second'));
      expect(named.manifest.organizationId).to.equal('second');
      expect(named.manifest.title).to.equal('Second');
      const unmatched = parseValid(twoOrganizations('nothing'));
      expect(unmatched.manifest.organizationId).to.equal('first');
      expect(codes(unmatched.problems, 'warning')).to.include('MANIFEST_DEFAULT_ORGANIZATION_NOT_FOUND');
    });
  });

  describe('SCORM version detection', () => {
    it('reads each schemaversion spelling', () => {
      const versionOf = (schemaVersion: string): string | undefined =>
        parseManifest(manifestXml({ namespaces: CP_2004, schemaVersion, items: ONE_SCO_ITEM, resources: ONE_SCO_RESOURCE })).manifest?.scormVersion;
      expect(['1.2', 'CAM 1.3', '2004 3rd Edition', '2004 4th Edition'].map(versionOf)).to.deep.equal(['1.2', '2004-2nd', '2004-3rd', '2004-4th']);
    });

    it('falls back to the namespaces, with a warning, when schemaversion is absent', () => {
      const guess = (namespaces: string, items: string): { version?: string; warnings: string[] } => {
        const { manifest, problems } = parseManifest(manifestXml({ namespaces, schemaVersion: null, items, resources: ONE_SCO_RESOURCE }));
        return { version: manifest?.scormVersion, warnings: codes(problems, 'warning') };
      };
      expect(guess(CP_12, ONE_SCO_ITEM)).to.deep.equal({ version: '1.2', warnings: ['MANIFEST_VERSION_GUESSED'] });
      expect(guess(CP_2004, ONE_SCO_ITEM)).to.deep.equal({ version: '2004-3rd', warnings: ['MANIFEST_VERSION_GUESSED'] });
      const withSharedData = ONE_SCO_ITEM.replace('</item>', '<adlcp:data><adlcp:map targetID="notes"/></adlcp:data></item>');
      expect(guess(CP_2004, withSharedData).version).to.equal('2004-4th');
    });

    it('matches adlcp by namespace, whatever the prefix and the scormType spelling', () => {
      const xml = manifestXml({
        namespaces: 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:cp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlcp="urn:not-adl"',
        schemaVersion: '2004 3rd Edition',
        items: `${ONE_SCO_ITEM}<item identifier="decoy" identifierref="decoy"><title>Decoy</title></item>`,
        resources: `<resource identifier="res" type="webcontent" cp:scormtype="sco" href="index.html"/>
          <resource identifier="decoy" type="webcontent" adlcp:scormType="sco" href="decoy.html"/>`,
      });
      expect(parseValid(xml).manifest.scos.map((sco) => sco.identifier)).to.deep.equal(['item']);
    });
  });

  describe('completion threshold', () => {
    it('reads the 4th-edition attribute forms; completedByMeasure without minProgressMeasure means 1.0', () => {
      const { manifest, problems } = parseValid(readFixture('completion-threshold-2004-4th.xml'));
      expect(problems).to.deep.equal([]);
      expect(manifest.scos.map((sco) => [sco.identifier, sco.completionThreshold])).to.deep.equal([
        ['by_measure_default', 1],
        ['by_measure_075', 0.75],
        ['not_by_measure', null],
        ['weight_only', null],
        ['no_threshold', null],
      ]);
      expect(manifest.items.map((item) => item.completionThreshold)).to.deep.equal([
        { completedByMeasure: true, minProgressMeasure: 1, progressWeight: 1 },
        { completedByMeasure: true, minProgressMeasure: 0.75, progressWeight: 0.4 },
        { completedByMeasure: false, minProgressMeasure: 0.5, progressWeight: 1 },
        { completedByMeasure: false, minProgressMeasure: 1, progressWeight: 0.25 },
        null,
      ]);
    });

    it('reads the 2004 3rd-edition text form', () => {
      const { manifest } = parseValid(readFixture('completion-threshold-2004-3rd.xml'));
      expect(manifest.scos[0]?.completionThreshold).to.equal(0.6);
      expect(manifest.items[0]?.completionThreshold).to.deep.equal({ completedByMeasure: true, minProgressMeasure: 0.6, progressWeight: 1 });
    });

    it('reads 2004 launch data, time limit action, shared data maps (with defaults) and hideLMSUI', () => {
      const { manifest } = parseValid(readFixture('completion-threshold-2004-4th.xml'));
      expect(manifest.sharedDataGlobalToSystem).to.equal(false);
      expect(manifest.scos[3]).to.deep.include({
        launchData: 'start=weights',
        timeLimitAction: 'continue,no message',
        dataMaps: [
          { targetId: 'notes', readSharedData: true, writeSharedData: true },
          { targetId: 'answers', readSharedData: false, writeSharedData: true },
        ],
        hideLmsUi: ['continue', 'previous', 'suspendAll'],
      });
    });
  });

  describe('sequencing', () => {
    const read = (): { manifest: ParsedManifest; problems: PackageProblem[] } => parseValid(readFixture('sequencing-collection-2004-4th.xml'));
    const itemById = (manifest: ParsedManifest, id: string): ParsedManifest['items'][number] | undefined => {
      const all = (items: ParsedManifest['items']): ParsedManifest['items'] => items.flatMap((item) => [item, ...all(item.children)]);
      return all(manifest.items).find((item) => item.identifier === id);
    };

    it('reads elements by namespace whatever their prefixes (cp:, ss:, seq:, pkg:, nav:)', () => {
      const { manifest } = read();
      expect(manifest.scormVersion).to.equal('2004-4th');
      expect(manifest.scos.map((sco) => sco.identifier)).to.deep.equal(['pretest_sco', 'lesson', 'broken_ref']);
      expect(manifest.objectivesGlobalToSystem).to.equal(false);
      expect(Object.keys(manifest.sequencingCollection)).to.deep.equal(['shared_rules']);
    });

    it('borrows the referenced collection entry element by element; local elements win', () => {
      const { manifest } = read();
      const pretest = itemById(manifest, 'pretest_sco')?.sequencing;
      expect(pretest?.idRef).to.equal('shared_rules');
      // Local controlMode replaces the shared one whole, so choice takes the schema default again.
      expect(pretest?.controlMode).to.deep.equal({
        choice: true, choiceExit: true, flow: true, forwardOnly: true,
        useCurrentAttemptObjectiveInfo: true, useCurrentAttemptProgressInfo: true,
      });
      expect(pretest?.limitConditions).to.include({ attemptLimit: 2, attemptAbsoluteDurationLimit: 'PT1H30M' });
      expect(pretest?.deliveryControls).to.deep.equal({ tracked: true, completionSetByContent: true, objectiveSetByContent: true });
      expect(pretest?.rollupRules).to.deep.equal({ rollupObjectiveSatisfied: false, rollupProgressCompletion: true, objectiveMeasureWeight: 1, rules: [] });

      const lesson = itemById(manifest, 'lesson')?.sequencing;
      expect(lesson?.controlMode?.choice).to.equal(false);
      expect(lesson?.limitConditions?.attemptLimit).to.equal(5);
    });

    it('reports an IDRef that matches no collection entry', () => {
      const { problems } = read();
      const missing = problems.filter((problem) => problem.code === 'MANIFEST_SEQUENCING_REFERENCE_NOT_FOUND');
      expect(missing).to.have.length(1);
      expect(missing[0]?.severity).to.equal('error');
      expect(missing[0]?.message).to.contain('no_such_rules');
    });

    it('gives the SCO its passing score, time limit and objectives with imsss and adlseq mapInfo merged', () => {
      const sco = read().manifest.scos[0];
      expect(sco?.scaledPassingScore).to.equal(0.65);
      expect(sco?.maxTimeAllowed).to.equal('PT1H30M');
      expect(sco?.objectives.map((objective) => objective.id)).to.deep.equal(['pretest_passed', 'pretest_topic_a']);
      expect(sco?.objectives[0]?.mapInfo).to.deep.equal([
        {
          targetObjectiveId: 'global.pretest',
          readSatisfiedStatus: true, readNormalizedMeasure: true, writeSatisfiedStatus: true, writeNormalizedMeasure: true,
          readRawScore: true, readMinScore: true, readMaxScore: true, readCompletionStatus: true, readProgressMeasure: true,
          writeRawScore: true, writeMinScore: false, writeMaxScore: false, writeCompletionStatus: true, writeProgressMeasure: false,
        },
        {
          targetObjectiveId: 'global.pretest_progress',
          readSatisfiedStatus: false, readNormalizedMeasure: false, writeSatisfiedStatus: false, writeNormalizedMeasure: false,
          readRawScore: true, readMinScore: true, readMaxScore: true, readCompletionStatus: true, readProgressMeasure: true,
          writeRawScore: false, writeMinScore: false, writeMaxScore: false, writeCompletionStatus: false, writeProgressMeasure: true,
        },
      ]);
      expect(sco?.objectives[1]?.mapInfo).to.deep.equal([{
        targetObjectiveId: 'global.topic_a',
        readSatisfiedStatus: true, readNormalizedMeasure: false, writeSatisfiedStatus: false, writeNormalizedMeasure: false,
      }]);
    });

    it('keeps the sequencing rules of a cluster in full', () => {
      const cluster = itemById(read().manifest, 'pretest')?.sequencing;
      expect(cluster?.sequencingRules).to.deep.equal({
        preConditionRules: [{
          conditionCombination: 'any',
          conditions: [
            { condition: 'satisfied', operator: 'noOp', referencedObjective: 'pretest_passed', measureThreshold: null },
            { condition: 'objectiveMeasureGreaterThan', operator: 'noOp', referencedObjective: null, measureThreshold: 0.9 },
          ],
          action: 'skip',
        }],
        exitConditionRules: [{
          conditionCombination: 'all',
          conditions: [{ condition: 'completed', operator: 'noOp', referencedObjective: null, measureThreshold: null }],
          action: 'exit',
        }],
        postConditionRules: [{
          conditionCombination: 'all',
          conditions: [{ condition: 'satisfied', operator: 'not', referencedObjective: null, measureThreshold: null }],
          action: 'retry',
        }],
      });
    });

    it('keeps rollup rules, randomization and the adlseq considerations of a cluster', () => {
      const cluster = itemById(read().manifest, 'pretest')?.sequencing;
      expect(cluster?.rollupRules).to.deep.equal({
        rollupObjectiveSatisfied: true,
        rollupProgressCompletion: false,
        objectiveMeasureWeight: 0.5,
        rules: [
          {
            childActivitySet: 'atLeastCount', minimumCount: 2, minimumPercent: 0, conditionCombination: 'all',
            conditions: [{ condition: 'completed', operator: 'noOp' }, { condition: 'attempted', operator: 'not' }],
            action: 'completed',
          },
          {
            childActivitySet: 'atLeastPercent', minimumCount: 0, minimumPercent: 0.75, conditionCombination: 'any',
            conditions: [{ condition: 'satisfied', operator: 'noOp' }],
            action: 'satisfied',
          },
        ],
      });
      expect(cluster?.randomizationControls).to.deep.equal({ randomizationTiming: 'onEachNewAttempt', selectCount: 1, reorderChildren: true, selectionTiming: 'once' });
      expect(cluster?.constrainedChoiceConsiderations).to.deep.equal({ preventActivation: true, constrainChoice: false });
      expect(cluster?.rollupConsiderations).to.deep.equal({
        requiredForSatisfied: 'ifAttempted', requiredForNotSatisfied: 'always', requiredForCompleted: 'always',
        requiredForIncomplete: 'always', measureSatisfactionIfActive: false,
      });
      expect(cluster?.objectives).to.equal(null);
    });

    it('keeps the organisation sequencing and hideLMSUI', () => {
      const { manifest } = read();
      expect(manifest.organizationSequencing?.controlMode).to.include({ choice: true, flow: true });
      expect(manifest.organizationSequencing?.auxiliaryResources).to.deep.equal([{ auxiliaryResourceID: 'urn:help', purpose: 'help' }]);
      expect(manifest.scos[1]?.hideLmsUi).to.deep.equal(['exitAll', 'abandon']);
    });

    it('reports a rule action outside the vocabulary as an error and drops the rule', () => {
      const xml = manifestXml({
        namespaces: `${CP_2004} xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`,
        schemaVersion: '2004 3rd Edition',
        items: `<item identifier="item" identifierref="res"><title>Item</title><imsss:sequencing><imsss:sequencingRules>
            <imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="always"/></imsss:ruleConditions>
            <imsss:ruleAction action="explode"/></imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing></item>`,
        resources: '<resource identifier="res" type="webcontent" adlcp:scormType="sco" href="index.html"/>',
      });
      const { manifest, problems } = parseManifest(xml);
      expect(codes(problems, 'error')).to.deep.equal(['MANIFEST_INVALID_VALUE']);
      expect(problems[0]?.message).to.contain('explode');
      expect(manifest?.items[0]?.sequencing?.sequencingRules?.preConditionRules).to.deep.equal([]);
    });
  });

  describe('sloppy values', () => {
    it('warns about and ignores a mastery score that is not a percentage', () => {
      const { manifest, problems } = parseManifest(manifestXml({
        items: '<item identifier="item" identifierref="res"><title>Item</title><adlcp:masteryscore>eighty</adlcp:masteryscore></item>',
        resources: ONE_SCO_RESOURCE,
      }));
      expect(manifest?.scos[0]?.masteryScore).to.equal(null);
      expect(codes(problems, 'warning')).to.deep.equal(['MANIFEST_INVALID_VALUE']);
      expect(codes(problems, 'error')).to.deep.equal([]);
    });

    it('takes the title from the identifier when an item has none, with a warning', () => {
      const { manifest, problems } = parseManifest(manifestXml({ items: '<item identifier="untitled" identifierref="res"/>', resources: ONE_SCO_RESOURCE }));
      expect(manifest?.scos[0]?.title).to.equal('untitled');
      expect(codes(problems, 'warning')).to.deep.equal(['MANIFEST_MISSING_VALUE']);
    });
  });
});
