/**
 * npm run bench:launch — learners opening a course: GET /learn/<code> (the player page: session,
 * enrollment, attempt, launch token, preloaded state, rendered) and then the launcher page it
 * frames (on the content origin), against a bare Express + handlebars app serving two pages of
 * the same sizes, in the same run (DESIGN §8: p95 < 50 ms at 50 learners; issue 14: ratio ≤ 3).
 * One SCORM 1.2 package and one multi-SCO SCORM 2004 package with sequencing.
 *
 * Each learner is a closed loop on its own keep-alive connection: open the player, then the
 * launcher, then again. A launch's latency is the two requests together.
 *
 *   BENCH_SECONDS   measured seconds per package and side (default 10), after a 3 s warm-up
 *   BENCH_LEARNERS  concurrent learners (default 50)
 *   BENCH_ROUNDS    alternating bare/real rounds; the best p95 of each counts (default 2)
 *   BENCH_PROFILE   a folder: the real server runs with --cpu-prof, its profile lands there
 *                   (summarise it with `npx tsx bench/shared/profile-summary.ts <file>`)
 * A measurement, not a test: it prints the figures and exits 0 whatever they are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { PROJECT_ROOT } from '../../server/config.js';
import { BrowserSession } from '../shared/browser-session.js';
import { startChildServer } from '../shared/child-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SAMPLES = path.resolve(PROJECT_ROOT, '../shared/scorm-samples');
const PACKAGES = [
  { code: 'L12', file: 'golf-RuntimeBasicCalls-SCORM12.zip', label: 'SCORM 1.2, one SCO' },
  { code: 'L04', file: 'golf-SequencingPostTestRollup-SCORM2004-4th.zip', label: 'SCORM 2004 4th, multi-SCO, sequenced' },
];
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const learnerCount = Number(process.env.BENCH_LEARNERS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP_MS = 3_000;

interface RealInfo { port: number; contentPort: number; password: string; trainer: string; learners: string[] }
interface Learner { cookie: string }
interface Result { launches: number; errors: number; p50: number; p95: number; p99: number; perSecond: number; cpuMsPerLaunch: number; firstError: string | null }

async function publish(origin: string, info: RealInfo, code: string, file: string): Promise<void> {
  const trainer = new BrowserSession(origin);
  await trainer.signIn(info.trainer, info.password);
  const csrf = await trainer.csrfToken('/trainer');
  const form = new FormData();
  form.set('code', code);
  form.set('package', new Blob([fs.readFileSync(path.join(SAMPLES, file))], { type: 'application/zip' }), file);
  const upload = await trainer.request('/api/courses', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, body: form });
  if (upload.status !== 201) throw new Error(`upload of ${file} answered ${upload.status}: ${await upload.text()}`);
  const published = await trainer.request(`/api/courses/${code}/publish`, { method: 'POST', headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: '{}' });
  if (published.status !== 200) throw new Error(`publishing ${code} answered ${published.status}`);
}

/** The launcher URL the player page frames (from its launch configuration). */
function launcherUrlOf(html: string): string {
  const json = /<script type="application\/json" id="launch-config">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('no launch configuration in the player page');
  return (JSON.parse(json) as { contentUrl: string }).contentUrl;
}

/** GET over a keep-alive agent; the body as text. */
function get(url: string, agent: http.Agent, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Closed loops, one per learner: player page, then the launcher it names; latency of the pair. */
async function runLaunches(origin: string, learners: Learner[], code: string, launcherOf: (html: string) => string, durationMs: number, cpuMs: () => number | null): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: learners.length * 2 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const warmEnd = performance.now() + WARMUP_MS;
  const end = warmEnd + durationMs;
  const fail = (message: string) => { errors++; firstError ??= message; };
  let all = 0;
  const cpuBefore = cpuMs();
  await Promise.all(learners.map(async (learner) => {
    while (performance.now() < end) {
      const started = performance.now();
      try {
        const page = await get(`${origin}/learn/${code}`, agent, learner.cookie ? { cookie: learner.cookie } : {});
        if (page.status !== 200) { fail(`player ${page.status}`); continue; }
        const launcher = await get(launcherOf(page.text), agent);
        if (launcher.status !== 200) { fail(`launcher ${launcher.status}`); continue; }
      } catch (error) {
        fail(String(error));
        continue;
      }
      all++;
      if (started >= warmEnd && started < end) latencies.push(performance.now() - started);
    }
  }));
  agent.destroy();
  const cpu = (cpuMs() ?? Number.NaN) - (cpuBefore ?? Number.NaN);
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { launches: latencies.length, errors, p50: at(0.5), p95: at(0.95), p99: at(0.99), perSecond: latencies.length / (durationMs / 1000), cpuMsPerLaunch: cpu / all, firstError };
}

