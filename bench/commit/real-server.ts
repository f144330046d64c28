/**
 * The system under test for bench:commit: the whole app from createLms on a fresh SQLite file
 * (WAL, synchronous=FULL, as in production), with a trainer and BENCH_LEARNERS employees. Runs
 * as a child process and announces {"port","password","trainer","learners"}; the parent signs
 * them in through the login form and uploads the course over HTTP like a browser would.
 *
 * Two settings differ from production, neither on the commit path: a cheap scrypt cost so fifty
 * sign-ins take milliseconds, and a sign-in throttle wide enough for them from one address.
 * Request logging stays on at info as in production (successful commits log at debug), written to
 * /dev/null.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createLms } from '../../server/app.js';
import { BENCH_SIGN_IN_OPTIONS } from '../shared/bench-lms-options.js';
import { seedBenchOrg } from '../shared/bench-org.js';
import { announce } from '../shared/child-server.js';

const learnerCount = Number(process.env.BENCH_LEARNERS ?? 50);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-commit-lms-'));
const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'info' }, pino.destination({ dest: '/dev/null', sync: true }));

const app = createLms({
  dataDir, logger,
  ...BENCH_SIGN_IN_OPTIONS,
});
const people = await seedBenchOrg(app, learnerCount);
const server = app.listen(0, '127.0.0.1', () => announce(server, people, () => {
  app.lms.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}));
