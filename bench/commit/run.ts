/**
 * npm run bench:commit — the real SCORM commit endpoint (session cookie + launch token, full data
 * model validation, merge, attempt rollup, SQLite with WAL and synchronous=FULL) against a bare
 * Express + better-sqlite3 upsert of the same body (DESIGN §8: ratio ≥ 0.5). Each server runs in
 * its own process on loopback; this process only generates load, one keep-alive connection per
 * learner, each posting the next scorm-again commit as soon as the previous one is answered.
 *
 *   BENCH_SECONDS         measured seconds per server (default 10)
 *   BENCH_WARMUP_SECONDS  unmeasured warm-up before that (default half of it, at most 3)
 *   BENCH_CONNECTIONS     concurrent connections = learners (default 50)
 *   BENCH_ROUNDS          alternating bare/real rounds; the best round of each counts (default 2)
 *   BENCH_PROFILE         a folder: both servers run with --cpu-prof, profiles in <folder>/real and /bare
 *                         (summarise one with `npx tsx bench/shared/profile-summary.ts <file>`)
 *
 * A measurement, not a test: it prints the figures and exits 0 whatever the ratio.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../../server/config.js';
import { startChildServer } from '../shared/child-server.js';
import { runLoad, type ConnectionPlan, type LoadResult } from '../shared/load-generator.js';
import { bodySequence, commitTemplates } from './commit-bodies.js';
import { prepareLaunches, type RealServerInfo } from './prepare-launches.js';

const SAMPLE = 'golf-RuntimeBasicCalls-SCORM2004-3rd.zip';
const TARGET = 0.5;
const here = path.dirname(fileURLToPath(import.meta.url));

function numberFromEnv(name: string, fallback: number, min: number): number {
  const value = process.env[name] === undefined || process.env[name] === '' ? fallback : Number(process.env[name]);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return value;
}

const seconds = numberFromEnv('BENCH_SECONDS', 10, 0.1);
const warmupSeconds = numberFromEnv('BENCH_WARMUP_SECONDS', Math.min(3, seconds / 2), 0);
const connections = Math.round(numberFromEnv('BENCH_CONNECTIONS', 50, 1));
const rounds = Math.round(numberFromEnv('BENCH_ROUNDS', 2, 1));
const profileDir = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
// One folder per server: the tsx loader thread writes a profile of its own beside the main one.
const nodeFlags = (name: string) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : []);
const timing = { warmupMs: warmupSeconds * 1000, durationMs: seconds * 1000 };
const isCommitted = (status: number, body: string) => status === 200 && body.startsWith('{"result":true');

interface Side { name: string; plans: ConnectionPlan[]; port: number; cpuMs: () => number | null; rounds: LoadResult[] }

/** Starts both servers (idle until measured), signs the learners in, and builds their commit bodies. */
async function startSides(): Promise<{ sides: [Side, Side]; bodyBytes: number; stop(): Promise<void> }> {
  const real = await startChildServer<RealServerInfo>(path.join(here, 'real-server.ts'), { env: { BENCH_LEARNERS: String(connections) }, nodeFlags: nodeFlags('real') });
  const bare = await startChildServer(path.join(here, 'bare-server.ts'), { nodeFlags: nodeFlags('bare') }).catch(async (error: unknown) => {
    await real.stop();
    throw error;
  });
  const stop = async () => { await Promise.all([real.stop(), bare.stop()]); };
  try {
    const launches = await prepareLaunches(real.info, 'BENCH04', path.resolve(PROJECT_ROOT, '../shared/scorm-samples', SAMPLE));
    const templates = await Promise.all(launches.map((l) => commitTemplates(l.launchState)));
    // Each side gets its own sequence per connection, over the same bodies.
    const realPlans = launches.map((launch, i): ConnectionPlan => ({
      path: launch.commitPath, headers: { 'Content-Type': 'application/json', Cookie: launch.cookie }, nextBody: bodySequence(templates[i]),
    }));
    const barePlans = templates.map((t, i): ConnectionPlan => ({
      path: `/commit/${i + 1}/1`, headers: { 'Content-Type': 'application/json' }, nextBody: bodySequence(t),
    }));
    const first = templates[0][0];
    return {
      sides: [
        { name: 'bare Express + better-sqlite3', plans: barePlans, port: bare.info.port, cpuMs: bare.cpuMs, rounds: [] },
        { name: 'real commit endpoint', plans: realPlans, port: real.info.port, cpuMs: real.cpuMs, rounds: [] },
      ],
      bodyBytes: Buffer.byteLength(`${first.head}1${first.tail}`),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const fixed = (n: number | null, digits: number) => (n !== null && Number.isFinite(n) ? n.toFixed(digits) : '-');
const best = (side: Side) => side.rounds.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));

function row(name: string, r: LoadResult): string {
  return `${name.padEnd(30)}${fixed(r.requestsPerSecond, 1).padStart(10)}${fixed(r.latencyMs.p50, 2).padStart(10)}${fixed(r.latencyMs.p99, 2).padStart(10)}`
    + `${fixed(r.serverCpuMsPerRequest, 2).padStart(12)}${String(r.requests).padStart(10)}${String(r.errors).padStart(8)}`;
}

const { sides, bodyBytes, stop } = await startSides();
try {
  // Alternating rounds, so a noisy neighbour on the machine hurts both sides alike.
  for (let round = 0; round < rounds; round += 1) {
    for (const side of sides) {
      side.rounds.push(await runLoad({ port: side.port, plans: side.plans, ...timing, isSuccess: isCommitted, serverCpuMs: side.cpuMs }));
    }
  }
} finally {
  await stop();
}
const [bare, real] = sides.map(best);

console.log(`commit benchmark: ${connections} connections, ${rounds} alternating round(s) of ${seconds} s per server after ${warmupSeconds} s warm-up each, `
  + `scorm-again SCORM 2004 commits of ${(bodyBytes / 1024).toFixed(1)} KB (${SAMPLE})`);
console.log(`${'server (best round)'.padEnd(30)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'CPU ms/req'.padStart(12)}${'requests'.padStart(10)}${'errors'.padStart(8)}`);
console.log(row(sides[0].name, bare));
console.log(row(sides[1].name, real));
if (rounds > 1) {
  console.log(`rounds req/s   : bare ${sides[0].rounds.map((r) => r.requestsPerSecond.toFixed(0)).join(', ')}; real ${sides[1].rounds.map((r) => r.requestsPerSecond.toFixed(0)).join(', ')}`);
  // Each real round against the bare round just before it: the spread shows how much the machine's noise moves the ratio.
  const paired = sides[1].rounds.map((r, i) => r.requestsPerSecond / sides[0].rounds[i].requestsPerSecond).sort((a, b) => a - b);
  console.log(`rounds ratio   : ${paired.map((r) => r.toFixed(2)).join(', ')} (real/bare per round, sorted; median ${paired[Math.floor(paired.length / 2)].toFixed(2)})`);
}
for (const side of sides) {
  const errors = side.rounds.reduce((n, r) => n + r.errors, 0);
  if (errors) console.log(`warning: ${errors} failed requests to the ${side.name}, first: ${side.rounds.find((r) => r.firstError)?.firstError}`);
}
const ratio = real.requestsPerSecond / bare.requestsPerSecond;
const cpuRatio = bare.serverCpuMsPerRequest && real.serverCpuMsPerRequest ? bare.serverCpuMsPerRequest / real.serverCpuMsPerRequest : null;
console.log(`CPU ratio      : ${fixed(cpuRatio, 2)}   (bare/real server CPU per request: the throughput ratio once both are CPU-bound)`);
console.log(`ratio real/bare : ${fixed(ratio, 2)}   (target ≥ ${TARGET}${ratio >= TARGET ? ', met' : ', NOT met'})`);
if (profileDir) console.log(`CPU profiles in ${profileDir}`);
