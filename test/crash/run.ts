/**
 * npm run test:crash [-- --kills 20 --learners 40 --seed 7 --no-disk-full]
 * Kills the real server with SIGKILL under commit load and checks that nothing it acknowledged
 * is lost (see crash-engine.ts). Exits 1 on any loss, a failed integrity check, or a disk-full
 * case that does not refuse, loses or recover as it should.
 */
import { parseArgs } from 'node:util';
import { runCrashSuite } from './crash-engine.js';
import { diskFullProblems } from './verdict.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '3' },
    learners: { type: 'string', default: '30' },
    seed: { type: 'string' },
    'min-up-ms': { type: 'string', default: '500' },
    'max-up-ms': { type: 'string', default: '4000' },
    'full-ms': { type: 'string', default: '3000' },
    'no-disk-full': { type: 'boolean', default: false },
  },
});

const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const report = await runCrashSuite({
  learners: Number(values.learners), kills: Number(values.kills), seed,
  upMs: [Number(values['min-up-ms']), Number(values['max-up-ms'])],
  diskFull: values['no-disk-full'] ? null : { fullMs: Number(values['full-ms']), recoverMs: 20_000 },
  log: (line) => console.log(`[crash] ${line}`),
});

const badIntegrity = report.checks.filter((c) => c.integrity !== 'ok').length + (report.diskFull && report.diskFull.check.integrity !== 'ok' ? 1 : 0);
const diskProblems = report.diskFull ? diskFullProblems(report.diskFull) : [];
console.log(`
crash suite: ${report.kills} kills × SIGKILL, ${report.learners} learners, seed ${report.seed}, ${report.seconds} s
  commits acknowledged: ${report.acknowledged}
  acknowledged but lost: ${report.lost}
  integrity_check: ${report.checks.length + (report.diskFull ? 1 : 0) - badIntegrity} ok of ${report.checks.length + (report.diskFull ? 1 : 0)}
  answers lost with a killed connection (not acknowledged, may or may not be stored): ${report.unanswered}
  refusals: ${JSON.stringify(report.refusals)}`);
if (report.diskFull) {
  const d = report.diskFull;
  console.log(`  disk full (${d.mechanism}): refused ${JSON.stringify(d.refusedWhileFull)}, acknowledged while full ${d.acknowledgedWhileFull},
    after space returned ${d.acknowledgedAfterSpaceReturned}, server survived ${d.serverSurvived}, integrity ${d.check.integrity}, lost ${d.check.lost.length}`);
  for (const problem of diskProblems) console.log(`  PROBLEM: ${problem}`);
}
process.exit(report.lost === 0 && badIntegrity === 0 && diskProblems.length === 0 ? 0 : 1);
