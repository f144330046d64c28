/**
 * The system under test for bench:stall: the whole app from createLms on a copy of the bank-size
 * database (WAL, synchronous=FULL as in production), with four accounts added: a trainer, an hr
 * officer for the whole bank, one for a provincial branch, and an admin. Runs as a child process
 * and announces {"port","password","province"}.
 *
 * The bench host around the app adds three routes of its own, none of them part of the product:
 *   GET  /__bench/loop     the largest event-loop delay since the last call (perf_hooks, wall time) and the
 *                          most CPU the process used between two 5 ms ticks, and resets both
 *   POST /__bench/roster   runs the roster import service on a file (as the upload page's apply does)
 *   POST /__bench/daily    runs the daily job as a dry run (walks every learner, mails nothing)
 * The clock reads BENCH_AS_OF at 10:00 Shanghai time when the server starts, then runs on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import express from 'express';
import { pino } from 'pino';
import { createLms } from '../../server/app.js';
import { BENCH_SIGN_IN_OPTIONS } from '../shared/bench-lms-options.js';
import { BENCH_PASSWORD } from '../shared/bench-org.js';
import { announce } from '../shared/child-server.js';
import { mainThreadCpuMs } from '../../test/helpers/main-thread-cpu.js';
import { BENCH_AS_OF } from '../export/generate-bank.js';

const file = process.env.BENCH_DB;
if (!file || !fs.existsSync(file)) throw new Error('BENCH_DB must name the database to serve');
const dataDir = path.dirname(file);
const logger = pino({ level: 'warn' }, pino.destination({ dest: '/dev/null', sync: true }));
const offset = Date.now() - new Date(`${BENCH_AS_OF}T02:00:00.000Z`).getTime();

const app = createLms({
  dataDir, databaseFile: file, logger,
  now: () => new Date(Date.now() - offset),
  ...BENCH_SIGN_IN_OPTIONS,
});
// As `npm start` does at listen: the dashboard's summary worker is ready before the first request.
await app.lms.warmWorkers();
const { org } = app.lms.services;
const { branches } = app.lms.repositories;
const province = app.lms.db.prepare('SELECT code FROM branches WHERE depth = 1 ORDER BY id LIMIT 1').pluck().get() as string;

const account = async (username: string, roles: Array<{ role: 'trainer' | 'hr' | 'admin'; scopeBranchId: number | null }>) => {
  await org.createUser({
    username, employeeNo: null, name: username, email: null, branchCode: null, position: null, hiredAt: null, status: 'active', password: BENCH_PASSWORD,
  }, null, roles);
};
const hoId = (await branches.findByCode('HO'))!.id;
await account('bench-trainer', [{ role: 'trainer', scopeBranchId: null }]);
await account('bench-hr-bank', [{ role: 'hr', scopeBranchId: hoId }]);
await account('bench-hr-province', [{ role: 'hr', scopeBranchId: (await branches.findByCode(province))!.id }]);
await account('bench-admin', [{ role: 'admin', scopeBranchId: null }]);

// Two readings of a stall. perf_hooks' delay is wall time, which on a machine shared with other
// busy processes also counts the time this one waited for a CPU. So a 5 ms ticker also records the
// CPU the main thread used between two ticks: the longest such stretch is the app's own work
// (the main thread only: process.cpuUsage() would add the roster apply worker's CPU).
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let maxCpuStretchMs = 0;
let lastCpuMs = mainThreadCpuMs();
setInterval(() => {
  const cpuMs = mainThreadCpuMs();
  maxCpuStretchMs = Math.max(maxCpuStretchMs, cpuMs - lastCpuMs);
  lastCpuMs = cpuMs;
}, 5).unref();
const host = express();
host.get('/__bench/loop', (_req, res) => {
  res.json({ maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, maxCpuStretchMs, rssMb: process.memoryUsage().rss / 2 ** 20 });
  delay.reset();
  maxCpuStretchMs = 0;
});
host.post('/__bench/roster', express.json(), async (req, res) => {
  const { filePath } = req.body as { filePath: string };
  const report = await app.lms.services.roster.run({
    filePath, fileName: path.basename(filePath), effectiveDate: null, apply: true, validOnly: true, actor: { id: null, scopes: null, via: 'cli' },
  });
  res.json({ applied: report.applied, rows: report.counts });
});
host.post('/__bench/daily', async (_req, res) => {
  res.json(await app.lms.jobs.daily({ dryRun: true }));
});
host.use(app);

const server = host.listen(0, '127.0.0.1', () => announce(server, { password: BENCH_PASSWORD, province, pid: process.pid }, () => app.lms.close()));
