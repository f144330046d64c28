import { courseTitleFor } from '../courses/english-titles.js';
import type { Request, RequestHandler, Response } from 'express';
import type { LaunchService, LaunchView } from './launch.service.js';
import type { CommitService } from './commit.service.js';
import type { CourseService } from '../courses/course.service.js';
import type { RuntimeStore } from './runtime.repository.js';
import { AttemptsExhaustedError, ChoiceRefusedError, cmiVersionOf, LAUNCH_TTL_MS } from './launch.service.js';
import type { ContentLinks } from '../courses/content-links.js';
import { PACKAGE_FRAME_SANDBOX } from '../courses/content-sandbox.js';
import { hashToken } from '../auth/api-tokens.repository.js';
import { canSeeBranch, hasRole } from '../auth/principal.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { HEARTBEAT_SECONDS } from './learning-time.js';

const PLAYER_STRINGS = ['saving', 'saved', 'retrying', 'sessionLost', 'refused', 'finished', 'choiceRefused', 'unavailable'] as const;

function scoQuery(req: Request): string | undefined {
  return typeof req.query.sco === 'string' && req.query.sco.length <= 200 ? req.query.sco : undefined;
}

/** A commit body: JSON, or the same JSON sent as text/plain by sendBeacon. */
function commitBody(req: Request): unknown {
  if (typeof req.body === 'string') {
    try {
      return JSON.parse(req.body) as unknown;
    } catch {
      throw new ValidationError('Commit body is not JSON', [], 'COMMIT_NOT_JSON');
    }
  }
  return req.body;
}

const scoreOf = (scaled: number | null) => (scaled === null ? null : Math.round(scaled * 10_000) / 100);

export interface ScormHandlerDeps {
  launch: LaunchService; commits: CommitService; courses: CourseService; runtime: RuntimeStore; content: ContentLinks; now: () => Date;
  /** How often the player sends its heartbeat (default HEARTBEAT_SECONDS). */
  heartbeatSeconds?: number;
  /** Whether the course's exam is open to this learner (a link on the player), when exams are wired in. */
  examLink?: (userId: number, courseCode: string) => Promise<'start' | 'resume' | null>;
}

