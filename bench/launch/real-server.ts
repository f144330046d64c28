/**
 * The system under test for bench:launch: the whole app from createLms as `npm start` runs it
 * (NODE_ENV unset: the views must be compiled once anyway), on a fresh SQLite file (WAL,
 * synchronous=FULL), with its package content on a second origin as production runs it, a trainer
 * and BENCH_LEARNERS employees. Announces {"port","contentPort","password","trainer","learners"}.
 * Sign-in settings differ from production (cheap scrypt, wide throttle) — not on the launch path.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createLms } from '../../server/app.js';
import { BENCH_SIGN_IN_OPTIONS } from '../shared/bench-lms-options.js';
import { seedBenchOrg } from '../shared/bench-org.js';
import { announce } from '../shared/child-server.js';

const learnerCount = Number(process.env.BENCH_LEARNERS ?? 50);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-launch-lms-'));
const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));

// The content origin's port must be known before createLms: listen first, then hand the app in.
const contentServer = http.createServer();
await new Promise<void>((resolve) => contentServer.listen(0, '127.0.0.1', resolve));
const contentPort = (contentServer.address() as AddressInfo).port;

const app = createLms({
  dataDir, logger, contentOrigin: `http://127.0.0.1:${contentPort}`,
  ...BENCH_SIGN_IN_OPTIONS,
});
contentServer.on('request', app.lms.contentApp);
const people = await seedBenchOrg(app, learnerCount);

const server = app.listen(0, '127.0.0.1', () => announce(server, { contentPort, ...people }, () => {
  contentServer.close();
  app.lms.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}));
