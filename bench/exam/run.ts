/**
 * npm run bench:exam — server-graded exams under load, over real HTTP against the whole app in
 * its own process (WAL, synchronous=FULL):
 *   1. import a 5,000-question bank (CSV through POST /api/question-banks/<code>/import), timed;
 *   2. throughput: BENCH_CONNECTIONS learners saving answers back to back (closed loop), against
 *      the SCORM commit endpoint driven the same way in the same run (the bench:commit setup);
 *   3. BENCH_LEARNERS learners (default 2,000) arriving over BENCH_RAMP_SECONDS, each starting a
 *      paper of BENCH_QUESTIONS questions, saving each answer after a think time (uniform
 *      0–2×BENCH_THINK_MS), and submitting right after the last one; latency per kind of request;
 *   4. every answer the server acknowledged is read back from the database file: lost answers.
 * A measurement, not a test: it prints the figures and exits 0 whatever they are.
 */
import http from 'node:http';
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
const SAMPLE = 'golf-RuntimeBasicCalls-SCORM2004-3rd.zip';

interface ServerInfo { port: number; password: string; trainer: string; learners: string[]; databaseFile: string }
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
    /** Every call here is idempotent (answers, submit, start-or-resume): a reused socket the server closed is retried once. */
    async send(method: string, urlPath: string, headers: Record<string, string>, body: string | null): Promise<{ status: number; text: string; ms: number }> {
      try {
        return await this.once(method, urlPath, headers, body);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ECONNRESET') throw error;
        return this.once(method, urlPath, headers, body);
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
  return { n: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN };
}

const child = await startChildServer<ServerInfo>(path.join(PROJECT_ROOT, 'bench/exam/exam-server.ts'), { env: { BENCH_LEARNERS: String(learnerCount) }, startTimeoutMs: 600_000 });
const { info } = child;
const origin = `http://127.0.0.1:${info.port}`;
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

  // 2. Throughput: commits vs answer saves, the same connections, back to back, one after the other.
  const templates = await Promise.all(launches.map((l) => commitTemplates(l.launchState)));
  const commitPlans = launches.map((l, i): ConnectionPlan => ({ path: l.commitPath, headers: { 'Content-Type': 'application/json', Cookie: l.cookie }, nextBody: bodySequence(templates[i]) }));
  const timing = { warmupMs: Math.min(3, seconds / 2) * 1000, durationMs: seconds * 1000 };
  const commitRound = await runLoad({ port: info.port, plans: commitPlans, ...timing, isSuccess: (status, body) => status === 200 && body.startsWith('{"result":true'), serverCpuMs: child.cpuMs });
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
  const saveRound = await runLoad({ port: info.port, plans: savePlans, ...timing, serverCpuMs: child.cpuMs });
  for (const s of sessions.slice(0, connections)) {
    const running = await client.send('POST', '/api/courses/BENCH/exam/attempts', headersOf(s), '{}');
    await client.send('POST', `/api/exam-attempts/${(JSON.parse(running.text) as Paper).attemptId}/submit`, headersOf(s), '{}');
  }

  // 3. The crowd: every learner takes a paper at a human pace, answering and submitting.
  console.log(`${learnerCount} learners taking a ${questionsPerPaper}-question paper (think time 0–${2 * thinkMs} ms, arriving over ${rampSeconds} s)…`);
  const latency = { start: [] as number[], answer: [] as number[], submit: [] as number[] };
  const acknowledged = new Map<string, string>(); // `${attemptId}:${questionId}` → answer JSON
  let failures = 0;
  let firstFailure: string | null = null;
  const fail = (what: string) => { failures += 1; firstFailure ??= what; };
  const crowdStarted = performance.now();
  await Promise.all(sessions.map(async (s, i) => {
    await sleep((rampSeconds * 1000 * i) / sessions.length);
    const headers = headersOf(s);
    const start = await client.send('POST', '/api/courses/BENCH/exam/attempts', headers, '{}');
    if (start.status !== 201) return fail(`start ${start.status} ${start.text.slice(0, 120)}`);
    latency.start.push(start.ms);
    const paper = JSON.parse(start.text) as Paper;
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
  }));
  const crowdSeconds = (performance.now() - crowdStarted) / 1000;

  // 4. Every acknowledged answer must be in the database, as given.
  const db = new Database(info.databaseFile, { readonly: true });
  const stored = db.prepare('SELECT answer_json FROM exam_attempt_questions WHERE attempt_id = ? AND question_id = ?').pluck();
  let lost = 0;
  for (const [key, answer] of acknowledged) {
    const [attemptId, questionId] = key.split(':').map(Number);
    if (stored.get(attemptId, questionId) !== answer) lost += 1;
  }
  const submittedInDb = db.prepare("SELECT COUNT(*) FROM exam_attempts WHERE submitted_at IS NOT NULL AND submitted_by = 'learner'").pluck().get() as number;
  db.close();

  const s = { start: summary(latency.start), answer: summary(latency.answer), submit: summary(latency.submit) };
  console.log('');
  console.log(`import: ${importBody.imported} questions (${(Buffer.byteLength(csv) / 1024).toFixed(0)} KB CSV) in ${(importMs / 1000).toFixed(2)} s over HTTP (target < 5 s${importMs < 5000 ? ', met' : ', NOT met'})`);
  console.log(`throughput, ${connections} connections back to back, ${seconds} s each:`);
  console.log(`  SCORM commit endpoint : ${commitRound.requestsPerSecond.toFixed(0)} req/s  p99 ${fixed(commitRound.latencyMs.p99)} ms  CPU ${fixed(commitRound.serverCpuMsPerRequest ?? Number.NaN)} ms/req  errors ${commitRound.errors}`);
  console.log(`  exam answer save      : ${saveRound.requestsPerSecond.toFixed(0)} req/s  p99 ${fixed(saveRound.latencyMs.p99)} ms  CPU ${fixed(saveRound.serverCpuMsPerRequest ?? Number.NaN)} ms/req  errors ${saveRound.errors}${saveRound.firstError ? ` (${saveRound.firstError})` : ''}`);
  console.log(`  ratio answer save / commit : ${(saveRound.requestsPerSecond / commitRound.requestsPerSecond).toFixed(2)}`);
  console.log(`crowd: ${learnerCount} learners, ${crowdSeconds.toFixed(1)} s, ${(latency.answer.length / crowdSeconds).toFixed(0)} answers/s on average`);
  console.log(`${'  request'.padEnd(16)}${'count'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`);
  for (const [name, v] of Object.entries(s)) console.log(`${`  ${name}`.padEnd(16)}${String(v.n).padStart(8)}${fixed(v.p50).padStart(9)}${fixed(v.p99).padStart(9)}${fixed(v.max).padStart(9)}`);
  console.log(`  submit p99 ${fixed(s.submit.p99)} ms (target < 100${s.submit.p99 < 100 ? ', met' : ', NOT met'}); answer-save p99 ${fixed(s.answer.p99)} ms (target < 30${s.answer.p99 < 30 ? ', met' : ', NOT met'})`);
  console.log(`  acknowledged answers ${acknowledged.size}, lost ${lost} (read back from the database); submitted papers ${submittedInDb - connections} of ${learnerCount}; failed requests ${failures}${firstFailure ? ` (first: ${firstFailure})` : ''}`);
  client.agent.destroy();
} finally {
  await child.stop();
}