const profileDir = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
const real = await startChildServer<RealInfo>(path.join(here, 'real-server.ts'), {
  env: { BENCH_LEARNERS: String(learnerCount) }, nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
});
const origin = `http://127.0.0.1:${real.info.port}`;
const rows: string[] = [];
try {
  const learners: Learner[] = [];
  for (const username of real.info.learners) {
    const session = new BrowserSession(origin);
    await session.signIn(username, real.info.password);
    learners.push({ cookie: session.cookieHeader });
  }
  for (const pkg of PACKAGES) {
    await publish(origin, real.info, pkg.code, pkg.file);
    // The bare pages take the sizes of this package's player and launcher pages.
    const sampleHtml = await (await fetch(`${origin}/learn/${pkg.code}`, { headers: { cookie: learners[0].cookie } })).text();
    const launcherHtml = await (await fetch(launcherUrlOf(sampleHtml))).text();
    const bare = await startChildServer(path.join(here, 'bare-server.ts'), {
      env: { BENCH_PAGE_BYTES: String(Buffer.byteLength(sampleHtml)), BENCH_LAUNCHER_BYTES: String(Buffer.byteLength(launcherHtml)) },
    });
    const bareOrigin = `http://127.0.0.1:${bare.info.port}`;
    const bareSize = Buffer.byteLength(await (await fetch(`${bareOrigin}/learn/${pkg.code}`)).text());
    const results: { bare: Result[]; real: Result[] } = { bare: [], real: [] };
    try {
      for (let round = 0; round < rounds; round++) {
        results.bare.push(await runLaunches(bareOrigin, learners.map(() => ({ cookie: '' })), pkg.code, () => `${bareOrigin}/launcher/${pkg.code}`, seconds * 1000, bare.cpuMs));
        results.real.push(await runLaunches(origin, learners, pkg.code, launcherUrlOf, seconds * 1000, real.cpuMs));
      }
    } finally {
      await bare.stop();
    }
    const best = (list: Result[]) => list.reduce((a, b) => (b.p95 < a.p95 ? b : a));
    const [b, r] = [best(results.bare), best(results.real)];
    const line = (name: string, x: Result) => `  ${name.padEnd(34)}${x.p50.toFixed(1).padStart(8)}${x.p95.toFixed(1).padStart(8)}${x.p99.toFixed(1).padStart(8)}${x.perSecond.toFixed(0).padStart(10)}${x.cpuMsPerLaunch.toFixed(2).padStart(9)}${String(x.launches).padStart(9)}${String(x.errors).padStart(7)}`;
    rows.push(`${pkg.label} (${pkg.file}): player page ${(Buffer.byteLength(sampleHtml) / 1024).toFixed(1)} KB (bare ${(bareSize / 1024).toFixed(1)} KB), launcher ${(Buffer.byteLength(launcherHtml) / 1024).toFixed(1)} KB`);
    rows.push(`  ${'side (best round by p95)'.padEnd(34)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'launch/s'.padStart(10)}${'CPU ms'.padStart(9)}${'launches'.padStart(9)}${'errors'.padStart(7)}`);
    rows.push(line('bare Express + handlebars', b), line('real /learn + launcher', r));
    rows.push(`  rounds p95: bare ${results.bare.map((x) => x.p95.toFixed(1)).join(', ')}; real ${results.real.map((x) => x.p95.toFixed(1)).join(', ')}`);
    rows.push(`  server CPU per launch real/bare: ${(r.cpuMsPerLaunch / b.cpuMsPerLaunch).toFixed(2)} (CPU ms: both processes, incl. the launcher's content origin on the real side)`);
    rows.push(`  p95 ratio real/bare: ${(r.p95 / b.p95).toFixed(2)} (target ≤ 3); real p95 ${r.p95.toFixed(1)} ms (target < 50)${r.errors ? `; ${r.errors} errors, first: ${r.firstError}` : ''}`);
    console.log(rows.slice(-6).join('\n'));
  }
} finally {
  await real.stop();
}
console.log(`\nbench:launch — ${learnerCount} learners, ${rounds} alternating round(s) of ${seconds} s per side after ${WARMUP_MS / 1000} s warm-up`);
console.log(rows.join('\n'));
