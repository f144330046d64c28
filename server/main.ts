// Standalone runner: the only place that reads process.env and listens.
import http from 'node:http';
import { createLms } from './app.js';
import { settingsFromEnv } from './env-options.js';
import { seedDemoOrganisation } from './org/demo-seed.js';
import { scheduleDaily } from './notify/daily-schedule.js';
import { seedDemoCourses } from './courses/demo-courses.js';

const settings = settingsFromEnv(process.env);
const app = createLms(settings.options);
const logger = settings.options.logger!;
// PostgreSQL: the migrations run (once across nodes: the runner holds an advisory lock) before anything reads.
await app.lms.ready;

if (settings.demo && (await app.lms.repositories.users.count()) === 0) {
  const seeded = await seedDemoOrganisation(app.lms, settings.demoPassword);
  logger.info('[demo] demo organisation created: accounts admin, trainer, hr, hrbranch, employee');
  const admin = (await app.lms.repositories.users.findByUsername('admin'))!;
  const codes = await seedDemoCourses(app.lms, admin.id);
  logger.info({ courses: codes }, '[demo] shipped courses imported, published and assigned to the whole bank');
  // Printed once, to the console only, so a newcomer can sign in; never logged to files.
  if (seeded.generated) console.log(`\n  Demo password for every demo account: ${seeded.password}\n`);
} else if ((await app.lms.repositories.users.count()) === 0) {
  logger.warn('[setup] no users yet: run `npm run lms -- create-admin --username <name>` to create the first account');
}

const server = http.createServer(app);
server.listen(settings.port, () => logger.info(`[http] Compliance LMS listening on http://localhost:${settings.port}`));
// The hr dashboard's summary worker loads its code once, before anyone asks for whole-bank figures.
app.lms.warmWorkers().catch((error: unknown) => logger.warn({ err: error }, '[reports] summary worker did not start; summaries run in-process'));
// Package content on its own origin: no LMS session there (see README, "Content origin").
const contentServer = settings.contentPort === null ? null : http.createServer(app.lms.contentApp);
contentServer?.listen(settings.contentPort!, () => logger.info(`[http] package content served for ${settings.options.contentOrigin} on port ${settings.contentPort}`));
// Once a day at LMS_NOTIFY_HOUR local time (`npm run lms -- notify` runs the same job by hand): certificates
// missed when their attempts completed, then the reminder e-mails.
const notifySchedule = scheduleDaily({
  name: 'notify', hour: settings.notifyHour, timeZone: app.lms.config.timeZone, now: app.lms.config.now, logger,
  job: (signal) => app.lms.jobs.scheduledDaily({ signal }),
});

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info(`[http] ${signal}: no new connections, finishing in-flight requests`);
  const jobsStopped = notifySchedule.stop();
  contentServer?.close();
  contentServer?.closeAllConnections();
  server.close(() => void jobsStopped.then(() => {
    app.lms.close();
    logger.info('[http] stopped; database closed');
    process.exit(0);
  }));
  server.closeIdleConnections();
  // Requests still running after 10 s are cut so a stuck client cannot block a deploy.
  setTimeout(() => { server.closeAllConnections(); }, 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
