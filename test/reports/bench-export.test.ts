import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.js';

describe('npm run bench:export (at a tiny size)', function () {
  this.timeout(180_000);

  it('prints the ratio to the sqlite3 CLI, the peak RSS and the single-branch time', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/export/run.ts')], {
      cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 170_000,
      env: { ...process.env, BENCH_EMPLOYEES: '2000', BENCH_BRANCHES: '60', BENCH_ROUNDS: '1', BENCH_STRICT: '0' },
    });
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^export benchmark: 60 branches in 5 levels, 2,000 employees, 10 courses/m);
    expect(result.stdout).to.match(/^sqlite3 CLI\s+: [\d.]+ s\s+[\d,]+ rows/m);
    expect(result.stdout).to.match(/^ratio\s+: \d+\.\d\d\s+\(target ≤ 1\.5\)$/m);
    expect(result.stdout).to.match(/^peak RSS\s+: [\d,]+ MB/m);
    expect(result.stdout).to.match(/^single branch : [\d.]+ ms/m);
  });
});
