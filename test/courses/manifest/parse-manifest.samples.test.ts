// parseManifest and checkPackageFiles over every real package in ../shared/scorm-samples,
// checked against the facts SOURCES.md and RUNTIME-NOTES.md record about them.
import { expect } from 'chai';
import { checkPackageFiles } from '../../../server/courses/manifest/check-package-files.js';
import type { ParsedManifest, PackageProblem } from '../../../server/courses/manifest/manifest.types.js';
import { parseManifest } from '../../../server/courses/manifest/parse-manifest.js';
import { listSampleZips, readSampleFacts, readSampleZip, type SampleZip } from './scorm-samples.js';

interface ReadSample {
  zip: SampleZip;
  manifest: ParsedManifest;
  problems: PackageProblem[];
}

const samples = new Map<string, Promise<ReadSample>>();

/** Each zip is read once per run; the tests only look at the result. */
function readSample(fileName: string): Promise<ReadSample> {
  let sample = samples.get(fileName);
  if (!sample) {
    sample = readAndParse(fileName);
    samples.set(fileName, sample);
  }
  return sample;
}

async function readAndParse(fileName: string): Promise<ReadSample> {
  const zip = await readSampleZip(fileName);
  const { manifest, problems } = parseManifest(zip.manifestXml);
  if (!manifest) throw new Error(`${fileName}: no manifest, problems ${JSON.stringify(problems)}`);
  return { zip, manifest, problems };
}

const errorsOf = (problems: PackageProblem[]): PackageProblem[] => problems.filter((p) => p.severity === 'error');

