// Issue 12, "test:crash" in CI size: the real server killed with SIGKILL three times under commit
// load from 20 learners, then the disk-full case on a tmpfs (needs root, as CI runs). The large
// run is `npm run test:crash -- --kills 20` (README, "Crash suite").
import { expect } from 'chai';
import { runCrashSuite } from './crash-engine.js';
import { diskFullProblems } from './verdict.js';

describe('crash suite: SIGKILL under commit load, then a full disk', function () {
  this.timeout(240_000);

  it('loses no acknowledged commit, keeps the database intact, refuses clearly while the disk is full and recovers', async () => {
    const seed = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
    const lines: string[] = [];
    const report = await runCrashSuite({
      learners: 20, kills: 3, seed, upMs: [300, 2500], diskFull: { fullMs: 1500, recoverMs: 15_000 }, log: (line) => lines.push(line),
    });
    const context = `seed ${seed} (CRASH_SEED=${seed} repeats the kill moments):\n${lines.join('\n')}`;
    expect(report.acknowledged, `commits acknowledged; ${context}`).to.be.greaterThan(200);
    expect(report.checks.map((c) => c.integrity), `integrity_check after each kill; ${context}`).to.deep.equal(['ok', 'ok', 'ok']);
    expect(report.checks.flatMap((c) => c.lost), `acknowledged commits missing after a kill; ${context}`).to.deep.equal([]);
    expect(report.lost).to.equal(0);
    expect(diskFullProblems(report.diskFull!), context).to.deep.equal([]);
  });
});