export function scormHandlers(deps: ScormHandlerDeps) {
  /** @param resultPath where the learner lands when the course's last SCO ends (null: the exit). */
  const renderPlayer = (req: Request, res: Response, view: LaunchView, scoBase: string, exitPath: string, commitPath: string, resultPath: string | null = null) => {
    const base = res.locals.baseUrl;
    const t = res.locals.t;
    const contentUrl = deps.content.scoFrameUrl({
      lmsOrigin: `${req.protocol}://${req.get('host')}`, baseUrl: base, versionId: view.version.id, href: view.sco.href, apiVersion: view.cmiVersion,
      subject: view.preview ? `preview:${req.user!.id}` : `launch:${hashToken(view.token).slice(0, 16)}`,
      expiresAt: new Date(deps.now().getTime() + LAUNCH_TTL_MS),
    });
    res.render('scorm/player', {
      layout: 'player', title: view.course.title, course: view.course, sco: view.sco, toc: view.toc, previous: view.previous, next: view.next,
      preview: view.preview, multiSco: view.toc.length > 1, scoBase, exitPath, sequenced: view.sequencing !== null,
      scormAgainFile: view.cmiVersion === '1.2' ? 'scorm12.js' : 'scorm2004.js',
      frameSandbox: PACKAGE_FRAME_SANDBOX,
      launch: {
        version: view.cmiVersion, state: view.state, commitUrl: base + commitPath,
        contentUrl, contentOrigin: deps.content.contentOrigin, scoBaseUrl: base + scoBase, exitUrl: base + exitPath,
        resultUrl: base + (resultPath ?? exitPath),
        previous: view.previous, next: view.next,
        // Sequenced courses: the engine decides which SCO comes next; its state goes back beside the commits.
        sequencing: view.sequencing && {
          settings: view.sequencing.settings, state: view.sequencing.stored?.state ?? null, rev: view.sequencing.stored?.rev ?? 0,
          globalObjectives: view.sequencing.globalObjectives, isRequested: view.sequencing.isRequested,
          scoId: view.sco.identifier, isAsset: view.sequencing.assetIds.has(view.sco.identifier), saveUrl: view.preview ? null : `${base}${commitPath}/sequencing`,
        },
        // Previews record nothing, so they send no heartbeat.
        heartbeatUrl: view.preview ? null : `${base}${commitPath}/heartbeat`, heartbeatSeconds: deps.heartbeatSeconds ?? HEARTBEAT_SECONDS,
        strings: Object.fromEntries(PLAYER_STRINGS.map((k) => [k, t(`player.saveStatus.${k}`)])),
      },
    });
  };

  const learn: RequestHandler = async (req, res) => {
    const code = String(req.params.code);
    try {
      const view = await deps.launch.launch(req.user!, code, scoQuery(req));
      res.locals.examLink = (await deps.examLink?.(req.user!.id, code)) ?? null;
      renderPlayer(req, res, view, `/learn/${encodeURIComponent(code)}?sco=`, '/me', `/scorm/commit/${view.token}`, `/learn/${encodeURIComponent(code)}/result`);
    } catch (error) {
      if (error instanceof ChoiceRefusedError) {
        res.status(403).render('scorm/unavailable', { title: error.course.title, course: error.course, coursePath: `/learn/${encodeURIComponent(code)}` });
        return;
      }
      if (!(error instanceof AttemptsExhaustedError)) throw error;
      res.status(403).render('scorm/locked', { title: error.course.title, course: error.course, used: error.used });
    }
  };

  const preview: RequestHandler = async (req, res) => {
    const versionId = Number(req.params.versionId);
    if (!Number.isSafeInteger(versionId)) throw new NotFoundError('Version not found');
    const view = await deps.launch.preview(req.user!, versionId, scoQuery(req));
    // No launch token in a preview: its commits prove the page with the session's CSRF token (in the URL, as beacons send no header).
    const commitPath = `/scorm/preview-commit/${versionId}?_csrf=${encodeURIComponent(String(res.locals.csrfToken))}`;
    renderPlayer(req, res, view, `/preview/${versionId}?sco=`, `/trainer/courses/${encodeURIComponent(view.course.code)}`, commitPath);
  };

  const commit: RequestHandler = async (req, res) => {
    res.json(await deps.commits.commit(req.user!, String(req.params.token), commitBody(req)));
  };

  const heartbeat: RequestHandler = async (req, res) => {
    res.json(await deps.commits.heartbeat(req.user!, String(req.params.token)));
  };

  const saveSequencing: RequestHandler = async (req, res) => {
    res.json(await deps.commits.saveSequencing(req.user!, String(req.params.token), commitBody(req)));
  };

  const previewCommit: RequestHandler = async (req, res) => {
    const version = await deps.courses.findVersion(Number(req.params.versionId));
    if (!version || !hasRole(req.user!, 'trainer')) throw new NotFoundError('Version not found');
    res.json(deps.commits.previewCommit(cmiVersionOf(version), commitBody(req)));
  };

  /** Trainers and admins see everyone; hr sees learners in their branch subtree. */
  const attemptRows = async (req: Request) => {
    const course = await deps.courses.get(String(req.params.code));
    const rows = await deps.runtime.listCourseAttempts(course.id);
    const visible = hasRole(req.user!, 'trainer', 'admin') ? rows : rows.filter((r) => r.branch_path && canSeeBranch(req.user!, r.branch_path));
    return {
      course,
      attempts: visible.map((r) => ({
        employeeNo: r.employee_no, name: r.name, attempt: r.number, completionStatus: r.completion_status, successStatus: r.success_status,
        score: r.score_scaled === null ? null : Math.round(r.score_scaled * 10_000) / 100, totalSeconds: Math.round(r.total_seconds),
        measuredSeconds: Math.round(r.measured_seconds), tries: r.tries_count, launches: r.launch_count, attemptId: r.id,
        startedAt: r.started_at, finishedAt: r.finished_at,
      })),
    };
  };

  const attemptsApi: RequestHandler = async (req, res) => {
    const { attempts } = await attemptRows(req);
    res.json(attempts.map(({ name: _name, ...rest }) => rest));
  };

  const attemptsPage: RequestHandler = async (req, res) => {
    const { course, attempts } = await attemptRows(req);
    res.render('scorm/attempts', { title: courseTitleFor(res.locals.courseTitlesEn, res.locals.locale, course.code, course.title), course, attempts });
  };

  /** One attempt with every try (each change of score or success status) and both learning-time figures. */
  const attemptDetail = async (req: Request) => {
    const course = await deps.courses.get(String(req.params.code));
    const attemptId = Number(req.params.attemptId);
    const owner = Number.isSafeInteger(attemptId) && attemptId > 0 ? await deps.runtime.findAttemptOwner(attemptId) : null;
    const visible = owner && owner.courseId === course.id
      && (hasRole(req.user!, 'trainer', 'admin') || (owner.branchPath !== null && canSeeBranch(req.user!, owner.branchPath)));
    if (!visible) throw new NotFoundError('No such attempt in this course');
    const attempt = (await deps.runtime.findAttempt(attemptId))!;
    const tries = await deps.runtime.listTries(attemptId);
    return {
      course, learner: { employeeNo: owner.employeeNo, name: owner.name },
      attempt: {
        id: attempt.id, number: attempt.number, startedAt: attempt.startedAt, finishedAt: attempt.finishedAt,
        completionStatus: attempt.completionStatus, successStatus: attempt.successStatus, score: scoreOf(attempt.scoreScaled),
        triesCount: attempt.triesCount, launches: attempt.launchCount,
        learningTime: { scormSeconds: Math.round(attempt.totalSeconds), measuredSeconds: Math.round(attempt.measuredSeconds) },
      },
      tries: tries.map((t) => ({
        sco: t.scoIdentifier, tryNumber: t.tryNumber, recordedAt: t.recordedAt, completionStatus: t.completionStatus, successStatus: t.successStatus,
        scoreRaw: t.scoreRaw, score: scoreOf(t.scoreScaled), interactions: t.interactions,
      })),
    };
  };

  const attemptApi: RequestHandler = async (req, res) => {
    res.json(await attemptDetail(req));
  };

  const attemptPage: RequestHandler = async (req, res) => {
    const detail = await attemptDetail(req);
    res.render('scorm/attempt', { title: `${courseTitleFor(res.locals.courseTitlesEn, res.locals.locale, detail.course.code, detail.course.title)} · ${detail.learner.name} #${detail.attempt.number}`, ...detail });
  };

  return { attemptApi, attemptPage, learn, preview, commit, heartbeat, saveSequencing, previewCommit, attemptsApi, attemptsPage };
}
