/**
 * The system under test for bench:exam: the whole app from createLms on a fresh SQLite file (WAL,
 * synchronous=FULL, as in production) with a trainer and BENCH_LEARNERS employees. Runs as a
 * child process and announces {"port","password","trainer","learners","databaseFile"}; the parent
 * drives it over HTTP and reads the database file afterwards to count lost answers.
 * As in bench:commit, only the sign-in cost (scrypt) and throttle differ from production.
 * Beside the app, `GET /__bench/stats[?reset=1]` (loopback, bench only) answers what the process
 * measured about itself since the last reset: main-thread CPU (process.cpuUsage), event-loop
 * utilisation and delay, the group commit's flushes and the WAL checkpoints run by the worker.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import express from 'express';
import { pino } from 'pino';
import { createLms } from '../../server/app.js';
import { BENCH_SIGN_IN_OPTIONS } from '../shared/bench-lms-options.js';
import { seedBenchOrg } from '../shared/bench-org.js';
import { announce } from '../shared/child-server.js';

const learnerCount = Number(process.env.BENCH_LEARNERS ?? 2000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-exam-lms-'));
const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'info' }, pino.destination({ dest: '/dev/null', sync: true }));

const app = createLms({
  dataDir, logger,
  ...BENCH_SIGN_IN_OPTIONS,
});
const people = await seedBenchOrg(app, learnerCount);

// What the server measures about itself, read by the bench between phases.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
let since = { at: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
const host = express();
host.get('/__bench/stats', (req, res) => {
  const cpu = process.cpuUsage(since.cpu);
  const { groupCommit, checkpointer } = app.lms;
  res.json({
    wallMs: performance.now() - since.at,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loopUtilisation: performance.eventLoopUtilization(since.elu).utilization,
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    groupCommit: { ...groupCommit?.stats },
    checkpoints: checkpointer ? { ...checkpointer.stats } : null,
  });
  if (req.query.reset === '1') {
    since = { at: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
    loopDelay.reset();
    groupCommit?.resetStats();
    checkpointer?.resetStats();
  }
});
// BENCH_PROFILE: the bench profiles each phase on its own (CPU profile of this process's main thread).
if (process.env.BENCH_PROFILE) {
  const profiler = new inspector.Session();
  profiler.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => {
    profiler.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result)));
  });
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  host.post('/__bench/profile/start', async (_req, res) => {
    await post('Profiler.start');
    res.json({ ok: true });
  });
  host.post('/__bench/profile/stop', async (req, res) => {
    const { profile } = await post('Profiler.stop') as { profile: object };
    const file = path.join(process.env.BENCH_PROFILE!, `${String(req.query.name).replace(/[^\w-]/g, '')}.cpuprofile`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    res.json({ file });
  });
}
host.use(app);

const server = host.listen(0, '127.0.0.1', () => announce(server, { ...people, databaseFile: app.lms.config.databaseFile }, () => {
  app.lms.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}));
// Learners think for seconds between answers: keep their connections open longer than Node's 5 s default.
server.keepAliveTimeout = 65_000;
