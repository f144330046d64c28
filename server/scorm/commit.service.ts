import type { CoursesStore, Sco } from '../courses/courses.repository.js';
import type { RuntimeStore, CommitPlan, ScoStateSummary, Attempt } from './runtime.repository.js';
import type { Principal } from '../auth/principal.js';
import { hashToken } from '../auth/api-tokens.repository.js';
import { validateCommit, type RefusedElement } from './cmi/validate-commit.js';
import { mergeScoState } from './cmi/sco-state.js';
import { extractInteractions } from './cmi/interactions.js';
import { rollupAttempt } from './attempt-rollup.js';
import { cmiVersionOf } from './launch.service.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { isResultFromEngine, sequencingModels } from './sequencing/sequencing-model.js';
import { entryActivityOf, parseSequencingSave, pickGlobalObjectives, rootOutcomeOf } from './sequencing/sequencing-state.js';
import type { CmiVersion } from './cmi/error-codes.js';
import type { Logger } from '../logger.js';

export interface CommitAnswer { result: boolean; errorCode: number; refused?: RefusedElement[] }

const pickOutcome = ({ completionStatus, successStatus, scoreScaled }: Attempt) => ({ completionStatus, successStatus, scoreScaled });

/** SCORM "commit after termination" codes. */
const AFTER_TERMINATE: Record<CmiVersion, number> = { '1.2': 101, '2004': 143 };
/** SCORM general exception / general commit failure: the commit was not stored. */
const NOT_STORED: Record<CmiVersion, number> = { '1.2': 101, '2004': 391 };

/**
 * Highest sequence number accepted. The player counts one per commit from 1, so it never comes
 * near; a larger one would let "last + 1" (commits without seq) stop growing past 2^53 and every
 * later commit be taken for a replay.
 */
export const MAX_COMMIT_SEQ = 2 ** 31 - 1;

interface CommitEnvelope { seq: number | null; terminate: boolean }

/** The sequence number and terminate mark the player adds around scorm-again's body. */
function readEnvelope(body: unknown): { envelope: CommitEnvelope; scormBody: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { envelope: { seq: null, terminate: false }, scormBody: body };
  const { seq, terminate, ...scormBody } = body as Record<string, unknown>;
  if (seq !== undefined && seq !== null && !(Number.isInteger(seq) && (seq as number) >= 1 && (seq as number) <= MAX_COMMIT_SEQ)) {
    const message = `seq must be a whole number from 1 to ${MAX_COMMIT_SEQ}`;
    throw new ValidationError(message, [{ code: 'COMMIT_SEQ_INVALID', message, path: 'seq' }], 'COMMIT_SEQ_INVALID');
  }
  return { envelope: { seq: (seq as number | null | undefined) ?? null, terminate: terminate === true }, scormBody };
}

/**
 * One commit of one SCO launch: who (session user + launch token, never the body), validation,
 * merge with what is stored, the attempt rollup, and exactly-once application by sequence.
 */
export class CommitService {
  private readonly scoCache = new Map<number, Sco[]>();
  private readonly sequencingModelOf = sequencingModels((versionId) => this.deps.courses.getManifest(versionId));

  constructor(private readonly deps: {
    courses: CoursesStore; runtime: RuntimeStore; now: () => Date; logger: Logger;
    /** Runs after a commit changed an attempt (certification decides on certificates here). */
    onAttemptApplied?: (userId: number, courseId: number, attempt: Attempt) => Promise<unknown>;
  }) {}

  async commit(principal: Principal, token: string, body: unknown): Promise<CommitAnswer> {
    // Cached identity: terminate and sequence are checked inside applyCommit's transaction.
    const launch = await this.deps.runtime.findLaunchIdentity(hashToken(token));
    // Someone else's launch looks exactly like no launch at all.
    if (!launch || launch.userId !== principal.id || launch.expiresAt < this.deps.now().toISOString()) throw new NotFoundError('Launch not found');
    const version = cmiVersionOf({ scormVersion: launch.scormVersion } as Parameters<typeof cmiVersionOf>[0]);
    const scos = await this.scosOf(launch.versionId);
    const sco = scos.find((s) => s.id === launch.scoId)!;
    const { envelope, scormBody } = readEnvelope(body);
    let refused: RefusedElement[] = [];
    const outcome = await this.deps.runtime.applyCommit(launch, (stored, lastSeq): CommitPlan | { refused: unknown } => {
      const seq = envelope.seq ?? lastSeq + 1;
      const validation = validateCommit(version, scormBody, stored);
      refused = validation.refused;
      if (validation.accepted.size === 0 && refused.length > 0) return { refused };
      const merged = mergeScoState({
        version, previous: stored, accepted: validation.accepted, isTerminating: envelope.terminate,
        rules: { masteryScore: sco.masteryScore, scaledPassingScore: sco.scaledPassingScore, completionThreshold: sco.completionThreshold, credit: launch.credit },
      });
      // scorm-again sends every interaction in every commit: rewrite the rows only when one changed.
      const changesInteractions = [...validation.accepted.keys()].some((k) => k.startsWith('cmi.interactions.') && merged.state[k] !== stored?.[k]);
      const { completionStatus, successStatus, scoreRaw, scoreScaled, location, exit } = merged.summary;
      return {
        seq, terminate: envelope.terminate, state: merged.state,
        summary: { completionStatus, successStatus, scoreRaw, scoreScaled, location, exit },
        // Session time counts once per session: when the session ends.
        addSeconds: envelope.terminate ? merged.summary.sessionSeconds : 0,
        interactions: changesInteractions ? extractInteractions(version, merged.state) : null,
      };
    }, (states: ScoStateSummary[], before) => {
      // Sequenced 2004 courses take their result from the engine's root activity (saveSequencing).
      if (isResultFromEngine(launch.scormVersion, scos.length)) return { ...pickOutcome(before), finish: false };
      const outcome = rollupAttempt(scos.map((s) => ({ id: s.id, judgesSuccess: s.masteryScore !== null || s.scaledPassingScore !== null })),
        new Map(states.map((s) => [s.scoId, s])));
      const current = states.find((s) => s.scoId === sco.id);
      // The attempt ends when the course is complete and the learner left without suspending.
      const finish = envelope.terminate && outcome.completionStatus === 'completed' && current?.exit !== 'suspend';
      return { ...outcome, finish };
    });
    if (outcome.kind === 'applied') await this.afterAttemptApplied(principal.id, launch.courseId, outcome.attempt);
    if (outcome.kind === 'terminated') return { result: false, errorCode: AFTER_TERMINATE[version] };
    if (outcome.kind === 'refused' || refused.length > 0) return { result: false, errorCode: refused[0].errorCode, refused };
    // A replay of a numbered commit was stored the first time; a commit without a number never is a replay.
    if (outcome.kind === 'duplicate' && envelope.seq === null) {
      this.deps.logger.error({ launchId: launch.id }, '[scorm] a commit without seq was taken for a replay and not stored');
      return { result: false, errorCode: NOT_STORED[version] };
    }
    return { result: true, errorCode: 0 };
  }

