import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import crypto from 'node:crypto';
import path from 'node:path';
import { resolveConfig, type LmsOptions } from './config.js';
import { buildContainer, type Container } from './container.js';
import { createTranslator } from './i18n/i18n.js';
import { configureViews } from './http/views.js';
import { requestLocals } from './http/locals.js';
import { courseTitlesLocals } from './http/course-titles-locals.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { healthRoutes } from './http/health.routes.js';
import { createSessionMiddleware } from './auth/session.js';
import { signInFromSessionCookie } from './auth/session-reader.js';
import { createPassport } from './auth/passport.js';
import { createCsrf } from './auth/csrf.js';
import { bearerToken } from './auth/guards.js';
import { authRoutes } from './auth/auth.routes.js';
import { adminRoutes } from './org/admin.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { homeRoutes } from './home/home.routes.js';
import { orgApiRoutes } from './org/org-api.routes.js';
import { coursesRoutes } from './courses/courses.routes.js';
import { contentRoutes } from './courses/content.routes.js';
import { scormRoutes } from './scorm/scorm.routes.js';
import { createContentApp } from './courses/content.app.js';
import { createCapabilitySigner } from './courses/content-capability.js';
import { createContentLinks } from './courses/content-links.js';
import { reportsRoutes } from './reports/reports.routes.js';
import { peopleRoutes } from './people/people.routes.js';
import { rosterRoutes } from './org/roster/roster.routes.js';
import { assignmentsRoutes } from './certification/assignments.routes.js';
import { certificatesRoutes } from './certification/certificates.routes.js';
import { insightsRoutes } from './courses/insights.routes.js';
import { evidenceRoutes } from './evidence/evidence.routes.js';
import { isolateFromHost, signInFromHost, hostRefusalPage } from './auth/identify.js';
import { signInMethodsLocals, breakGlassLogin } from './auth/sign-in-methods.js';
import { oidcRoutes } from './auth/oidc/oidc.routes.js';
import { ldapHandlers } from './auth/ldap/ldap.handlers.js';
import { passwordLinksRoutes } from './auth/invitations/password-links.routes.js';
import { banksRoutes } from './exams/banks.routes.js';
import { examsFastLane, examsRoutes } from './exams/exams.routes.js';

/** `lms.contentApp`: the package content server the host serves on `contentOrigin` (unused in same-origin mode). */
export type LmsApp = Express & { lms: Container & { close(): void; contentApp: Express } };

/**
 * The composition root: config → container (db, migrations, repositories, services) → middleware
 * → routers → 404 → error handler. Never listens, never reads process.env, keeps no module state.
 */
