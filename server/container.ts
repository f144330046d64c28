import type { LmsConfig } from './config.js';
import { openDatabase, type Db } from './db/open-database.js';
import { migrate } from './db/migrate.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditLogService } from './audit/audit-log.service.js';
import { BranchesRepository } from './org/branches.repository.js';
import { UsersRepository } from './org/users.repository.js';
import { ApiTokensRepository } from './auth/api-tokens.repository.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordCheckQueue } from './auth/password-check-queue.js';
import { UserSessionsRepository } from './auth/user-sessions.repository.js';
import { AuthService } from './auth/auth.service.js';
import { makeDummyHash } from './auth/password.js';
import { OrgService } from './org/org.service.js';
import { CoursesRepository } from './courses/courses.repository.js';
import { CourseService } from './courses/course.service.js';
import { FolderContentStore } from './courses/content-store.js';
import { CourseIngestService } from './courses/course-ingest.service.js';
import { ManifestReader } from './courses/manifest/manifest-reader.js';
import { RuntimeRepository } from './scorm/runtime.repository.js';
import { GroupCommit } from './db/group-commit.js';
import { LaunchService } from './scorm/launch.service.js';
import { CommitService } from './scorm/commit.service.js';
import { ReportsRepository } from './reports/reports.repository.js';
import { ReportsService } from './reports/reports.service.js';
import { DashboardService } from './reports/dashboard.service.js';
import { createSummaryWorker } from './reports/summary-worker.js';
import { BranchSnapshotReader } from './reports/branch-snapshot.js';
import { StatusTalliesRepository } from './reports/status-tallies.repository.js';

import { RosterRepository } from './org/roster/roster.repository.js';
import { workerRosterApplier } from './org/roster/roster-applier.js';
import { RosterImportService } from './org/roster/roster-import.service.js';
import { CertificationRepository } from './certification/certification.repository.js';
import { CertificationService } from './certification/certification.service.js';
import { EmployeeHomeService } from './home/employee-home.service.js';
import { InsightsRepository } from './courses/insights.repository.js';
import { CourseInsightsService } from './courses/insights.service.js';
import { PeopleRepository } from './people/people.repository.js';
import { PeopleService } from './people/people.service.js';
import { BranchTreeService } from './org/branch-tree.service.js';
import { LearnerListService } from './courses/learner-list.service.js';
import { LearnerSearchRepository } from './courses/learner-search.repository.js';
import { LearnerRemindersRepository } from './courses/learner-reminders.repository.js';
import { CourseAggregatesRepository } from './reports/course-aggregates.repository.js';
import { DEFAULT_CERTIFICATION_POLICY } from './certification/status-rules.js';
import { createTranslator } from './i18n/i18n.js';
import { NotifyRepository } from './notify/notify.repository.js';
import { NotifyService, type NotifyRunOptions } from './notify/notify.service.js';
import { createSmtpMailer } from './notify/mailer.js';
import { EvidenceRepository } from './evidence/evidence.repository.js';
import { EvidenceService } from './evidence/evidence.service.js';
import { examEvidenceSource } from './exams/exam-evidence.source.js';
import path from 'node:path';
import { signInParts } from './auth/sign-in.container.js';
import { BanksRepository } from './exams/banks.repository.js';
import { ExamsRepository } from './exams/exams.repository.js';
import { BankService } from './exams/bank.service.js';
import { ExamService } from './exams/exam.service.js';

/** Before the worker is ready, a dashboard snapshot of at most this many branches is read in-process (≤ 27,000 tally rows, ~25 ms at worst). */
const IN_PROCESS_SNAPSHOT_BRANCHES = 100;

/**
 * config → database → migrations → repositories → services, shared by the web app (app.ts) and the
 * CLI (cli.ts) so both run the same code.
 */