  /**
   * The sequencing engine's state after a commit or a navigation of one launch (allowed after the
   * SCO terminated: navigation happens then). The root activity's rollup becomes the attempt's
   * result; the attempt ends when the learner left the course (exitAll) with the root completed.
   */
  async saveSequencing(principal: Principal, token: string, body: unknown): Promise<CommitAnswer> {
    const launch = await this.deps.runtime.findLaunch(hashToken(token));
    if (!launch || launch.userId !== principal.id || launch.expiresAt < this.deps.now().toISOString()) throw new NotFoundError('Launch not found');
    const model = await this.sequencingModelOf(launch.versionId);
    if (!model) throw new NotFoundError('This course is not sequenced');
    const save = parseSequencingSave(body);
    if (!save) throw new ValidationError('Sequencing state is not readable', [], 'SEQUENCING_STATE_INVALID');
    const globals = model.globalToSystem ? pickGlobalObjectives(save.state, model.writtenTargets) : {};
    const resultFromEngine = isResultFromEngine(launch.scormVersion, (await this.scosOf(launch.versionId)).length);
    const outcome = await this.deps.runtime.applySequencingState(launch, save, (before) => {
      if (before.finishedAt) return null;
      // One SCO: its commits decide the result; the engine state is kept for navigation and resume.
      if (!resultFromEngine) return null;
      const root = rootOutcomeOf(save.state, model.rootId);
      const sessionEnded = !entryActivityOf(save.state) && root.completionStatus !== 'not attempted';
      return { ...root, finish: sessionEnded && root.completionStatus === 'completed' };
    }, globals);
    if (outcome.kind === 'applied') await this.afterAttemptApplied(principal.id, launch.courseId, outcome.attempt);
    return { result: outcome.kind === 'applied', errorCode: 0 };
  }

  /**
   * The player's heartbeat while the course is visible: counts as learning-time activity of the
   * launch's attempt (authenticated like a commit: session user + launch token).
   */
  async heartbeat(principal: Principal, token: string): Promise<{ result: boolean; counted: boolean }> {
    const launch = await this.deps.runtime.findLaunchIdentity(hashToken(token));
    if (!launch || launch.userId !== principal.id || launch.expiresAt < this.deps.now().toISOString()) throw new NotFoundError('Launch not found');
    const outcome = await this.deps.runtime.recordHeartbeat(launch);
    return { result: outcome !== 'terminated', counted: outcome === 'counted' };
  }

  /** Preview launches validate like real ones but store nothing. */
  previewCommit(cmiVersion: CmiVersion, body: unknown): CommitAnswer {
    const { refused } = validateCommit(cmiVersion, readEnvelope(body).scormBody, null);
    return refused.length ? { result: false, errorCode: refused[0].errorCode, refused } : { result: true, errorCode: 0 };
  }

  /**
   * The commit is stored whatever happens here: a failure is logged, not answered as one (the
   * player would only resend a commit that changes nothing), and the daily certificate reconcile
   * decides on the attempt again.
   */
  private async afterAttemptApplied(userId: number, courseId: number, attempt: Attempt): Promise<void> {
    try {
      await this.deps.onAttemptApplied?.(userId, courseId, attempt);
    } catch (error) {
      this.deps.logger.error({ err: error, userId, courseId, attemptId: attempt.id }, '[certification] deciding on a certificate failed; the daily reconcile retries');
    }
  }

  private async scosOf(versionId: number): Promise<Sco[]> {
    let scos = this.scoCache.get(versionId);
    if (!scos) {
      scos = await this.deps.courses.listScos(versionId);
      if (this.scoCache.size > 500) this.scoCache.clear();
      this.scoCache.set(versionId, scos);
    }
    return scos;
  }
}
