import { expect } from 'chai';
import {
  entryActivityOf, isChoiceRefused, mergeGlobalObjective, parseSequencingSave, pickGlobalObjectives, readStoredSequencing, rootOutcomeOf,
} from '../../../server/scorm/sequencing/sequencing-state.js';

const state = (root: object, others: Record<string, object> = {}, extra: object = {}) => ({
  sequencing: { currentActivity: 'b', suspendedActivity: null, activityStates: { root: { attemptCount: 1, ...root }, ...others } }, ...extra,
});

describe('sequencing state (what the LMS reads from scorm-again\'s serialized state)', () => {
  it('takes the course result from the root activity', () => {
    expect(rootOutcomeOf(state({ completionStatus: 'completed', successStatus: 'failed', objectiveMeasureStatus: true, objectiveNormalizedMeasure: 0.456789 }), 'root'))
      .to.deep.equal({ completionStatus: 'completed', successStatus: 'failed', scoreScaled: 0.4568 });
    expect(rootOutcomeOf(state({ completionStatus: 'unknown', successStatus: 'unknown', objectiveNormalizedMeasure: 0.9 }, { a: { attemptCount: 1 } }), 'root'))
      .to.deep.equal({ completionStatus: 'incomplete', successStatus: 'unknown', scoreScaled: null });
    expect(rootOutcomeOf(state({ completionStatus: 'unknown' }, { a: { attemptCount: 0 } }), 'root').completionStatus).to.equal('not attempted');
  });

  it('resumes the suspended activity first, else the current one; never refuses those', () => {
    const suspended = { sequencing: { currentActivity: null, suspendedActivity: 'a' } };
    expect(entryActivityOf(suspended)).to.equal('a');
    expect(entryActivityOf(state({}))).to.equal('b');
    expect(entryActivityOf(null)).to.equal(null);
    const stored = { rev: 1, state: state({}), choice: { a: 'false', b: 'false', c: 'true' } };
    expect(isChoiceRefused(stored, 'a')).to.equal(true);
    expect(isChoiceRefused(stored, 'b'), 'the current activity').to.equal(false);
    expect(isChoiceRefused(stored, 'c')).to.equal(false);
    expect(isChoiceRefused(null, 'a')).to.equal(false);
  });

  it('accepts a save only with a positive revision and a JSON object state; keeps only true/false choices', () => {
    expect(parseSequencingSave({ rev: 2, state: '{"sequencing":null}', choice: { a: 'false', b: 7 } })).to.deep.equal({ rev: 2, state: { sequencing: null }, choice: { a: 'false' } });
    for (const bad of [null, { rev: 0, state: '{}' }, { rev: 1.5, state: '{}' }, { rev: 1, state: '[]' }, { rev: 1, state: 'x' }, { rev: 1, state: {} }, { rev: 1, state: '{"sequencing":3}' }]) {
      expect(parseSequencingSave(bad), JSON.stringify(bad)).to.equal(null);
    }
    expect(readStoredSequencing('{"rev":3,"state":{},"choice":{"a":"true"}}')).to.deep.equal({ rev: 3, state: {}, choice: { a: 'true' } });
    expect(readStoredSequencing('garbage')).to.equal(null);
  });

  it('merges global objectives: known values win, unknown ones keep what another course recorded', () => {
    const previous = { satisfiedStatus: true, satisfiedStatusKnown: true, completionStatus: 'incomplete', completionStatusKnown: true };
    const next = { satisfiedStatus: false, satisfiedStatusKnown: false, completionStatus: 'completed', completionStatusKnown: true };
    expect(mergeGlobalObjective(previous, next)).to.deep.equal({ satisfiedStatus: true, satisfiedStatusKnown: true, completionStatus: 'completed', completionStatusKnown: true });
    expect(mergeGlobalObjective(null, next)).to.equal(next);
    expect(pickGlobalObjectives({ globalObjectiveMap: { x: next, y: previous } }, new Set(['y']))).to.deep.equal({ y: previous });
  });
});
