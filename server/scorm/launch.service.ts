import crypto from 'node:crypto';
import type { CoursesStore, Course, CourseVersion, Sco } from '../courses/courses.repository.js';
import type { RuntimeStore, Attempt, ScoStateRow } from './runtime.repository.js';
import type { Principal } from '../auth/principal.js';
import { hashToken } from '../auth/api-tokens.repository.js';
import { buildLaunchState, type LaunchState } from './cmi/launch-values.js';
import type { CmiVersion } from './cmi/error-codes.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { hasRole } from '../auth/principal.js';
import { attemptAllowance } from '../certification/attempt-allowance.js';
import { sequencingModels } from './sequencing/sequencing-model.js';
import type { SequencingSettings } from './sequencing/sequencing-settings.types.js';
import { entryActivityOf, isChoiceRefused, type GlobalObjectiveEntry, type StoredSequencing } from './sequencing/sequencing-state.js';
import { carriedIntoNewAttempt, startsNewLearnerAttempt } from './sequencing/learner-attempt.js';

export const LAUNCH_TTL_MS = 12 * 3_600_000;

export interface TocEntry { identifier: string; title: string; completionStatus: string; successStatus: string; isCurrent: boolean; isChoiceRefused: boolean }

/** What the player's sequencing engine starts from (every SCORM 2004 package). */
export interface LaunchSequencing {
  settings: SequencingSettings;
  /** scorm-again's serialized state saved by the last page, with its LMS revision and choice map. */
  stored: StoredSequencing | null;
  /** The learner's global objectives shared with other courses. */
  globalObjectives: Record<string, GlobalObjectiveEntry>;
  /** Whether this SCO was asked for (a choice), rather than picked from the saved state. */
  isRequested: boolean;
  /** Items that launch an asset (no API calls expected; the player completes them when delivered). */
  assetIds: ReadonlySet<string>;
}

