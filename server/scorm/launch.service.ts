import crypto from 'node:crypto';
import type { CoursesRepository, Course, CourseVersion, Sco } from '../courses/courses.repository.js';
import type { RuntimeRepository, Attempt, ScoStateRow } from './runtime.repository.js';
import type { Principal } from '../auth/principal.js';
import { hashToken } from '../auth/api-tokens.repository.js';
import { buildLaunchState, type LaunchState } from './cmi/launch-values.js';
import type { CmiVersion } from './cmi/error-codes.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { hasRole } from '../auth/principal.js';

export const LAUNCH_TTL_MS = 12 * 3_600_000;

export interface TocEntry { identifier: string; title: string; completionStatus: string; successStatus: string; isCurrent: boolean }

export interface LaunchView {
  course: Course;
  version: CourseVersion;
  attempt: Attempt | null;
  sco: Sco;
  cmiVersion: CmiVersion;
  token: string;
  state: LaunchState;
  toc: TocEntry[];
  previous: string | null;
  next: string | null;
  preview: boolean;
}

export class AttemptsExhaustedError extends ForbiddenError {
  override name = 'AttemptsExhaustedError';
  constructor(readonly course: Course, readonly used: number) {
    super('No attempts left for this course');
  }
}

export function cmiVersionOf(version: CourseVersion): CmiVersion {
  return version.scormVersion === '1.2' ? '1.2' : '2004';
}

/** Opens a course for a learner: enrollment, attempt, which SCO, and the state to preload. */
export class LaunchService {
  constructor(private readonly deps: {
    courses: CoursesRepository; runtime: RuntimeRepository; now: () => Date;
    /** When the current certification cycle began: attempts before it do not count against the limit. */
    cycleStartedAt?: (userId: number, courseId: number) => Promise<string | null>;
  }) {}

  async launch(principal: Principal, courseCode: string, scoIdentifier?: string): Promise<LaunchView> {
    const { courses, runtime } = this.deps;
    const course = await courses.findByCode(courseCode);
    if (!course || course.status !== 'published' || !course.publishedVersionId) throw new NotFoundError('Course not found');
    const enrollment = await runtime.ensureEnrollment(principal.id, course.id);
    let attempt = await runtime.latestAttempt(enrollment.id);
    if (!attempt || attempt.finishedAt) {
      const cycleStart = (await this.deps.cycleStartedAt?.(principal.id, course.id)) ?? '';
      const used = (await runtime.listAttempts(enrollment.id)).filter((a) => a.startedAt > cycleStart).length;
      if (course.attemptsLimit !== null && used >= course.attemptsLimit + enrollment.retakesGranted) throw new AttemptsExhaustedError(course, used);
      // A new attempt takes the published version; a running one keeps the version it started on.
      attempt = await runtime.startAttempt(enrollment.id, course.publishedVersionId, principal.id);
    }
    const version = (await courses.findVersion(attempt.versionId))!;
    const scos = await courses.listScos(version.id);
    const states = new Map((await runtime.listStates(attempt.id)).map((s) => [s.scoId, s]));
    const sco = pickSco(scos, states, attempt.lastScoId, scoIdentifier);
    const token = crypto.randomBytes(32).toString('base64url');
    await runtime.createLaunch({ attemptId: attempt.id, scoId: sco.id, userId: principal.id, tokenHash: hashToken(token), credit: 'credit',
      expiresAt: new Date(this.deps.now().getTime() + LAUNCH_TTL_MS).toISOString() });
    const stored = states.get(sco.id) ?? null;
    return this.view({ course, version, attempt, sco, scos, states, token, principal, stored, preview: false });
  }

  /** A trainer's look at any version: browse mode, nothing recorded. */
  async preview(principal: Principal, versionId: number, scoIdentifier?: string): Promise<LaunchView> {
    if (!hasRole(principal, 'trainer')) throw new ForbiddenError('Only trainers preview courses');
    const version = await this.deps.courses.findVersion(versionId);
    NotFoundError.assertFound(version, 'Version not found');
    const course = (await this.deps.courses.findById(version.courseId))!;
    const scos = await this.deps.courses.listScos(version.id);
    const sco = pickSco(scos, new Map(), null, scoIdentifier);
    return this.view({ course, version, attempt: null, sco, scos, states: new Map(), token: 'preview', principal, stored: null, preview: true });
  }

  private view(input: {
    course: Course; version: CourseVersion; attempt: Attempt | null; sco: Sco; scos: Sco[]; states: Map<number, ScoStateRow>;
    token: string; principal: Principal; stored: ScoStateRow | null; preview: boolean;
  }): LaunchView {
    const { version, sco, scos, states, principal, stored } = input;
    const cmiVersion = cmiVersionOf(version);
    const state = buildLaunchState({
      version: cmiVersion,
      learner: { id: principal.employeeNo ?? principal.username, name: principal.name },
      sco: {
        masteryScore: sco.masteryScore, scaledPassingScore: sco.scaledPassingScore, launchData: sco.launchData, maxTimeAllowed: sco.maxTimeAllowed,
        timeLimitAction: sco.timeLimitAction, completionThreshold: sco.completionThreshold,
        objectiveIds: sco.objectives.map((o) => o.id).filter(Boolean), dataIds: sco.dataMaps.map((d) => d.targetId),
      },
      stored: stored?.cmi ?? null,
      storedTotalSeconds: stored?.totalSeconds ?? 0,
      mode: input.preview ? 'browse' : 'normal',
    });
    const index = scos.findIndex((s) => s.id === sco.id);
    return {
      course: input.course, version, attempt: input.attempt, sco, cmiVersion, token: input.token, state, preview: input.preview,
      toc: scos.map((s) => ({ identifier: s.identifier, title: s.title, completionStatus: states.get(s.id)?.completionStatus ?? 'not attempted',
        successStatus: states.get(s.id)?.successStatus ?? 'unknown', isCurrent: s.id === sco.id })),
      previous: index > 0 ? scos[index - 1].identifier : null,
      next: index < scos.length - 1 ? scos[index + 1].identifier : null,
    };
  }
}

/** The requested SCO; else where the learner was, unless finished; else the first unfinished one. */
function pickSco(scos: Sco[], states: Map<number, ScoStateRow>, lastScoId: number | null, requested?: string): Sco {
  if (scos.length === 0) throw new NotFoundError('This version has no SCO to launch');
  if (requested) {
    const found = scos.find((s) => s.identifier === requested);
    NotFoundError.assertFound(found, 'No such SCO in this course');
    return found;
  }
  const done = (s: Sco) => states.get(s.id)?.completionStatus === 'completed';
  const last = scos.find((s) => s.id === lastScoId);
  if (last && !done(last)) return last;
  return scos.find((s) => !done(s)) ?? scos[0];
}
