import { Router, type RequestHandler } from 'express';
import { packageStaticHandlers } from './package-static.js';
import type { CourseService } from './course.service.js';
import type { ContentStore } from './content-store.js';
import { requireSignIn } from '../auth/guards.js';
import { NotFoundError } from '../errors.js';
import { contentSecurityPolicy } from './content-security.js';

/**
 * `/content/<versionId>/<path>` on the LMS's own origin (the same-origin mode): a version's files
 * never change, so they are served immutable with ETags and Range support (video seeking), never
 * as directory listings, only to users who may open that course. Traversal (plain, encoded or
 * double-encoded) is refused by `send` or finds nothing.
 */
export function contentRoutes(deps: { courses: CourseService; content: ContentStore }): Router {
  const staticFor = packageStaticHandlers((res) => {
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy("'self'"));
    // A window a package opens is sandboxed like its frame (content-sandbox.ts); Chromium refuses
    // to load a document with an opener policy into a sandboxed window, so none for package files.
    res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
  });

  const serve: RequestHandler = async (req, res, next) => {
    const versionId = Number(req.params.versionId);
    const version = Number.isSafeInteger(versionId) ? await deps.courses.findVersion(versionId) : null;
    if (!version || !(await deps.courses.canOpenVersion(req.user!, version))) throw new NotFoundError('Content not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new NotFoundError('Content not found');
    staticFor(version.id, deps.content.folderOf(version.storageDir))(req, res, (error?: unknown) => {
      // send's 403/404 for traversal or missing files become a plain 404.
      if (error) return next(new NotFoundError('Content not found'));
      next();
    });
  };

  const router = Router();
  router.use('/content/:versionId', requireSignIn, serve);
  return router;
}
