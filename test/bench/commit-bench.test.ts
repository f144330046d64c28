import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.js';

describe('npm run bench:commit (one short round)', function () {
  this.timeout(60_000);

  it('measures both servers with every commit accepted and prints the ratio', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/commit/run.ts')], {
      cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 55_000,
      env: { ...process.env, BENCH_SECONDS: '1', BENCH_WARMUP_SECONDS: '0.3', BENCH_ROUNDS: '1' },
    });
    expect(result.status, result.stderr).to.equal(0);
    const figures = String.raw`\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(?:[\d.]+|-)\s+(\d+)\s+(\d+)$`;
    for (const name of ['bare Express \\+ better-sqlite3', 'real commit endpoint']) {
      const row = new RegExp(`^${name}${figures}`, 'm').exec(result.stdout);
      expect(row, `${name} row in:\n${result.stdout}`).to.not.equal(null);
      const [, perSecond, , , requests, errors] = row!;
      expect(Number(perSecond), name).to.be.greaterThan(0);
      expect(Number(requests), name).to.be.greaterThan(0);
      // The real endpoint answered {"result":true} to every scorm-again commit: nothing was refused.
      expect(Number(errors), name).to.equal(0);
    }
    expect(result.stdout).to.match(/^ratio real\/bare : \d+\.\d\d {3}\(target ≥ 0\.5, (met|NOT met)\)$/m);
    expect(result.stdout).to.not.match(/^warning:/m);
  });
});
