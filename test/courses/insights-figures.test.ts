import { expect } from 'chai';
import { bucketOf, scoreDistribution } from '../../server/courses/score-distribution.js';
import { attemptAllowance } from '../../server/certification/attempt-allowance.js';

describe('score distribution buckets', () => {
  it('puts each score in its tens, 100 with the nineties, and clamps what is out of range', () => {
    const cases: Array<[number, number]> = [[0, 0], [9.9, 0], [10, 1], [69.9, 6], [70, 7], [99.9, 9], [100, 9], [-20, 0], [130, 9]];
    for (const [score, bucket] of cases) expect(bucketOf(score), String(score)).to.equal(bucket);
  });

  it('adds up the counts of each score into ten ranges 0–9 … 90–100', () => {
    const buckets = scoreDistribution([{ score: 35, count: 2 }, { score: 39.9, count: 1 }, { score: 90, count: 4 }, { score: 100, count: 3 }]);
    expect(buckets.map((b) => [b.from, b.to])).to.deep.equal([[0, 9], [10, 19], [20, 29], [30, 39], [40, 49], [50, 59], [60, 69], [70, 79], [80, 89], [90, 100]]);
    expect(buckets.map((b) => b.count)).to.deep.equal([0, 0, 0, 3, 0, 0, 0, 0, 0, 7]);
  });
});

describe('attempt allowance (the launch rule, read for the trainer page)', () => {
  const finished = (startedAt: string) => ({ startedAt, finishedAt: startedAt });

  it('locks when the finished attempts of the cycle reach the limit plus retakes', () => {
    const attempts = [finished('2026-06-01T00:00:00Z'), finished('2026-06-02T00:00:00Z')];
    expect(attemptAllowance({ attemptsLimit: 2, retakesGranted: 0, attempts, cycleStartedAt: null })).to.deep.equal({ used: 2, allowed: 2, isLocked: true });
    expect(attemptAllowance({ attemptsLimit: 2, retakesGranted: 1, attempts, cycleStartedAt: null }).isLocked).to.equal(false);
    expect(attemptAllowance({ attemptsLimit: 3, retakesGranted: 0, attempts, cycleStartedAt: null }).isLocked).to.equal(false);
  });

  it('never locks without a limit or while an attempt is running, and counts only the current cycle', () => {
    const attempts = [finished('2026-06-01T00:00:00Z'), { startedAt: '2026-06-02T00:00:00Z', finishedAt: null }];
    expect(attemptAllowance({ attemptsLimit: null, retakesGranted: 0, attempts, cycleStartedAt: null })).to.deep.equal({ used: 2, allowed: null, isLocked: false });
    expect(attemptAllowance({ attemptsLimit: 1, retakesGranted: 0, attempts, cycleStartedAt: null }).isLocked).to.equal(false);
    const renewed = [finished('2026-06-01T00:00:00Z'), finished('2027-05-01T00:00:00Z')];
    expect(attemptAllowance({ attemptsLimit: 1, retakesGranted: 0, attempts: renewed, cycleStartedAt: '2026-06-01T08:00:00Z' })).to.deep.equal({ used: 1, allowed: 1, isLocked: true });
    expect(attemptAllowance({ attemptsLimit: 2, retakesGranted: 0, attempts: renewed, cycleStartedAt: '2026-06-01T08:00:00Z' }).isLocked).to.equal(false);
  });
});