export function createLms(options: LmsOptions): LmsApp {
  const config = resolveConfig(options);
  const container = buildContainer(config);
  const { database, repositories, services } = container;
  const logger = config.logger;
  const app = express() as unknown as LmsApp;
  const viewsDir = path.join(config.projectRoot, 'views');
  const views = configureViews(app, viewsDir);
  app.disable('x-powered-by');

  app.use(pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    // A learner commits every few seconds (and saves exam answers): successful ones log at debug, anything that failed at info.
    customLogLevel: (req, res, err) => (!err && res.statusCode < 400 && (req.url?.startsWith('/scorm/commit/') || (req.method === 'PUT' && req.url?.startsWith('/api/exam-attempts/'))) ? 'debug' : 'info'),
    // Method, path, status and id only: headers carry cookies and tokens.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  }));
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"], 'frame-src': ["'self'", ...(config.contentOrigin ? [config.contentOrigin] : [])], 'img-src': ["'self'", 'data:'],
        // Plain-HTTP intranets are common: only ask browsers to upgrade when served over HTTPS.
        'upgrade-insecure-requests': config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
    crossOriginEmbedderPolicy: false,
  }));
  app.use('/assets', express.static(path.join(viewsDir, 'assets'), { index: false, maxAge: '1h' }));
  // scorm-again from the installed (pinned) package: no CDN on a bank intranet.
  app.use('/assets/vendor/scorm-again', express.static(path.join(config.projectRoot, 'node_modules/scorm-again/dist'), { index: false, maxAge: '1d' }));
  // Chart.js for the hr dashboard, likewise from the installed package.
  app.use('/assets/vendor/chart.js', express.static(path.join(config.projectRoot, 'node_modules/chart.js/dist'), { index: false, maxAge: '1d' }));
  app.use(healthRoutes(database));
  // On PostgreSQL the migrations run after createLms returns: requests wait for them (a failure answers 500).
  let isReady = false;
  void container.ready.then(() => { isReady = true; }, (error: unknown) => logger.error({ err: error }, '[db] migrations failed'));
  app.use((_req, _res, next) => (isReady ? next() : container.ready.then(() => next(), next)));

  const sessionSettings = {
    database, secret: config.sessionSecret, secure: config.secureCookies,
    idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs, now: config.now, storeClock: () => config.now().getTime(),
    groupCommit: container.groupCommit ?? undefined,
  };
  const session = createSessionMiddleware(sessionSettings);
  const passport = createPassport(services.auth);
  const csrf = createCsrf((p) => p.startsWith('/scorm/commit/'), config.sessionSecret);
  // Package content: on its own origin (no LMS session there), or under /content here with a warning.
  const capabilities = createCapabilitySigner(config.sessionSecret);
  const contentLinks = createContentLinks({ contentOrigin: config.contentOrigin, capabilities });
  if (!config.contentOrigin) logger.warn('[content] no contentOrigin: SCORM packages run on the LMS origin and can call its APIs as the learner; serve app.lms.contentApp on a separate host name');
  const contentApp = createContentApp({
    courses: services.courses, content: container.content, capabilities, now: config.now, logger,
    scormAgainDist: path.join(config.projectRoot, 'node_modules/scorm-again/dist'), assetsDir: path.join(viewsDir, 'assets'),
  });
  const scorm = scormRoutes({
    launch: services.launch, commits: services.commits, courses: services.courses, runtime: repositories.runtime, content: contentLinks, now: config.now,
    heartbeatSeconds: config.heartbeatSeconds,
    examLink: (userId, code) => services.exams.linkFor(userId, code),
  }, signInFromSessionCookie({ store: session.store, auth: services.auth, settings: sessionSettings }), csrf.protect);
  // A host's own session and user stay the host's; its identify() (if given) is asked here.
  app.use(isolateFromHost(config.identify));
  // Every learner commits every few seconds: a plainly valid session signs the commit in directly;
  // anything else falls through to the full session chain below.
  app.use(scorm.commitFastLane);
  app.use(examsFastLane({ exams: services.exams, banks: services.banks },
    signInFromSessionCookie({ store: session.store, auth: services.auth, settings: sessionSettings, csrfTokenFor: csrf.tokenForSessionId })));
  app.use(bearerToken(services.auth));
  app.use((req, res, next) => (req.authVia === 'token' ? next() : session.middleware[0](req, res, next)));
  app.use((req, res, next) => (req.authVia === 'token' ? next() : session.middleware[1](req, res, next)));
  app.use(passport.initialize());
  const passportSession = passport.session();
  app.use((req, res, next) => (req.authVia === 'token' ? next() : passportSession(req, res, next)));
  if (config.identify) app.use(signInFromHost({ signIn: container.signIn.door, now: config.now, logger }));
  // SCORM commits parse their own (larger, text/plain) bodies and carry a launch token instead of CSRF.
  app.use(scorm.commit);
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '1mb' }));
  const translator = createTranslator(config.defaultLocale);
  app.use(requestLocals({ translator, defaultLocale: config.defaultLocale, timeZone: config.timeZone }));
  app.use(courseTitlesLocals(services.englishTitles));
  app.use(signInMethodsLocals(config.signIn, () => container.signIn.links.canSend));
  app.use(csrf.exposeToken);
  app.use(hostRefusalPage);
  app.use(csrf.protect);

  // Sign-in methods (README "Sign-in"): with local passwords off, POST /login is the admins' break-glass.
  const { oidc, ldap } = container.signIn;
  if (!config.signIn.local) app.post('/login', breakGlassLogin({ auth: services.auth, audit: repositories.audit, now: config.now }));
  if (oidc && config.signIn.oidc) app.use(oidcRoutes({ oidc, config: config.signIn.oidc, signIn: container.signIn.door, now: config.now, logger }));
  if (ldap) app.post('/login/ldap', ldapHandlers({ ldap, now: config.now, logger }).login);
  app.use(passwordLinksRoutes({ links: container.signIn.links, users: repositories.users, branches: repositories.branches, logger }));
  app.use(authRoutes({
    passport, users: repositories.users, now: config.now, secureCookies: config.secureCookies,
    signOutRedirect: oidc ? (req) => (req.session.oidcIdToken ? oidc.endSessionUrl(req.session.oidcIdToken) : Promise.resolve(null)) : undefined,
  }));
  app.use(auditRoutes({ auditLog: services.auditLog }));
  app.use(adminRoutes({
    org: services.org, auditLog: services.auditLog,
    counts: async () => ({ users: await repositories.users.count(), branches: await repositories.branches.count() }),
  }));
  app.use(rosterRoutes({ roster: services.roster, uploadDir: path.join(config.dataDir, 'roster-uploads'), now: config.now }));
  app.use(orgApiRoutes({ branches: repositories.branches, branchTree: services.branchTree }));
  app.use(assignmentsRoutes({ certification: services.certification, repository: repositories.certification, courses: repositories.courses, branches: repositories.branches }));
  app.use(certificatesRoutes({
    certification: repositories.certification, users: repositories.users, courses: repositories.courses, translator,
    timeZone: config.timeZone, now: config.now, logger, publicUrl: config.publicUrl, pdfFont: config.pdfFont,
  }));
  app.use(coursesRoutes({
    courses: services.courses, ingest: services.ingest,
    uploadTmpDir: path.join(config.dataDir, 'uploads'), maxUploadBytes: config.packageLimits.maxUploadBytes,
  }));
  app.use(insightsRoutes({ insights: services.insights, learnerList: services.learnerList }));
  app.use(banksRoutes({ banks: services.banks, uploadDir: path.join(config.dataDir, 'bank-uploads'), now: config.now }));
  app.use(examsRoutes({ exams: services.exams, banks: services.banks }));
  app.use(contentRoutes({ courses: services.courses, content: container.content }));
  app.use(scorm.pages);
  app.use(peopleRoutes({ people: services.people }));
  const reports = reportsRoutes({ reports: services.reports, dashboard: services.dashboard, people: services.people, logger, timeZone: config.timeZone });
  app.use(reports.router);
  const evidence = evidenceRoutes({ evidence: services.evidence, translator, timeZone: config.timeZone, now: config.now, logger, pdfFont: config.pdfFont });
  app.use(evidence.router);
  app.use(homeRoutes({
    employeeHome: services.employeeHome, courses: services.courses, dueSoonDays: config.dueSoonDays,
    examLink: (userId, code) => services.exams.linkFor(userId, code),
    trainerReminders: (userId) => services.learnerList.remindersFor(userId),
    hrHome: reports.home,
  }));

  // A crash mid-upload leaves a staging folder: clear old ones (nothing in them was ever launchable).
  void container.content.sweep(3_600_000).catch((error: unknown) => logger.warn({ err: error }, '[courses] could not clear stale uploads'));

  app.use(notFoundHandler());
  app.use(errorHandler(logger, translator, config.defaultLocale));

  app.lms = {
    ...container, contentApp,
    /** Worker threads and compiled views, ahead of the first requests (the standalone server calls it at listen; a host may). */
    warmWorkers: async () => { await Promise.all([container.warmWorkers(), views.warm()]); },
    close: () => { session.store.stop(); void evidence.close(); container.close(); },
  };
  return app;
}