/** The sequencing rules forbid choosing this SCO now (disabled, hidden from choice, choice="false"). */
export class ChoiceRefusedError extends ForbiddenError {
  override name = 'ChoiceRefusedError';
  constructor(readonly course: Course) {
    super('This part of the course is not available yet');
  }
}

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
  sequencing: LaunchSequencing | null;
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
  private readonly sequencingModelOf = sequencingModels((versionId) => this.deps.courses.getManifest(versionId));

  constructor(private readonly deps: {
    courses: CoursesStore; runtime: RuntimeStore; now: () => Date;
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
      const allowance = attemptAllowance({
        attemptsLimit: course.attemptsLimit, retakesGranted: enrollment.retakesGranted, attempts: await runtime.listAttempts(enrollment.id),
        cycleStartedAt: (await this.deps.cycleStartedAt?.(principal.id, course.id)) ?? null,
      });
      if (allowance.isLocked) throw new AttemptsExhaustedError(course, allowance.used);
      // A new attempt takes the published version; a running one keeps the version it started on.
      attempt = await runtime.startAttempt(enrollment.id, course.publishedVersionId, principal.id);
    }
    const version = (await courses.findVersion(attempt.versionId))!;
    const scos = await courses.listScos(version.id);
    const states = new Map((await runtime.listStates(attempt.id)).map((s) => [s.scoId, s]));
    const sequencing = await this.sequencingOf(version.id, attempt.id, principal.id, scoIdentifier);
    if (scoIdentifier && sequencing && isChoiceRefused(sequencing.stored, scoIdentifier)) throw new ChoiceRefusedError(course);
    // A sequenced course resumes where its engine says; it delivers (or redirects) from there.
    const entry = sequencing?.stored ? entryActivityOf(sequencing.stored.state) : null;
    const sco = pickSco(scos, states, attempt.lastScoId, scoIdentifier ?? (scos.some((s) => s.identifier === entry) ? entry! : undefined));
    const stored = await this.preloadOf(attempt.id, sco, states.get(sco.id) ?? null, sequencing);
    const token = crypto.randomBytes(32).toString('base64url');
    await runtime.createLaunch({ attemptId: attempt.id, scoId: sco.id, userId: principal.id, tokenHash: hashToken(token), credit: 'credit',
      expiresAt: new Date(this.deps.now().getTime() + LAUNCH_TTL_MS).toISOString() });
    return this.view({ course, version, attempt, sco, scos, states, token, principal, stored, preview: false, sequencing });
  }

  /**
   * The stored state the SCO starts from. A sequenced SCO whose last session ended without
   * "suspend" begins a new learner attempt: it sees the data model's initial values, not the
   * last attempt's (the record keeps them), so objective and status values come only from the
   * activity's objective data at delivery (learner-attempt.ts).
   */
  private async preloadOf(attemptId: number, sco: Sco, stored: ScoStateRow | null, sequencing: LaunchSequencing | null): Promise<ScoStateRow | null> {
    if (!stored || !sequencing) return stored;
    const fresh = startsNewLearnerAttempt({
      storedExit: stored.exit, lastSessionEnded: await this.deps.runtime.lastSessionEnded(attemptId, sco.id),
      engine: sequencing.stored?.state ?? null, activityId: sco.identifier,
    });
    return fresh ? { ...stored, cmi: carriedIntoNewAttempt(stored.cmi), totalSeconds: 0 } : stored;
  }

  /** The sequencing start of a launch, or null for courses the LMS does not sequence. */
  private async sequencingOf(versionId: number, attemptId: number, userId: number, requested?: string): Promise<LaunchSequencing | null> {
    const model = await this.sequencingModelOf(versionId);
    if (!model) return null;
    const stored = await this.deps.runtime.findSequencing(attemptId);
    const globalObjectives = model.globalToSystem ? await this.deps.runtime.listGlobalObjectives(userId, model.readTargets) : {};
    return { settings: model.settings, stored, globalObjectives, isRequested: Boolean(requested), assetIds: model.assetIds };
  }

  /** A trainer's look at any version: browse mode, nothing recorded. */
  async preview(principal: Principal, versionId: number, scoIdentifier?: string): Promise<LaunchView> {
    if (!hasRole(principal, 'trainer')) throw new ForbiddenError('Only trainers preview courses');
    const version = await this.deps.courses.findVersion(versionId);
    NotFoundError.assertFound(version, 'Version not found');
    const course = (await this.deps.courses.findById(version.courseId))!;
    const scos = await this.deps.courses.listScos(version.id);
    const sco = pickSco(scos, new Map(), null, scoIdentifier);
    // Trainers browse every SCO freely: no sequencing in preview.
    return this.view({ course, version, attempt: null, sco, scos, states: new Map(), token: 'preview', principal, stored: null, preview: true, sequencing: null });
  }

  private view(input: {
    course: Course; version: CourseVersion; attempt: Attempt | null; sco: Sco; scos: Sco[]; states: Map<number, ScoStateRow>;
    token: string; principal: Principal; stored: ScoStateRow | null; preview: boolean; sequencing: LaunchSequencing | null;
  }): LaunchView {
    const { version, sco, scos, states, principal, stored } = input;
    const cmiVersion = cmiVersionOf(version);
    const state = buildLaunchState({
      version: cmiVersion,
      learner: { id: principal.employeeNo ?? principal.username, name: principal.name, language: principal.locale },
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
      course: input.course, version, attempt: input.attempt, sco, cmiVersion, token: input.token, state, preview: input.preview, sequencing: input.sequencing,
      toc: scos.map((s) => ({ identifier: s.identifier, title: s.title, completionStatus: states.get(s.id)?.completionStatus ?? 'not attempted',
        successStatus: states.get(s.id)?.successStatus ?? 'unknown', isCurrent: s.id === sco.id,
        isChoiceRefused: s.id !== sco.id && isChoiceRefused(input.sequencing?.stored ?? null, s.identifier) })),
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
