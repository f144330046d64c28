// Patch 010: a completion status the SCO never reported is not written to a global objective as
// known ("not attempted"); the global objective stays unknown (README, "SCORM conformance").
import { expect } from 'chai';
import * as scorm2004 from 'scorm-again/scorm2004';

interface Api2004 {
  Initialize(p: string): string; Terminate(p: string): string; GetValue(e: string): string; SetValue(e: string, v: string): string;
  processNavigationRequest(request: string, target?: string): boolean;
  serializeSequencingState(): string; deserializeSequencingState(state: string): void; applyCurrentActivityLaunchData(): void;
}
const { Scorm2004API } = scorm2004 as unknown as { Scorm2004API: new (settings: object) => Api2004 };

const NO_ACCESS = {
  readSatisfiedStatus: false, readNormalizedMeasure: false, writeSatisfiedStatus: false, writeNormalizedMeasure: false,
  readCompletionStatus: false, writeCompletionStatus: false, readProgressMeasure: false, writeProgressMeasure: false,
  readRawScore: false, writeRawScore: false, readMinScore: false, writeMinScore: false, readMaxScore: false, writeMaxScore: false,
};
const objective = (id: string, isPrimary: boolean, flags: Record<string, boolean>) => ({
  objectiveID: id, isPrimary, satisfiedByMeasure: false, minNormalizedMeasure: null, mapInfo: [{ targetObjectiveID: 'shared', ...NO_ACCESS, ...flags }],
});
const activityTree = {
  id: 'root', title: 'root', sequencingControls: { choice: true, flow: true },
  children: [
    // a reports its completion itself (completionSetByContent), and writes it to "shared".
    { id: 'a', title: 'a', deliveryControls: { tracked: true, completionSetByContent: true, objectiveSetByContent: true },
      primaryObjective: objective('a_p', true, { writeCompletionStatus: true }) },
    { id: 'b', title: 'b', primaryObjective: { objectiveID: 'b_p', isPrimary: true, satisfiedByMeasure: false, minNormalizedMeasure: null, mapInfo: [] },
      objectives: [objective('b_o', false, { readCompletionStatus: true })] },
  ],
};
const api = () => new Scorm2004API({ logLevel: 5, lmsCommitUrl: false, autocommit: false, sequencing: { activityTree, logLevel: 'error' } });

/** What b's objective reads after a's SCO reported `values` (each SCO on its own page, as in the player). */
function readByB(values: Record<string, string>): string {
  const a = api();
  a.processNavigationRequest('start');
  a.Initialize('');
  for (const [element, value] of Object.entries(values)) a.SetValue(element, value);
  a.SetValue('adl.nav.request', 'continue');
  a.Terminate('');
  const b = api();
  b.deserializeSequencingState(a.serializeSequencingState());
  b.applyCurrentActivityLaunchData();
  b.Initialize('');
  expect(b.GetValue('cmi.objectives.1.id')).to.equal('b_o');
  return b.GetValue('cmi.objectives.1.completion_status');
}

describe('scorm-again patches: 010 a completion never reported is not written as known', () => {
  it('a SCO that reports no completion leaves the global objective unknown (was "not attempted")', () => {
    expect(readByB({})).to.equal('unknown');
  });

  it('a reported completion is written and read back as reported', () => {
    expect(readByB({ 'cmi.completion_status': 'incomplete' })).to.equal('incomplete');
    expect(readByB({ 'cmi.completion_status': 'completed' })).to.equal('completed');
  });
});
