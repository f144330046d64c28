/**
 * npm run bench:exam — server-graded exams under load, over real HTTP against the whole app in
 * its own process (WAL, synchronous=FULL):
 *   1. import a 5,000-question bank (CSV through POST /api/question-banks/<code>/import), timed;
 *   2. cost per request: BENCH_CONNECTIONS learners back to back (closed loop) against the SCORM
 *      commit endpoint (the bench:commit setup), then saving answers, then starting papers (fresh
 *      learners) and submitting them: requests/s, latency and the server's main-thread CPU per
 *      request of each, and each endpoint's throughput as a ratio to the commit endpoint's;
 *   3. BENCH_LEARNERS learners (default 2,000) arriving over BENCH_RAMP_SECONDS, each starting a
 *      paper of BENCH_QUESTIONS questions, saving each answer after a think time (uniform
 *      0–2×BENCH_THINK_MS), and submitting right after the last one; latency per kind of request;
 *   4. every answer the server acknowledged is read back from the database file: lost answers.
 * The server reports on itself per phase (bench/exam/exam-server.ts, /__bench/stats): event-loop
 * utilisation and delay, group-commit flushes; BENCH_PROFILE=<dir> leaves one CPU profile per phase
 * there (npx tsx bench/shared/profile-summary.ts <file>; sampling adds to the CPU figures, so
 * compare CPU per request from runs without it). The machine's load average is printed
 * beside the figures: on a shared machine wall-clock latencies mean little without it.
 * A measurement, not a test: it prints the figures and exits 0 whatever they are.
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../../server/config.js';
import { BrowserSession } from '../shared/browser-session.js';
import { startChildServer } from '../shared/child-server.js';
import { quantile, runLoad, type ConnectionPlan } from '../shared/load-generator.js';
import { prepareLaunches } from '../commit/prepare-launches.js';
import { bodySequence, commitTemplates } from '../commit/commit-bodies.js';

function numberFromEnv(name: string, fallback: number, min: number): number {
  const value = process.env[name] === undefined || process.env[name] === '' ? fallback : Number(process.env[name]);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return value;
}

const learnerCount = Math.round(numberFromEnv('BENCH_LEARNERS', 2000, 1));
const connections = Math.round(numberFromEnv('BENCH_CONNECTIONS', 50, 1));
const seconds = numberFromEnv('BENCH_SECONDS', 10, 0.1);
const thinkMs = numberFromEnv('BENCH_THINK_MS', 3000, 0);
const rampSeconds = numberFromEnv('BENCH_RAMP_SECONDS', 10, 0);
const questionsPerPaper = Math.round(numberFromEnv('BENCH_QUESTIONS', 20, 1));
const bankSize = Math.round(numberFromEnv('BENCH_BANK_QUESTIONS', 5000, 100));
const roundLearners = Math.round(numberFromEnv('BENCH_ROUND_LEARNERS', 500, 0));
const profileDir = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
const SAMPLE = 'golf-RuntimeBasicCalls-SCORM2004-3rd.zip';

interface ServerInfo { port: number; password: string; trainer: string; learners: string[]; databaseFile: string }
interface ServerStats {
  wallMs: number; cpuMs: number; loopUtilisation: number; loopDelayMs: { p50: number; p99: number; max: number };
  groupCommit: { flushes: number; units: number; busyMs: number; maxMs: number };
}
interface Paper { attemptId: number; questions: Array<{ id: number; type: string; options: Array<{ id: string }> }> }

function bankCsv(count: number): string {
  const lines = ['题型,题干,选项A,选项B,选项C,选项D,答案,解析,知识点,难度'];
  const tags = ['消费者权益', '信息保护', '反洗钱', '适当性管理', '投诉处理'];
  for (let n = 1; n <= count; n += 1) {
    const multiple = n % 4 === 0;
    lines.push(`${multiple ? '多选' : '单选'},第${n}题：关于金融消费者权益保护，下列说法哪项正确？,选项一${n},选项二${n},选项三${n},选项四${n},${multiple ? 'AC' : 'ABCD'[n % 4]},解析${n},${tags[n % tags.length]},${(n % 5) + 1}`);
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Keep-alive JSON requests with the learner's cookie and CSRF token; latency from send to last byte. */
function requester(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  return {
    agent,
    /**
     * Every call here is idempotent (answers, submit, start-or-resume): a reused socket the server
     * closed is retried once. A request that still fails answers status 0 (counted as failed, never
     * as acknowledged), so one reset connection does not end the run.
     */
    async send(method: string, urlPath: string, headers: Record<string, string>, body: string | null): Promise<{ status: number; text: string; ms: number }> {
      const started = performance.now();
      try {
        return await this.once(method, urlPath, headers, body);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ECONNRESET') return { status: 0, text: String(error), ms: performance.now() - started };
        return this.once(method, urlPath, headers, body).catch((again: unknown) => ({ status: 0, text: String(again), ms: performance.now() - started }));
      }
    },
    once(method: string, urlPath: string, headers: Record<string, string>, body: string | null): Promise<{ status: number; text: string; ms: number }> {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent,
          headers: { ...headers, Accept: 'application/json', ...(body === null ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }) } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => { text += c; });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - started }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body ?? undefined);
      });
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fixed = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
function summary(samples: number[]) {
  const sorted = Float64Array.from(samples).sort();
  return { n: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN };
}
const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