export function buildContainer(config: LmsConfig) {
  const db: Db = openDatabase(config.databaseFile);
  migrate(db, path.join(config.projectRoot, 'migrations'), config.now);
  const { now } = config;
  const audit = new AuditRepository({ db, now });
  const branches = new BranchesRepository({ db, audit, now });
  const users = new UsersRepository({ db, audit, now });
  const apiTokens = new ApiTokensRepository({ db, audit, now });
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
  const courses = new CoursesRepository({ db, audit, now });
  const courseService = new CourseService({ courses });
  // Learners' commits (and exam answers) arriving together share one transaction and one fsync.
  const groupCommit = new GroupCommit(db);
  const runtime = new RuntimeRepository({ db, audit, now, groupCommit });
  const banks = new BanksRepository({ db, audit, now });
  const exams = new ExamsRepository({ db, audit, now, groupCommit });
  // Certification listens to the roster (who is covered) and to commits (who passed).
  const certificationPolicy = { ...DEFAULT_CERTIFICATION_POLICY, timeZone: config.timeZone };
  const certification = new CertificationRepository({ db, audit, now });
  const certificationService = new CertificationService({ certification, courses, runtime, branches, policy: certificationPolicy, now, logger: config.logger, exams });
  const userSessions = new UserSessionsRepository({ db, audit });
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
  const reportsRepository = new ReportsRepository({ db });
  const reports = new ReportsService({
    reports: reportsRepository, audit, policy: certificationPolicy, now,
    // The branches export's walk runs in the summary worker (below), as the dashboard's past dates do.
    summariseOffLoop: (root, asOf) => summaries.summarise(root, asOf),
  });
  // Whole-bank figures take minutes of status rules: walked in a worker with its own read-only connection.
  // Today's figures are summed from status tallies kept by triggers, in the same worker.
  const statusTallies = new StatusTalliesRepository({ db });
  const snapshots = new BranchSnapshotReader({ reports: reportsRepository, tallies: statusTallies, policy: certificationPolicy });
  const summaries = createSummaryWorker({
    databaseFile: config.databaseFile, policy: certificationPolicy, now, fallback: (root, asOf) => reports.summarise(root, asOf),
    snapshotInProcess: (branch, asOf, after) => snapshots.read(branch, asOf, after),
    fitsInProcess: (branch) => reportsRepository.countBranchesUnder(branch.path) <= IN_PROCESS_SNAPSHOT_BRANCHES,
  });
  const dashboard = new DashboardService({
    reports, repository: reportsRepository, policy: certificationPolicy, now, logger: config.logger,
    summarise: (root, asOf) => summaries.summarise(root, asOf),
    snapshot: (branch, asOf, after) => summaries.snapshot(branch, asOf, after),
  });
  const roster = new RosterImportService({
    // The apply and the enrolment that follows it (new hires, transfers) run in a worker thread.
    roster: new RosterRepository({ db }), applier: workerRosterApplier({ databaseFile: config.databaseFile, now, enrollTimeZone: certificationPolicy.timeZone }),
    now, timeZone: config.timeZone,
    workDir: path.join(config.dataDir, 'roster-work'), logger: config.logger,
  });
  // Reminders read statuses like reports do; without an SMTP server the job sends nothing.
  const mailer = config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : null;
  const notify = new NotifyService({
    reports: reportsRepository, notify: new NotifyRepository({ db }), certification, policy: certificationPolicy,
    translator: createTranslator(config.defaultLocale), defaultLocale: config.defaultLocale, mailer,
    publicUrl: config.publicUrl, dueSoonDays: config.dueSoonDays, now, logger: config.logger,
  });
  // The trainer's course page: statuses from the reports' facts; scores and answers from aggregates kept by triggers.
  const courseAggregates = new CourseAggregatesRepository({ db });
  const insights = new CourseInsightsService({
    courses, insights: new InsightsRepository({ db }), aggregates: courseAggregates, reports: reportsRepository, certification: certificationService, policy: certificationPolicy, now,
  });
  // The filtered learner list: index-walking searches, bulk reminders (in-app, and mailed through notify).
  const learnerReminders = new LearnerRemindersRepository({ db, audit });
  const learnerList = new LearnerListService({
    insights, search: new LearnerSearchRepository({ db }), reminders: learnerReminders, branches, reports: reportsRepository, notify, policy: certificationPolicy, now, audit,
  });
  // Evidence files for auditors, with the exam papers behind each status.
  const evidenceRecords = new EvidenceRepository({ db });
  const evidence = new EvidenceService({
    evidence: evidenceRecords, reports: reportsRepository, audit, exams: examEvidenceSource({ exams, evidence: evidenceRecords }), policy: certificationPolicy, now,
  });
  /**
   * The daily job (scheduled by main.ts, run by `lms notify`, or by a host's own scheduler):
   * certificates missed when their attempts completed first, since the reminders read them.
   */
  const dailyJob = async (options: NotifyRunOptions = {}) => {
    if (!options.dryRun) {
      // Exams whose time ran out while nobody looked are submitted as they stood, before certificates are decided.
      await examService.closeExpired();
      await certificationService.reconcileCertificates();
    }
    return notify.run(options);
  };
  const auditLog = new AuditLogService({ audit, users, timeZone: config.timeZone });
  // SSO, host identity, invitations and resets: one door to the roster person (auth/sign-in.container.ts).
  const signIn = signInParts({ config, db, users, branches, audit, auth, org, throttle, sessions: userSessions });
  return {
    config, db, groupCommit, certificationPolicy, jobs: { daily: dailyJob }, signIn, content,
    /** Starts the dashboard's summary worker ahead of the first request (the standalone server does). */
    warmWorkers: () => summaries.warm(),
    repositories: { audit, branches, users, learnerReminders, apiTokens, userSessions, courses, runtime, reports: reportsRepository, certification, courseAggregates, statusTallies, banks, exams },
    services: {
      auth, org, courses: courseService, ingest, launch, commits, reports, dashboard, roster, certification: certificationService, employeeHome, notify, insights, learnerList, evidence, branchTree: new BranchTreeService({ branches }),
      people: new PeopleService({ people: new PeopleRepository({ db }), timeZone: certificationPolicy.timeZone }),
      banks: bankService, exams: examService, auditLog,
    },
    close: () => { mailer?.close(); manifests.close(); void summaries.close(); signIn.close(); if (db.open) db.close(); },
  };
}

export type Container = ReturnType<typeof buildContainer>;
