import { expect } from 'chai';
import { isResultChange, tryNumberOf } from '../../server/scorm/tries.js';
import { creditActivity, IDLE_CUT_SECONDS, isActivityDue } from '../../server/scorm/learning-time.js';
import { attemptAllowance } from '../../server/certification/attempt-allowance.js';

describe('tries (pure rules)', () => {
  const r = (successStatus: 'passed' | 'failed' | 'unknown', scoreScaled: number | null) => ({ successStatus, scoreRaw: null, scoreScaled });

  it('sees a change of score or success status, and nothing else', () => {
    expect(isResultChange(null, r('unknown', null))).to.equal(false);
    expect(isResultChange(null, r('failed', 0.4))).to.equal(true);
    expect(isResultChange(r('failed', 0.4), r('failed', 0.4))).to.equal(false);
    expect(isResultChange(r('failed', 0.4), r('failed', 0.3))).to.equal(true);
    expect(isResultChange(r('failed', 0.4), r('passed', 0.4))).to.equal(true);
  });

  it('opens a new try after each decision, but not for the score completing it', () => {
    expect(tryNumberOf(null, r('unknown', 0.2))).to.equal(1);
    expect(tryNumberOf({ tryNumber: 1, ...r('unknown', 0.2) }, r('failed', 0.4))).to.equal(1);
    expect(tryNumberOf({ tryNumber: 1, ...r('failed', 0.4) }, r('passed', 0.9))).to.equal(2);
    expect(tryNumberOf({ tryNumber: 2, ...r('failed', 0.4) }, r('failed', 0.3))).to.equal(3);
    expect(tryNumberOf({ tryNumber: 2, ...r('passed', null) }, r('passed', 0.9))).to.equal(2);
  });
});

describe('measured learning time (pure rules)', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 5, 1, 2, 0, s));

  it('counts gaps up to the idle cut and nothing for longer ones or a clock step back', () => {
    expect(creditActivity(null, at(0))).to.deep.equal({ addSeconds: 0, lastActivityAt: at(0).toISOString() });
    expect(creditActivity(at(0).toISOString(), at(30)).addSeconds).to.equal(30);
    expect(creditActivity(at(0).toISOString(), at(IDLE_CUT_SECONDS)).addSeconds).to.equal(IDLE_CUT_SECONDS);
    expect(creditActivity(at(0).toISOString(), at(IDLE_CUT_SECONDS + 1))).to.deep.equal({ addSeconds: 0, lastActivityAt: at(IDLE_CUT_SECONDS + 1).toISOString() });
    expect(creditActivity(at(30).toISOString(), at(0))).to.deep.equal({ addSeconds: 0, lastActivityAt: at(30).toISOString() });
  });

  it('writes a signal only every few seconds (the next write counts the whole gap)', () => {
    expect(isActivityDue(null, at(0))).to.equal(true);
    expect(isActivityDue(at(0).toISOString(), at(5))).to.equal(false);
    expect(isActivityDue(at(0).toISOString(), at(10))).to.equal(true);
  });
});

describe('attempt allowance counts package tries', () => {
  it('counts each try of an attempt, and an attempt without a graded try once', () => {
    const attempts = [{ startedAt: '2026-06-01T00:00:00Z', finishedAt: '2026-06-01T01:00:00Z', triesCount: 5 }];
    expect(attemptAllowance({ attemptsLimit: 3, retakesGranted: 0, attempts, cycleStartedAt: null })).to.deep.equal({ used: 5, allowed: 3, isLocked: true });
    const ungraded = [{ startedAt: '2026-06-01T00:00:00Z', finishedAt: '2026-06-01T01:00:00Z', triesCount: 0 }];
    expect(attemptAllowance({ attemptsLimit: 3, retakesGranted: 0, attempts: ungraded, cycleStartedAt: null })).to.deep.equal({ used: 1, allowed: 3, isLocked: false });
  });
});
