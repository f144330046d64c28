import { expect } from 'chai';
import { attemptPasses, countedAttempt, type PassRules } from '../../server/certification/pass-rules.js';

const attempt = (over: Partial<Parameters<typeof attemptPasses>[1]> = {}) => ({ completionStatus: 'completed', successStatus: 'unknown', scoreScaled: null, finishedAt: null, ...over });
const rollup: PassRules = { completionRule: 'rollup', passMark: null, countedAttempt: 'last' };

describe('pass rules', () => {
  it('needs completion first, whatever the score', () => {
    expect(attemptPasses(rollup, attempt({ completionStatus: 'incomplete', successStatus: 'passed' }), [])).to.equal(false);
    expect(attemptPasses({ ...rollup, passMark: 80 }, attempt({ completionStatus: 'incomplete', scoreScaled: 1 }), [])).to.equal(false);
  });

  it('compares the exam score with a course pass mark, inclusive, and ignores the package verdict', () => {
    const rules = { ...rollup, passMark: 80 };
    expect(attemptPasses(rules, attempt({ scoreScaled: 0.8, successStatus: 'failed' }), [])).to.equal(true);
    expect(attemptPasses(rules, attempt({ scoreScaled: 0.7999, successStatus: 'passed' }), [])).to.equal(false);
    expect(attemptPasses(rules, attempt({ scoreScaled: null, successStatus: 'passed' }), [])).to.equal(false);
  });

  it('without a pass mark: the package decides, and a package that never judges passes on completion', () => {
    expect(attemptPasses(rollup, attempt({ successStatus: 'failed' }), [])).to.equal(false);
    expect(attemptPasses(rollup, attempt({ successStatus: 'passed' }), [])).to.equal(true);
    expect(attemptPasses(rollup, attempt(), [{ judgesSuccess: false, completionStatus: 'completed', successStatus: 'unknown' }])).to.equal(true);
    expect(attemptPasses(rollup, attempt(), [{ judgesSuccess: true, completionStatus: 'completed', successStatus: 'unknown' }])).to.equal(false);
  });

  it("'all_scos' wants every SCO completed, and passed where it has a mastery score", () => {
    const rules: PassRules = { ...rollup, completionRule: 'all_scos' };
    const lesson = { judgesSuccess: false, completionStatus: 'completed', successStatus: 'unknown' };
    const exam = { judgesSuccess: true, completionStatus: 'completed', successStatus: 'passed' };
    expect(attemptPasses(rules, attempt({ successStatus: 'passed' }), [lesson, exam])).to.equal(true);
    expect(attemptPasses(rules, attempt({ successStatus: 'passed' }), [{ ...lesson, completionStatus: 'incomplete' }, exam])).to.equal(false);
    expect(attemptPasses(rules, attempt({ successStatus: 'passed' }), [lesson, { ...exam, successStatus: 'failed' }])).to.equal(false);
    expect(attemptPasses(rules, attempt({ successStatus: 'passed' }), [])).to.equal(false);
  });

  it('counts the last attempt or the highest-scoring one', () => {
    const attempts = [{ number: 1, scoreScaled: 0.9 }, { number: 2, scoreScaled: null }, { number: 3, scoreScaled: 0.6 }];
    expect(countedAttempt({ countedAttempt: 'last' }, attempts)?.number).to.equal(3);
    expect(countedAttempt({ countedAttempt: 'highest' }, attempts)?.number).to.equal(1);
    expect(countedAttempt({ countedAttempt: 'highest' }, [])).to.equal(null);
  });
});
