import type { LmsConfig } from './config.js';
import { AuditLogService } from './audit/audit-log.service.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordCheckQueue } from './auth/password-check-queue.js';
import { AuthService } from './auth/auth.service.js';
import { makeDummyHash } from './auth/password.js';
import { OrgService } from './org/org.service.js';
import { EnglishCourseTitles } from './courses/english-titles.js';
import { CourseService } from './courses/course.service.js';
import { FolderContentStore } from './courses/content-store.js';
import { CourseIngestService } from './courses/course-ingest.service.js';
import { ManifestReader } from './courses/manifest/manifest-reader.js';
import { createCheckpointer } from './db/checkpointer.js';
import { LaunchService } from './scorm/launch.service.js';
import { CommitService } from './scorm/commit.service.js';
import { ReportsService, type SubtreeSummary } from './reports/reports.service.js';
import type { ReportBranch } from './reports/reports.repository.js';
import type { AsOf } from './reports/as-of.js';
import { DashboardService } from './reports/dashboard.service.js';
import { createSummaryWorker, type Summariser } from './reports/summary-worker.js';
import { BranchSnapshotReader, readSnapshot } from './reports/branch-snapshot.js';
import { workerRosterApplier } from './org/roster/roster-applier.js';
import { RosterImportService } from './org/roster/roster-import.service.js';
import { CertificationService } from './certification/certification.service.js';
import { EmployeeHomeService } from './home/employee-home.service.js';
import { CourseInsightsService } from './courses/insights.service.js';
import { PeopleService } from './people/people.service.js';
import { BranchTreeService } from './org/branch-tree.service.js';
import { LearnerListService } from './courses/learner-list.service.js';
import { DEFAULT_CERTIFICATION_POLICY } from './certification/status-rules.js';
import { createTranslator } from './i18n/i18n.js';
import { NotifyService, type NotifyRunOptions } from './notify/notify.service.js';
import { createSmtpMailer } from './notify/mailer.js';
import { EvidenceService } from './evidence/evidence.service.js';
import { examEvidenceSource } from './exams/exam-evidence.source.js';
import path from 'node:path';
import { openLmsDatabase } from './db/open-lms-database.js';
import { sqliteRepositories } from './db/sqlite-repositories.js';
import type { Repositories } from './db/repositories.js';
import { pgRepositories } from './db/postgres/pg-repositories.js';
import { pgRosterApplier } from './org/roster/roster-writer.pg.js';
import { claimForWindow, DAILY_JOB_CLAIM_LOCK, DAILY_JOB_RUN_LOCK, withAdvisoryLock } from './db/postgres/job-locks.js';
import { signInParts } from './auth/sign-in.container.js';
import { BankService } from './exams/bank.service.js';
import { ExamService } from './exams/exam.service.js';

/** Before the worker is ready, a dashboard snapshot of at most this many branches is read in-process (≤ 27,000 tally rows, ~25 ms at worst). */
const IN_PROCESS_SNAPSHOT_BRANCHES = 100;

/**
 * config → database → migrations → repositories → services, shared by the web app (app.ts) and the
 * CLI (cli.ts) so both run the same code.
 */