describe('parseManifest on the real SCORM samples', () => {
  const facts = readSampleFacts();
  const zips = listSampleZips();

  it('finds the samples and their SOURCES.md rows', () => {
    expect(zips.length).to.be.greaterThan(0);
    expect(zips.filter((zip) => !facts.has(zip)), 'zips without a SOURCES.md row').to.deep.equal([]);
  });

  for (const fileName of zips) {
    describe(fileName, () => {
      it('reads the SCORM version, SCO count and first launch href SOURCES.md gives', async () => {
        const expected = facts.get(fileName);
        if (!expected) throw new Error(`${fileName} is not described in SOURCES.md`);
        const { manifest, problems } = await readSample(fileName);
        expect(errorsOf(problems)).to.deep.equal([]);
        expect(manifest.scormVersion).to.equal(expected.scormVersion);
        expect(manifest.scos).to.have.length(expected.scoCount);
        expect(manifest.scos[0]?.href).to.equal(expected.firstLaunchHref);
        expect(manifest.scos.map((sco) => sco.position)).to.deep.equal(manifest.scos.map((_, index) => index));
      });

      it('finds every SCO launch file in the zip, unless SOURCES.md says it is missing', async () => {
        const expected = facts.get(fileName);
        const { zip, manifest } = await readSample(fileName);
        const launchProblems = checkPackageFiles(manifest, (path) => zip.entryNames.has(path))
          .filter((problem) => problem.code === 'PACKAGE_LAUNCH_FILE_MISSING');
        if (expected?.isLaunchFileMissing) {
          expect(launchProblems.map((problem) => problem.path)).to.deep.equal([expected.firstLaunchHref]);
          expect(launchProblems[0]?.severity).to.equal('error');
          expect(launchProblems[0]?.message).to.contain(expected.firstLaunchHref);
        } else {
          expect(launchProblems).to.deep.equal([]);
        }
      });
    });
  }

  describe('package by package', () => {
    it('multisco (1.2): 18 SCOs under four parent items, quiz parameters appended to the href', async () => {
      const { manifest } = await readSample('golf-RuntimeMinimumCalls-SCORM12-multisco.zip');
      expect(manifest.items.map((item) => item.identifier)).to.deep.equal(['playing_item', 'etiquette_item', 'handicapping_item', 'havingfun_item']);
      expect(manifest.items.every((item) => item.resourceId === null && item.children.length > 0)).to.equal(true);
      const quiz = manifest.scos.find((sco) => sco.identifier === 'playing_quiz_item');
      expect(quiz?.parameters).to.equal('?questions=Playing');
      expect(quiz?.href).to.equal('shared/assessmenttemplate.html?questions=Playing');
      expect(manifest.scos.every((sco) => sco.masteryScore === null && sco.objectives.length === 0)).to.equal(true);
    });

    it('debugger (1.2): default organisation matches nothing, so the first one is used with a warning', async () => {
      const { manifest, problems } = await readSample('odd-scorm-debugger-complex-SCORM12.zip');
      expect(manifest.organizationId).to.equal('mm-SCORMDEbugger555f231e21b982c25d16');
      const fallback = problems.find((p) => p.code === 'MANIFEST_DEFAULT_ORGANIZATION_NOT_FOUND');
      expect(fallback).to.include({ severity: 'warning', path: 'imsmanifest.xml' });
      expect(fallback?.message).to.contain('default="SCORMDEbugger555f231e21b982c25d16"');
    });

    it('debugger (1.2): SCO parents with children, the asset item left out, hidden item and prerequisites kept', async () => {
      const { manifest } = await readSample('odd-scorm-debugger-complex-SCORM12.zip');
      const short = (id: string): string => id.replace('mm-ITEM-SCORMDEbugger555f231e21b982c25', '');
      expect(manifest.scos.map((sco) => short(sco.identifier))).to.deep.equal(['s01', 's02', 's04', 's05', 's06', 's07', 's08']);
      expect(new Set(manifest.scos.map((sco) => sco.href))).to.deep.equal(new Set(['index.html']));
      const parent = manifest.items.find((item) => short(item.identifier) === 's04');
      expect(parent?.resourceId).to.equal('RES-SCORMDEbugger555f231e21b982c25d18');
      expect(parent?.children[0]?.children.map((item) => short(item.identifier))).to.deep.equal(['s06']);
      expect(manifest.items.find((item) => short(item.identifier) === 's07')?.isVisible).to.equal(false);
      expect(manifest.items.find((item) => short(item.identifier) === 's03')?.href).to.equal('index.html');
      const withPrerequisites = manifest.items.find((item) => short(item.identifier) === 's08');
      expect(withPrerequisites?.prerequisites).to.deep.equal({
        type: 'aicc_script',
        expression: 'mm-ITEM-SCORMDEbugger555f231e21b982c25s01 & mm-ITEM-SCORMDEbugger555f231e21b982c25s02',
      });
      expect(manifest.scos.find((sco) => short(sco.identifier) === 's08')?.prerequisites).to.equal(withPrerequisites?.prerequisites?.expression);
    });

    it('sequencing (2004 4th): five SCOs with sequencing, ?content= hrefs, IDRef rules from the collection', async () => {
      const { manifest } = await readSample('golf-SequencingPostTestRollup-SCORM2004-4th.zip');
      expect(manifest.scos.map((sco) => sco.title)).to.deep.equal(['Playing the Game', 'Etiquette', 'Handicapping', 'Having Fun', 'Quiz']);
      expect(manifest.scos.map((sco) => sco.href)).to.deep.equal(
        ['playing', 'etiquette', 'handicapping', 'havingfun', 'assessment'].map((name) => `shared/launchpage.html?content=${name}`),
      );
      const items = manifest.items;
      expect(items.every((item) => item.sequencing !== null)).to.equal(true);
      expect(Object.keys(manifest.sequencingCollection)).to.deep.equal(['content_seq_rules']);
      // The four content items borrow rollup and delivery controls from content_seq_rules …
      for (const item of items.slice(0, 4)) {
        expect(item.sequencing?.idRef).to.equal('content_seq_rules');
        expect(item.sequencing?.rollupRules).to.include({ rollupObjectiveSatisfied: false, rollupProgressCompletion: false, objectiveMeasureWeight: 0 });
        expect(item.sequencing?.deliveryControls).to.deep.equal({ tracked: true, completionSetByContent: true, objectiveSetByContent: true });
      }
      // … the quiz has its own, which roll up.
      expect(items[4]?.sequencing?.idRef).to.equal(null);
      expect(items[4]?.sequencing?.rollupRules).to.include({ rollupObjectiveSatisfied: true, rollupProgressCompletion: true, objectiveMeasureWeight: 1 });
      expect(items[4]?.sequencing?.sequencingRules?.preConditionRules.map((rule) => rule.action)).to.deep.equal(['hiddenFromChoice', 'hiddenFromChoice']);
      expect(manifest.organizationSequencing?.controlMode).to.include({ choice: true, flow: true });
    });

    it('sequencing (2004 4th): completion on global objectives, shared data buckets, progress weights', async () => {
      const { manifest } = await readSample('golf-SequencingPostTestRollup-SCORM2004-4th.zip');
      expect(manifest.objectivesGlobalToSystem).to.equal(false);
      expect(manifest.sharedDataGlobalToSystem).to.equal(false);
      const notes = 'com.scorm.golfsamples.sequencing.forcedsequential.notesStorage';
      for (const sco of manifest.scos) {
        expect(sco.dataMaps).to.deep.equal([{ targetId: notes, readSharedData: true, writeSharedData: true }]);
        expect(sco.completionThreshold).to.equal(null); // progressWeight only: not completed by measure
      }
      expect(manifest.items.map((item) => item.completionThreshold?.progressWeight)).to.deep.equal([0.5, 0.3, 0.4, 0.3, 0.1]);

      const etiquette = manifest.scos[1];
      const primary = etiquette?.objectives.find((objective) => objective.isPrimary);
      expect(primary?.id).to.equal('ettiquette_completed');
      expect(primary?.mapInfo).to.have.length(1);
      expect(primary?.mapInfo[0]).to.include({
        targetObjectiveId: 'com.scorm.golfsamples.sequencing.forcedsequential.ettiquette_completed',
        readCompletionStatus: true,
        writeCompletionStatus: true,
        readSatisfiedStatus: false,
      });
      const previous = etiquette?.objectives.find((objective) => objective.id === 'previous_sco_completed');
      expect(previous?.mapInfo[0]).to.include({
        targetObjectiveId: 'com.scorm.golfsamples.sequencing.forcedsequential.playing_completed',
        readCompletionStatus: true,
        writeCompletionStatus: false,
      });
    });

    it('advanced calls (2004 3rd): the primary objective gives scaledPassingScore 0.8 and the objective ids', async () => {
      const { manifest } = await readSample('golf-RunTimeAdvancedCalls-SCORM2004-3rd.zip');
      const sco = manifest.scos[0];
      expect(sco?.scaledPassingScore).to.equal(0.8);
      expect(sco?.objectives.map((objective) => [objective.id, objective.isPrimary])).to.deep.equal([
        ['PRIMARYOBJ', true],
        ['obj_etiquette', false],
        ['obj_handicapping', false],
        ['obj_havingfun', false],
        ['obj_playing', false],
      ]);
      expect(sco?.objectives[0]).to.include({ satisfiedByMeasure: true, minNormalizedMeasure: 0.8 });
    });

    it('basic calls (2004 3rd): the organisation sequencing has controlMode choice+flow', async () => {
      const { manifest } = await readSample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip');
      expect(manifest.organizationSequencing?.controlMode).to.include({ choice: true, flow: true });
      expect(manifest.scos[0]?.scaledPassingScore).to.equal(null);
    });

    it('Rise 360 (1.2): adlcp:datafromlms becomes the launch data', async () => {
      const { manifest } = await readSample('rise360-quiz-SCORM12.zip');
      expect(manifest.title).to.equal('bacon II');
      expect(manifest.scos[0]?.launchData).to.equal('eyJjcHYiOiJPUHZNMnRFNyIsInJsZCI6ZmFsc2V9');
    });

    it('broken Captivate (1.2): parses cleanly, and only the package check finds index_scorm.html missing', async () => {
      const { zip, manifest, problems } = await readSample('broken-captivate9-placementtest-missing-launch-SCORM12.zip');
      expect(errorsOf(problems)).to.deep.equal([]);
      expect(zip.entryNames.has('index.html')).to.equal(true);
      const fileProblems = checkPackageFiles(manifest, (path) => zip.entryNames.has(path));
      const errors = errorsOf(fileProblems);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.include({ code: 'PACKAGE_LAUNCH_FILE_MISSING', path: 'index_scorm.html' });
      expect(errors[0]?.message).to.contain('index_scorm.html');
      // It is listed as a <file> too; it is reported once, as the error.
      expect(fileProblems.filter((problem) => problem.path === 'index_scorm.html')).to.have.length(1);
    });
  });
});
