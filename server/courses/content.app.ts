import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { CourseService } from './course.service.js';
import type { ContentStore } from './content-store.js';
import type { CapabilitySigner } from './content-capability.js';
import { contentSecurityPolicy } from './content-security.js';
import { packageStaticHandlers } from './package-static.js';
import { isRelativePackageHref, launcherSecurityPolicy, renderLauncherPage } from './content-launcher.js';

export interface ContentAppDeps {
  courses: CourseService;
  content: ContentStore;
  capabilities: CapabilitySigner;
  now: () => Date;
  logger: Logger;
  /** scorm-again's dist folder (the patched scorm12.js / scorm2004.js) and the LMS's assets folder (content-launcher.js). */
  scormAgainDist: string;
  assetsDir: string;
}

class NotFound extends Error {}

/**
 * The content origin (issue 5): package files under `/c/<capability>/<path>` and the launcher page
 * under `/launch/<capability>`. It has no session and reads or sets no cookie: the signed,
 * expiring capability in the URL is the only authority, so content running here holds nothing it
 * could use against the LMS. Mount it on its own origin (a separate host name in production).
 */
export function createContentApp(deps: ContentAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const common: RequestHandler = (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The capability is in every URL: never hand it to another site in a Referer.
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  };
  app.use(common);

  const capabilityOf = (token: unknown) => {
    const capability = typeof token === 'string' ? deps.capabilities.verify(token, deps.now()) : null;
    if (!capability) throw new NotFound();
    return capability;
  };

  const staticFor = packageStaticHandlers((res) => {
    const { frameAncestors, maxAgeSeconds } = res.locals.content as { frameAncestors: string; maxAgeSeconds: number };
    res.setHeader('Cache-Control', `private, max-age=${maxAgeSeconds}, immutable`);
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(frameAncestors));
  });

  const files: RequestHandler = async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new NotFound();
    const capability = capabilityOf(req.params.capability);
    const version = await deps.courses.findVersion(capability.versionId);
    if (!version) throw new NotFound();
    // Framed by the launcher (this origin) inside the player (the LMS origin).
    res.locals.content = {
      frameAncestors: `'self' ${capability.lmsOrigin}`,
      maxAgeSeconds: Math.max(0, Math.floor((capability.expiresAt - deps.now().getTime()) / 1000)),
    };
    staticFor(version.id, deps.content.folderOf(version.storageDir))(req, res, (error?: unknown) => next(error ? new NotFound() : undefined));
  };

  const launcher: RequestHandler = async (req, res) => {
    const capability = capabilityOf(req.params.capability);
    const href = typeof req.query.sco === 'string' ? req.query.sco : '';
    const apiVersion = req.query.api === '1.2' ? '1.2' : '2004';
    if (!isRelativePackageHref(href) || !(await deps.courses.findVersion(capability.versionId))) throw new NotFound();
    res.setHeader('Content-Security-Policy', launcherSecurityPolicy(capability.lmsOrigin));
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(renderLauncherPage({
      lmsOrigin: capability.lmsOrigin, apiVersion, title: 'SCORM',
      scoUrl: `/c/${encodeURIComponent(String(req.params.capability))}/${href}`,
    }));
  };

  const script = (file: string): RequestHandler => (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(file);
  };

  app.get('/launcher/scorm12.js', script(path.join(deps.scormAgainDist, 'scorm12.js')));
  app.get('/launcher/scorm2004.js', script(path.join(deps.scormAgainDist, 'scorm2004.js')));
  app.get('/launcher/content-launcher.js', script(path.join(deps.assetsDir, 'content-launcher.js')));
  app.get('/launch/:capability', launcher);
  app.use('/c/:capability', files);
  app.use(() => { throw new NotFound(); });
  const errors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (!(error instanceof NotFound)) deps.logger.error({ err: error }, '[content] request failed');
    const status = error instanceof NotFound ? 404 : 500;
    res.status(status).type('text/plain').send(status === 404 ? 'Not found' : 'Error');
  };
  app.use(errors);
  return app;
}