export function buildContainer(config: LmsConfig) {
  // SQLite (opened and migrated here) or PostgreSQL (pool now, migrations by `ready`): LMS_DATABASE_URL / options.databaseUrl.
  const { database, db, ready } = openLmsDatabase(config);
  const { now } = config;
  // Each bundle also gives the reads of the dashboard's snapshots: synchronous for the SQLite worker, a read transaction on PostgreSQL.
  // SQLite: WAL checkpoints in a worker thread, not inside whichever group transaction made the WAL long.
  const checkpointer = database.dialect === 'sqlite' && config.databaseFile !== ':memory:'
    ? createCheckpointer({ db: database.db, databaseFile: config.databaseFile, logger: config.logger })
    : null;
  const sqlite = database.dialect === 'sqlite' ? sqliteRepositories(database.db, now, checkpointer ? () => checkpointer.nudge() : undefined) : null;
  const pg = database.dialect === 'postgres' ? pgRepositories(database.pool, now) : null;
  const repositories: Repositories = sqlite ?? pg!;
  const { audit, branches, users, apiTokens, userSessions, courses, runtime, banks, exams, certification } = repositories;
  let dummyHash: Promise<string> | null = null;
  // One sign-in throttle for every password typed into the LMS (local and LDAP).
  const throttle = new LoginThrottle(config.loginThrottle, () => config.now().getTime());
  const auth = new AuthService({
    users, apiTokens, audit,
    throttle,
    passwordChecks: new PasswordCheckQueue(config.passwordChecks),
    passwordCost: config.passwordCost,
    dummyHash: () => (dummyHash ??= makeDummyHash(config.passwordCost)),
  });
  // English course titles for pages and exports that name courses by code (issue 17).
  const englishTitles = new EnglishCourseTitles({ courses, now: () => new Date() });
  const courseService = new CourseService({ courses, onTitlesChanged: () => englishTitles.clear() });
  // Certification listens to the roster (who is covered) and to commits (who passed).
  const certificationPolicy = { ...DEFAULT_CERTIFICATION_POLICY, timeZone: config.timeZone };
  const certificationService = new CertificationService({ certification, courses, runtime, branches, policy: certificationPolicy, now, logger: config.logger, exams });
  const org = new OrgService({ branches, users, auth, sessions: userSessions, onUserChanged: (userId) => certificationService.syncEnrollments(userId) });
  const bankService = new BankService({ banks, workDir: path.join(config.dataDir, 'bank-work'), logger: config.logger });
  const examService = new ExamService({ exams, banks, courses, runtime, users, certification: certificationService, now, logger: config.logger });
  const employeeHome = new EmployeeHomeService({ certification, courses, runtime, exams, policy: certificationPolicy, now, dueSoonDays: config.dueSoonDays });
  const launch = new LaunchService({ courses, runtime, now, cycleStartedAt: (userId, courseId) => certificationService.cycleStartedAt(userId, courseId) });
  const commits = new CommitService({
    courses, runtime, now, logger: config.logger,
    onAttemptApplied: (userId, courseId, attempt) => certificationService.onAttemptApplied(userId, courseId, attempt),
  });
  const manifests = new ManifestReader();
  // Package files: the data folder's packages/, or a folder every node shares (config.packagesDir).
  const content = new FolderContentStore(config.packagesDir);
  const ingest = new CourseIngestService({ courses, content, limits: config.packageLimits, manifests, logger: config.logger });
  // Reports read what certification writes; statuses follow the configured zone.
  const reportsRepository = repositories.reports;
  const reports = new ReportsService({
    reports: reportsRepository, audit, policy: certificationPolicy, now,
    // The branches export's walk runs in the summary worker (below), as the dashboard's past dates do (SQLite).
    summariseOffLoop: sqlite ? (root: ReportBranch, asOf: AsOf): Promise<SubtreeSummary> => summaries!.summarise(root, asOf) : undefined,
  });
  // Whole-bank figures take minutes of status rules: walked in a worker with its own read-only connection.
  // Today's figures are summed from status tallies kept by triggers, in the same worker.
  // (On PostgreSQL the walk runs in-process for now, the worker opening the SQLite file; today's figures are read from the tallies in a read transaction.)
  const { statusTallies } = repositories;
  const summaries: Summariser | null = sqlite
    ? createSummaryWorker({
      databaseFile: config.databaseFile, policy: certificationPolicy, now, fallback: (root, asOf) => reports.summarise(root, asOf),
      snapshotInProcess: (branch, asOf, after) => new BranchSnapshotReader({ reports: sqlite.reports, tallies: sqlite.statusTallies, policy: certificationPolicy }).read(branch, asOf, after),
      fitsInProcess: (branch) => sqlite.reports.countBranchesUnder(branch.path) <= IN_PROCESS_SNAPSHOT_BRANCHES,
    })
    : null;
  const dashboard = new DashboardService({
    reports, repository: reportsRepository, policy: certificationPolicy, now, logger: config.logger,
    summarise: (root, asOf) => (summaries ? summaries.summarise(root, asOf) : reports.summarise(root, asOf)),
    snapshot: summaries
      ? (branch, asOf, after) => summaries.snapshot(branch, asOf, after)
      : (branch, asOf, after) => pg!.snapshots.inSnapshot((reads) => readSnapshot(reads, branch, asOf, after, certificationPolicy)),
  });
  const roster = new RosterImportService({
    // The apply and the enrolment that follows it (new hires, transfers) run in a worker thread.
    roster: repositories.roster,
    applier: database.dialect === 'sqlite'
      ? workerRosterApplier({ databaseFile: config.databaseFile, now, enrollTimeZone: certificationPolicy.timeZone })
      : pgRosterApplier({ pool: database.pool, certification, now, enrollTimeZone: certificationPolicy.timeZone }),
    now, timeZone: config.timeZone,
    workDir: path.join(config.dataDir, 'roster-work'), logger: config.logger,
  });
  // Reminders read statuses like reports do; without an SMTP server the job sends nothing.
  const mailer = config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : null;
  const notify = new NotifyService({
    reports: reportsRepository, notify: repositories.notify, certification, policy: certificationPolicy,
    translator: createTranslator(config.defaultLocale), defaultLocale: config.defaultLocale, mailer,
    publicUrl: config.publicUrl, dueSoonDays: config.dueSoonDays, now, logger: config.logger,
  });
  // The trainer's course page: statuses from the reports' facts; scores and answers from aggregates kept by triggers.
  const { courseAggregates } = repositories;
  const insights = new CourseInsightsService({
    courses, insights: repositories.insights, aggregates: courseAggregates, reports: reportsRepository, certification: certificationService, policy: certificationPolicy, now,
  });
  // The filtered learner list: index-walking searches, bulk reminders (in-app, and mailed through notify).
  const { learnerReminders } = repositories;
  const learnerList = new LearnerListService({
    insights, search: repositories.learnerSearch, reminders: learnerReminders, branches, reports: reportsRepository, notify, policy: certificationPolicy, now, audit,
  });
  // Evidence files for auditors, with the exam papers behind each status.
  const evidenceRecords = repositories.evidence;
  const evidence = new EvidenceService({
    evidence: evidenceRecords, reports: reportsRepository, audit, exams: examEvidenceSource({ exams, evidence: evidenceRecords }), policy: certificationPolicy, now,
  });
  /**
   * The daily job (scheduled by main.ts, run by `lms notify`, or by a host's own scheduler):
   * certificates missed when their attempts completed first, since the reminders read them.
   */
  const runDailyJob = async (options: NotifyRunOptions = {}) => {
    if (!options.dryRun) {
      // Exams whose time ran out while nobody looked are submitted as they stood, before certificates are decided.
      await examService.closeExpired();
      await certificationService.reconcileCertificates();
    }
    return notify.run(options);
  };
  // On PostgreSQL several nodes share the database: the job never runs on two at once (advisory lock).
  const dailyJob = database.dialect === 'postgres'
    ? (options: NotifyRunOptions = {}) => withAdvisoryLock(database.pool, DAILY_JOB_RUN_LOCK, () => runDailyJob(options))
    : runDailyJob;
  const claims = new Set<{ release(): void }>();
  /**
   * The scheduled run (main.ts): on PostgreSQL every node's timer fires at the same hour, and the
   * first to claim the day runs it; the others skip (null). The claim is held for an hour after.
   */
  const scheduledDailyJob = async (options: NotifyRunOptions = {}) => {
    if (database.dialect !== 'postgres') return runDailyJob(options);
    const claim = await claimForWindow(database.pool, DAILY_JOB_CLAIM_LOCK, 3_600_000);
    if (!claim) {
      config.logger.info('[notify] the daily job is being run by another node');
      return null;
    }
    claims.add(claim);
    return dailyJob(options);
  };
  const auditLog = new AuditLogService({ audit, users, timeZone: config.timeZone });
  // SSO, host identity, invitations and resets: one door to the roster person (auth/sign-in.container.ts).
  const signIn = signInParts({ config, tokens: repositories.passwordTokens, users, branches, audit, auth, org, throttle, sessions: userSessions });
  return {
    config, db, database, groupCommit: sqlite?.groupCommit ?? null, checkpointer, certificationPolicy,
    /** Resolves once the database is migrated (at once on SQLite); the app holds requests until then. */
    ready, jobs: { daily: dailyJob, scheduledDaily: scheduledDailyJob }, signIn, content,
    /** Starts the dashboard's summary worker ahead of the first request (the standalone server does). */
    warmWorkers: async () => { await summaries?.warm(); },
    repositories: {
      audit, branches, users, learnerReminders, apiTokens, userSessions, courses, runtime, reports: reportsRepository, certification, courseAggregates, statusTallies, banks, exams,
      people: repositories.people, learnerSearch: repositories.learnerSearch,
    },
    services: {
      auth, org, courses: courseService, ingest, launch, commits, reports, dashboard, roster, certification: certificationService, employeeHome, notify, insights, learnerList, evidence, branchTree: new BranchTreeService({ branches }),
      people: new PeopleService({ people: repositories.people, timeZone: certificationPolicy.timeZone }),
      banks: bankService, exams: examService, auditLog, englishTitles,
    },
    close: () => {
      for (const claim of claims) claim.release();
      mailer?.close(); manifests.close(); void summaries?.close(); void checkpointer?.close(); signIn.close(); sqlite?.groupCommit.close(); database.close();
    },
  };
}

export type Container = ReturnType<typeof buildContainer>;

