// Patch 009: a primary objective that reads a global objective initializes the SCO's own
// cmi.success_status / cmi.completion_status at launch (README, "SCORM conformance"). Each SCO
// runs on its own page, as in the player: a fresh API restored from the engine state the last
// page saved, seeded as at delivery.
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
const map = (flags: Record<string, boolean>) => ({ targetObjectiveID: 'shared', ...NO_ACCESS, ...flags });
const primary = (id: string, maps: object[], extra: object = {}) => ({ objectiveID: id, isPrimary: true, satisfiedByMeasure: false, minNormalizedMeasure: null, mapInfo: maps, ...extra });

/** a writes its status to "shared"; b's primary objective reads it with `reads`. */
function tree(reads: Record<string, boolean>, bPrimaryExtra: object = {}) {
  return {
    id: 'root', title: 'root', sequencingControls: { choice: true, flow: true },
    children: [
      { id: 'a', title: 'a', deliveryControls: { tracked: true, completionSetByContent: true, objectiveSetByContent: true },
        primaryObjective: primary('a_p', [map({ writeSatisfiedStatus: true, writeNormalizedMeasure: true, writeCompletionStatus: true })]) },
      { id: 'b', title: 'b', primaryObjective: primary('b_p', [map(reads)], bPrimaryExtra) },
    ],
  };
}

const api = (activityTree: object) => new Scorm2004API({ logLevel: 5, lmsCommitUrl: false, autocommit: false, sequencing: { activityTree, logLevel: 'error' } });

/** a reports `values` and continues; b's page builds its API from the saved state. */
function bAfter(activityTree: object, values: Record<string, string>): Api2004 {
  const first = api(activityTree);
  first.processNavigationRequest('start');
  first.Initialize('');
  for (const [element, value] of Object.entries(values)) expect(first.SetValue(element, value), element).to.equal('true');
  first.SetValue('adl.nav.request', 'continue');
  first.Terminate('');
  const next = api(activityTree);
  next.deserializeSequencingState(first.serializeSequencingState());
  next.applyCurrentActivityLaunchData();
  expect(next.Initialize('')).to.equal('true');
  return next;
}

describe('scorm-again patches: 009 a primary objective read from a global objective sets the SCO status', () => {
  it('readSatisfiedStatus / readCompletionStatus: cmi.success_status and cmi.completion_status start as the global says', () => {
    const b = bAfter(tree({ readSatisfiedStatus: true, readCompletionStatus: true }), { 'cmi.success_status': 'failed', 'cmi.completion_status': 'completed' });
    expect(b.GetValue('cmi.success_status')).to.equal('failed');
    expect(b.GetValue('cmi.completion_status')).to.equal('completed');
    expect(b.GetValue('cmi.objectives.0.id')).to.equal('b_p');
    expect(b.GetValue('cmi.objectives.0.success_status')).to.equal('failed');
  });

  it('readNormalizedMeasure with satisfiedByMeasure: the measure read (0.9 ≥ 0.6) gives "passed"', () => {
    const b = bAfter(tree({ readNormalizedMeasure: true }, { satisfiedByMeasure: true, minNormalizedMeasure: 0.6 }), { 'cmi.score.scaled': '0.9' });
    expect(b.GetValue('cmi.success_status')).to.equal('passed');
    expect(b.GetValue('cmi.completion_status'), 'completion is not read').to.equal('unknown');
  });

  it('a global objective never written reads as unknown; a map that reads nothing leaves the status unknown', () => {
    expect(bAfter(tree({ readSatisfiedStatus: true, readCompletionStatus: true }), {}).GetValue('cmi.success_status')).to.equal('unknown');
    const writesOnly = bAfter(tree({ writeSatisfiedStatus: true }), { 'cmi.success_status': 'passed', 'cmi.completion_status': 'completed' });
    expect(writesOnly.GetValue('cmi.success_status')).to.equal('unknown');
    expect(writesOnly.GetValue('cmi.completion_status')).to.equal('unknown');
  });
});
