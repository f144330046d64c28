// npm run test:fuzz -- [--seed N] [--commits N] [--zips N] [--forms N]
// Prints the seed first (rerun a failure with --seed), then the figures; exits 1 on any violation.
import { parseArgs } from 'node:util';
import { runFuzz } from './engine.js';
import { summarise } from './summary.js';

const { values } = parseArgs({
  options: { seed: { type: 'string' }, commits: { type: 'string', default: '200' }, zips: { type: 'string', default: '30' }, forms: { type: 'string', default: '150' } },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
console.log(`fuzz seed ${seed} (rerun with --seed ${seed})`);
const started = performance.now();
const report = await runFuzz({ seed, commits: Number(values.commits), zips: Number(values.zips), forms: Number(values.forms), log: (line) => console.log(line) });
console.log(summarise(report, (performance.now() - started) / 1000));
process.exitCode = report.violations.length + report.stalls.length > 0 ? 1 : 0;
