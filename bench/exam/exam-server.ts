/**
 * The system under test for bench:exam: the whole app from createLms on a fresh SQLite file (WAL,
 * synchronous=FULL, as in production) with a trainer and BENCH_LEARNERS employees. Runs as a
 * child process and announces {"port","password","trainer","learners","databaseFile"}; the parent
 * drives it over HTTP and reads the database file afterwards to count lost answers.
 * As in bench:commit, only the sign-in cost (scrypt) and throttle differ from production.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createLms } from '../../server/app.js';
import { BENCH_SIGN_IN_OPTIONS } from '../shared/bench-lms-options.js';
import { announce } from '../shared/child-server.js';

const learnerCount = Number(process.env.BENCH_LEARNERS ?? 2000);
const password = 'bench-password-0123';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-exam-lms-'));
const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'info' }, pino.destination({ dest: '/dev/null', sync: true }));

const app = createLms({
  dataDir, logger,
  ...BENCH_SIGN_IN_OPTIONS,
});
const { org } = app.lms.services;

await org.createBranch({ code: 'HO', name: '总行', parentCode: null }, null);
const user = (username: string, employeeNo: string, name: string) => ({
  username, employeeNo, name, email: null, branchCode: 'HO', position: null, hiredAt: '2024-01-01', status: 'active' as const, password,
});
await org.createUser(user('bench-trainer', 'T000001', '培训师'), null, [{ role: 'trainer', scopeBranchId: null }]);
const learners: string[] = [];
for (let i = 1; i <= learnerCount; i += 1) {
  await org.createUser(user(`learner${i}`, `E${String(i).padStart(6, '0')}`, `学员${i}`), null, [{ role: 'employee', scopeBranchId: null }]);
  learners.push(`learner${i}`);
}

const server = app.listen(0, '127.0.0.1', () => announce(server, {
  password, trainer: 'bench-trainer', learners, databaseFile: app.lms.config.databaseFile,
}, () => {
  app.lms.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}));
// Learners think for seconds between answers: keep their connections open longer than Node's 5 s default.
server.keepAliveTimeout = 65_000;