const child = await startChildServer<ServerInfo>(path.join(PROJECT_ROOT, 'bench/exam/exam-server.ts'), {
  env: { BENCH_LEARNERS: String(learnerCount), ...(profileDir ? { BENCH_PROFILE: profileDir } : {}) }, startTimeoutMs: 600_000,
});
const { info } = child;
const origin = `http://127.0.0.1:${info.port}`;

/** Runs one phase of the bench; the server's own figures (and, with BENCH_PROFILE, a CPU profile) cover just that phase. */
async function phase<T>(name: string, work: () => Promise<T>): Promise<{ result: T; server: ServerStats; mainCpuMs: number }> {
  const control = async (urlPath: string, method = 'GET') => {
    const res = await fetch(`${origin}${urlPath}`, { method });
    if (!res.ok) throw new Error(`${urlPath} answered ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  await control('/__bench/stats?reset=1');
  const cpuBefore = child.mainThreadCpuMs() ?? Number.NaN;
  if (profileDir) await control('/__bench/profile/start', 'POST');
  const result = await work();
  // Read before the profile is written: serialising it costs the server CPU too.
  const mainCpuMs = (child.mainThreadCpuMs() ?? Number.NaN) - cpuBefore;
  const server = await control('/__bench/stats?reset=1') as ServerStats;
  if (profileDir) await control(`/__bench/profile/stop?name=${name}`, 'POST');
  return { result, server, mainCpuMs };
}

/** `items` worked off by `concurrency` workers back to back (closed loop); latency of each call. */
async function closedLoop<T>(items: T[], concurrency: number, call: (item: T) => Promise<{ status: number; ms: number; text: string }>, expected: number) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      const res = await call(item);
      if (res.status === expected) latencies.push(res.ms);
      else {
        errors += 1;
        firstError ??= `HTTP ${res.status} ${res.text.slice(0, 160)}`;
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { requests: latencies.length, errors, firstError, requestsPerSecond: latencies.length / seconds, latency: summary(latencies) };
}

try {
  // Course (SCORM, for the commit baseline) published, and opened by the first learners: bench:commit's setup.
  console.log(`setting up: ${learnerCount} learners, course BENCH with ${SAMPLE}…`);
  const launches = await prepareLaunches({ ...info, learners: info.learners.slice(0, connections) }, 'BENCH', path.resolve(PROJECT_ROOT, '../shared/scorm-samples', SAMPLE));

  // 1. The 5,000-question import, over HTTP as a trainer's browser sends it.
  const trainer = new BrowserSession(origin);
  await trainer.signIn(info.trainer, info.password);
  const trainerCsrf = await trainer.csrfToken('/trainer');
  const created = await trainer.request('/api/question-banks', { method: 'POST', headers: { 'X-CSRF-Token': trainerCsrf, 'Content-Type': 'application/json' }, body: JSON.stringify({ code: 'BIG', title: '消保大题库' }) });
  if (created.status !== 201) throw new Error(`bank creation answered ${created.status}`);
  const csv = bankCsv(bankSize);
  const form = new FormData();
  form.set('file', new Blob([csv], { type: 'text/csv' }), 'bank.csv');
  const importStarted = performance.now();
  const imported = await trainer.request('/api/question-banks/BIG/import', { method: 'POST', headers: { 'X-CSRF-Token': trainerCsrf }, body: form });
  const importMs = performance.now() - importStarted;
  const importBody = await imported.json() as { imported: number };
  if (imported.status !== 201) throw new Error(`import answered ${imported.status}: ${JSON.stringify(importBody).slice(0, 300)}`);
  const settings = {
    bankCode: 'BIG', rules: [{ count: questionsPerPaper, tags: [], difficulties: [] }], passMark: 60, timeLimitMinutes: 60, attemptsPerCycle: null,
    reviewPolicy: 'after_submit', requiresLessons: false, isEnabled: true,
  };
  const saved = await trainer.request('/api/courses/BENCH/exam', { method: 'PUT', headers: { 'X-CSRF-Token': trainerCsrf, 'Content-Type': 'application/json' }, body: JSON.stringify(settings) });
  if (saved.status !== 200) throw new Error(`exam settings answered ${saved.status}: ${await saved.text()}`);

  // Every learner signs in through the login form and reads a CSRF token from a page.
  console.log(`signing ${learnerCount} learners in…`);
  const sessions: Array<{ cookie: string; csrf: string }> = [];
  for (let i = 0; i < info.learners.length; i += 50) {
    sessions.push(...await Promise.all(info.learners.slice(i, i + 50).map(async (name) => {
      const s = new BrowserSession(origin);
      await s.signIn(name, info.password);
      return { csrf: await s.csrfToken('/me'), cookie: s.cookieHeader };
    })));
  }
  const client = requester(info.port);
  const headersOf = (s: { cookie: string; csrf: string }) => ({ Cookie: s.cookie, 'X-CSRF-Token': s.csrf });

  // 2. Cost per request: each endpoint alone, the same connections back to back (closed loop).
  console.log(`cost per request: ${connections} connections back to back; commits and answer saves ${seconds} s each, then ${roundLearners} fresh learners start and submit a paper…`);
  const templates = await Promise.all(launches.map((l) => commitTemplates(l.launchState)));
  const commitPlans = launches.map((l, i): ConnectionPlan => ({ path: l.commitPath, headers: { 'Content-Type': 'application/json', Cookie: l.cookie }, nextBody: bodySequence(templates[i]) }));
  const timing = { warmupMs: Math.min(3, seconds / 2) * 1000, durationMs: seconds * 1000 };
  const mainCpu = () => child.mainThreadCpuMs();
  const commitPhase = await phase('commit', () => runLoad({ port: info.port, plans: commitPlans, ...timing, isSuccess: (status, body) => status === 200 && body.startsWith('{"result":true'), serverCpuMs: mainCpu }));
  const savePlans: ConnectionPlan[] = [];
  for (const s of sessions.slice(0, connections)) {
    const start = await client.send('POST', '/api/courses/BENCH/exam/attempts', headersOf(s), '{}');
    const paper = JSON.parse(start.text) as Paper;
    let n = 0;
    let currentPath = '';
    // The load generator asks for the body first, then the path: the body picks the question.
    savePlans.push({
      path: '', method: 'PUT', headers: { ...headersOf(s), 'Content-Type': 'application/json' },
      nextPath: () => currentPath,
      nextBody: () => {
        const q = paper.questions[n % paper.questions.length];
        n += 1;
        currentPath = `/api/exam-attempts/${paper.attemptId}/answers/${q.id}`;
        return JSON.stringify({ answer: [q.options[n % q.options.length].id] });
      },
    });
  }
  const savePhase = await phase('answer', () => runLoad({ port: info.port, plans: savePlans, ...timing, serverCpuMs: mainCpu }));
  for (const s of sessions.slice(0, connections)) {
    const running = await client.send('POST', '/api/courses/BENCH/exam/attempts', headersOf(s), '{}');
    await client.send('POST', `/api/exam-attempts/${(JSON.parse(running.text) as Paper).attemptId}/submit`, headersOf(s), '{}');
  }
  // Starts and submits: every start must be a new paper, so each goes to a learner without one (they take a second paper in the crowd).
  const roundSessions = sessions.slice(connections, connections + roundLearners);
  const roundPapers = new Map<(typeof sessions)[number], number>();
  const startPhase = await phase('start', () => closedLoop(roundSessions, connections, async (s) => {
    const res = await client.send('POST', '/api/courses/BENCH/exam/attempts', headersOf(s), '{}');
    if (res.status === 201) roundPapers.set(s, (JSON.parse(res.text) as Paper).attemptId);
    return res;
  }, 201));
  const submitPhase = await phase('submit', () => closedLoop([...roundPapers], connections,
    ([s, attemptId]) => client.send('POST', `/api/exam-attempts/${attemptId}/submit`, headersOf(s), '{}'), 200));

  // 3. The crowd: every learner takes a paper at a human pace, answering and submitting.
  console.log(`${learnerCount} learners taking a ${questionsPerPaper}-question paper (think time 0–${2 * thinkMs} ms, arriving over ${rampSeconds} s)…`);
  const latency = { start: [] as number[], answer: [] as number[], submit: [] as number[] };
  const acknowledged = new Map<string, string>(); // `${attemptId}:${questionId}` → answer JSON
  let failures = 0;
  let firstFailure: string | null = null;
  const fail = (what: string) => { failures += 1; firstFailure ??= what; };
  const crowdAttempts: number[] = [];
  const crowdStarted = performance.now();
  const loadBefore = loadAverage();
  const crowdPhase = await phase('crowd', () => Promise.all(sessions.map(async (s, i) => {
    await sleep((rampSeconds * 1000 * i) / sessions.length);
    const headers = headersOf(s);
    const start = await client.send('POST', '/api/courses/BENCH/exam/attempts', headers, '{}');
    if (start.status !== 201) return fail(`start ${start.status} ${start.text.slice(0, 120)}`);
    latency.start.push(start.ms);
    const paper = JSON.parse(start.text) as Paper;
    crowdAttempts.push(paper.attemptId);
    for (const q of paper.questions) {
      await sleep(Math.random() * 2 * thinkMs);
      const answer = q.type === 'multiple' ? [q.options[0].id, q.options[2].id] : [q.options[Math.floor(Math.random() * q.options.length)].id];
      const body = JSON.stringify({ answer });
      const res = await client.send('PUT', `/api/exam-attempts/${paper.attemptId}/answers/${q.id}`, headers, body);
      if (res.status !== 200) { fail(`answer ${res.status} ${res.text.slice(0, 120)}`); continue; }
      latency.answer.push(res.ms);
      acknowledged.set(`${paper.attemptId}:${q.id}`, JSON.stringify(answer));
    }
    const submit = await client.send('POST', `/api/exam-attempts/${paper.attemptId}/submit`, headers, '{}');
    if (submit.status !== 200) return fail(`submit ${submit.status} ${submit.text.slice(0, 120)}`);
    latency.submit.push(submit.ms);
  })));
  const loadAfter = loadAverage();
  const crowdSeconds = (performance.now() - crowdStarted) / 1000;

  // 4. Every acknowledged answer must be in the database, as given.
  const db = new Database(info.databaseFile, { readonly: true });
  const stored = db.prepare('SELECT answer_json FROM exam_attempt_questions WHERE attempt_id = ? AND question_id = ?').pluck();
  let lost = 0;
  for (const [key, answer] of acknowledged) {
    const [attemptId, questionId] = key.split(':').map(Number);
    if (stored.get(attemptId, questionId) !== answer) lost += 1;
  }
  const isSubmitted = db.prepare("SELECT submitted_by = 'learner' FROM exam_attempts WHERE id = ?").pluck();
  const submittedInDb = crowdAttempts.filter((id) => isSubmitted.get(id) === 1).length;
  db.close();

  const s = { start: summary(latency.start), answer: summary(latency.answer), submit: summary(latency.submit) };
  console.log('');
  console.log(`import: ${importBody.imported} questions (${(Buffer.byteLength(csv) / 1024).toFixed(0)} KB CSV) in ${(importMs / 1000).toFixed(2)} s over HTTP (target < 5 s${importMs < 5000 ? ', met' : ', NOT met'})`);
  const perRequest = (n: number, ms: number) => (n > 0 ? ms / n : Number.NaN);
  const rows: Array<[string, { requestsPerSecond: number; p50: number; p99: number; errors: number; firstError: string | null; cpu: number }]> = [
    ['SCORM commit', { ...commitPhase.result, ...commitPhase.result.latencyMs, cpu: commitPhase.result.serverCpuMsPerRequest ?? Number.NaN }],
    ['answer save', { ...savePhase.result, ...savePhase.result.latencyMs, cpu: savePhase.result.serverCpuMsPerRequest ?? Number.NaN }],
    ['start (new paper)', { ...startPhase.result, ...startPhase.result.latency, cpu: perRequest(startPhase.result.requests, startPhase.mainCpuMs) }],
    ['submit', { ...submitPhase.result, ...submitPhase.result.latency, cpu: perRequest(submitPhase.result.requests, submitPhase.mainCpuMs) }],
  ];
  console.log(`cost per request, ${connections} connections back to back (server main-thread CPU from /proc, 10 ms ticks):`);
  console.log(`${'  endpoint'.padEnd(22)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'CPU ms/req'.padStart(12)}${'÷ commit req/s'.padStart(16)}  errors`);
  for (const [name, r] of rows) {
    console.log(`${`  ${name}`.padEnd(22)}${r.requestsPerSecond.toFixed(0).padStart(8)}${fixed(r.p50).padStart(9)}${fixed(r.p99).padStart(9)}${r.cpu.toFixed(2).padStart(12)}${(r.requestsPerSecond / commitPhase.result.requestsPerSecond).toFixed(2).padStart(16)}  ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`);
  }
  console.log(`  ratio answer save / commit throughput: ${(savePhase.result.requestsPerSecond / commitPhase.result.requestsPerSecond).toFixed(2)}`);
  const crowdRequests = latency.start.length + latency.answer.length + latency.submit.length;
  const cs = crowdPhase.server;
  console.log(`crowd: ${learnerCount} learners, ${crowdSeconds.toFixed(1)} s, ${(latency.answer.length / crowdSeconds).toFixed(0)} answers/s on average; load average (1, 5, 15 min) ${loadBefore} before, ${loadAfter} after`);
  console.log(`${'  request'.padEnd(16)}${'count'.padStart(8)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`);
  for (const [name, v] of Object.entries(s)) console.log(`${`  ${name}`.padEnd(16)}${String(v.n).padStart(8)}${fixed(v.p50).padStart(9)}${fixed(v.p95).padStart(9)}${fixed(v.p99).padStart(9)}${fixed(v.max).padStart(9)}`);
  console.log(`  submit p99 ${fixed(s.submit.p99)} ms (target < 100${s.submit.p99 < 100 ? ', met' : ', NOT met'}); answer-save p99 ${fixed(s.answer.p99)} ms (target < 30${s.answer.p99 < 30 ? ', met' : ', NOT met'})`);
  console.log(`  acknowledged answers ${acknowledged.size}, lost ${lost} (read back from the database); submitted papers ${submittedInDb} of ${learnerCount}; failed requests ${failures}${firstFailure ? ` (first: ${firstFailure})` : ''}`);
  console.log(`  server: main-thread CPU ${(crowdPhase.mainCpuMs / 1000).toFixed(1)} s = ${(crowdPhase.mainCpuMs / learnerCount).toFixed(1)} ms per learner, ${perRequest(crowdRequests, crowdPhase.mainCpuMs).toFixed(2)} ms per request; event loop busy ${(100 * cs.loopUtilisation).toFixed(0)} %, delay p99 ${fixed(cs.loopDelayMs.p99)} ms, max ${fixed(cs.loopDelayMs.max)} ms`);
  console.log(`  group commit: ${cs.groupCommit.flushes} transactions, ${(cs.groupCommit.units / Math.max(1, cs.groupCommit.flushes)).toFixed(1)} writes each, ${(cs.groupCommit.busyMs / Math.max(1, cs.groupCommit.flushes)).toFixed(2)} ms each (with COMMIT and fsync), longest ${fixed(cs.groupCommit.maxMs)} ms`);
  if (profileDir) console.log(`  CPU profiles per phase in ${profileDir} (npx tsx bench/shared/profile-summary.ts <file>)`);
  client.agent.destroy();
} finally {
  await child.stop();
}
