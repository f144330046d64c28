// When a sequenced SCO begins a new learner attempt (RTE 4.2.8 cmi.entry, 4.2.10 cmi.exit), and
// what it carries over from the last one.
import { expect } from 'chai';
import { carriedIntoNewAttempt, startsNewLearnerAttempt } from '../../../server/scorm/sequencing/learner-attempt.js';

const base = { storedExit: 'normal', lastSessionEnded: true, engine: null, activityId: 'a' } as const;

describe('new learner attempt of a sequenced SCO', () => {
  it('begins after a session that ended (Terminate) without "suspend"', () => {
    expect(startsNewLearnerAttempt(base)).to.equal(true);
    expect(startsNewLearnerAttempt({ ...base, storedExit: null })).to.equal(true);
    expect(startsNewLearnerAttempt({ ...base, storedExit: '' })).to.equal(true);
  });

  it('resumes after "suspend", after a session that never terminated, and when the engine suspended the activity', () => {
    expect(startsNewLearnerAttempt({ ...base, storedExit: 'suspend' })).to.equal(false);
    expect(startsNewLearnerAttempt({ ...base, lastSessionEnded: false })).to.equal(false);
    expect(startsNewLearnerAttempt({ ...base, lastSessionEnded: null })).to.equal(false);
    expect(startsNewLearnerAttempt({ ...base, engine: { sequencing: { suspendedActivity: 'a' } } })).to.equal(false);
    expect(startsNewLearnerAttempt({ ...base, engine: { sequencing: { activityStates: { a: { isSuspended: true } } } } })).to.equal(false);
    expect(startsNewLearnerAttempt({ ...base, engine: { sequencing: { suspendedActivity: 'b', activityStates: { a: { isSuspended: false } } } } })).to.equal(true);
  });

  it('carries only the learner preferences into the new attempt', () => {
    const kept = carriedIntoNewAttempt({
      'cmi.location': 'p2', 'cmi.success_status': 'passed', 'cmi.objectives.0.id': 'o1', 'cmi.objectives.0.success_status': 'passed',
      'cmi.learner_preference.language': 'zh-CN', 'cmi.learner_preference.audio_level': '2',
    });
    expect({ ...kept }).to.deep.equal({ 'cmi.learner_preference.language': 'zh-CN', 'cmi.learner_preference.audio_level': '2' });
  });
});
