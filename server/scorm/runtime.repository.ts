import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { GroupCommit } from '../db/group-commit.js';
import { ParsedStateCache, stateVersion } from './parsed-state-cache.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { CompletionStatus, SuccessStatus } from './cmi/status-rules.js';
import type { InteractionRecord } from './cmi/interactions.js';
import type { ScormVersion } from '../courses/manifest/manifest.types.js';
import { mergeGlobalObjective, readStoredSequencing, type GlobalObjectiveEntry, type StoredSequencing } from './sequencing/sequencing-state.js';
import { creditActivity, isActivityDue } from './learning-time.js';
import { isResultChange, tryNumberOf, type ResultSnapshot } from './tries.js';

export interface Enrollment { id: number; userId: number; courseId: number; dueAt: string | null; assignedAt: string; source: string; retakesGranted: number }
export interface Attempt {
  id: number; enrollmentId: number; versionId: number; number: number; startedAt: string; finishedAt: string | null;
  /** When it first became complete (certificates are dated from it). */
  completedAt: string | null;
  completionStatus: CompletionStatus; successStatus: SuccessStatus; scoreScaled: number | null; totalSeconds: number; lastScoId: number | null;
  /** The highest try number of any SCO (0: the package never reported a score or a decision). */
  triesCount: number;
  /** Learning time measured by the LMS (launches, commits, heartbeats; idle gaps cut), beside SCORM's totalSeconds. */
  measuredSeconds: number; lastActivityAt: string | null; launchCount: number;
}
/** One recorded change of a SCO's score or success status. */
export interface AttemptTry {
  id: number; attemptId: number; scoId: number; scoIdentifier: string; tryNumber: number; completionStatus: string; successStatus: string;
  scoreRaw: number | null; scoreScaled: number | null; recordedAt: string;
  interactions: Array<{ id: string; type: string | null; response: string | null; correct: string | null; result: string | null; latency: string | null; at: string }>;
}
export interface ScoStateRow {
  scoId: number; cmi: Record<string, string>; completionStatus: CompletionStatus; successStatus: SuccessStatus;
  scoreRaw: number | null; scoreScaled: number | null; location: string | null; exit: string | null; totalSeconds: number; updatedAt: string;
}
/** A SCO state without its CMI data: what the attempt rollup reads, with no JSON to parse. */
export type ScoStateSummary = Omit<ScoStateRow, 'cmi'>;
export interface LaunchSession {
  id: number; attemptId: number; scoId: number; userId: number; credit: 'credit' | 'no-credit'; expiresAt: string;
  terminatedAt: string | null; lastSeq: number; scormVersion: ScormVersion; versionId: number; courseId: number;
}
/** The parts of a launch that never change once it exists (no terminate or sequence marks): cacheable. */
export type LaunchIdentity = Omit<LaunchSession, 'terminatedAt' | 'lastSeq'>;

/** Launch identities kept in memory; a learner's launch is looked up on every commit. */
export const IDENTITY_CACHE_LIMIT = 10_000;

/** A launch row as both dialects select it (launch_sessions joined to its attempt's version). */
export interface LaunchRow {
  id: number; attempt_id: number; sco_id: number; user_id: number; credit: 'credit' | 'no-credit'; expires_at: string; terminated_at: string | null;
  last_seq: number; scorm_version: ScormVersion; version_id: number; course_id: number;
}

export function toLaunchSession(row: LaunchRow | undefined): LaunchSession | null {
  if (!row) return null;
  return {
    id: row.id, attemptId: row.attempt_id, scoId: row.sco_id, userId: row.user_id, credit: row.credit, expiresAt: row.expires_at,
    terminatedAt: row.terminated_at, lastSeq: row.last_seq, scormVersion: row.scorm_version, versionId: row.version_id, courseId: row.course_id,
  };
}

/** Launch identities by token hash (they never change), up to IDENTITY_CACHE_LIMIT, per process. */
export class LaunchIdentityCache {
  private readonly identities = new Map<string, LaunchIdentity>();

  async get(tokenHash: string, find: () => Promise<LaunchSession | null>): Promise<LaunchIdentity | null> {
    const cached = this.identities.get(tokenHash);
    if (cached) return cached;
    const launch = await find();
    if (!launch) return null;
    const identity: LaunchIdentity = Object.freeze({
      id: launch.id, attemptId: launch.attemptId, scoId: launch.scoId, userId: launch.userId, credit: launch.credit, expiresAt: launch.expiresAt,
      scormVersion: launch.scormVersion, versionId: launch.versionId, courseId: launch.courseId,
    });
    if (this.identities.size >= IDENTITY_CACHE_LIMIT) this.identities.clear();
    this.identities.set(tokenHash, identity);
    return identity;
  }
}

/** What the commit service decided, for the repository to write in one transaction. */
export interface CommitPlan {
  seq: number;
  terminate: boolean;
  state: Record<string, string>;
  summary: { completionStatus: CompletionStatus; successStatus: SuccessStatus; scoreRaw: number | null; scoreScaled: number | null; location: string | null; exit: string | null };
  addSeconds: number;
  interactions: InteractionRecord[] | null;
}

export type CommitOutcome =
  | { kind: 'applied'; attempt: Attempt }
  | { kind: 'duplicate' }
  | { kind: 'terminated' }
  | { kind: 'refused'; result: unknown };

export interface AttemptRow {
  id: number; enrollment_id: number; version_id: number; number: number; started_at: string; finished_at: string | null; completed_at: string | null;
  completion_status: CompletionStatus; success_status: SuccessStatus; score_scaled: number | null; total_seconds: number; last_sco_id: number | null;
  tries_count: number; measured_seconds: number; last_activity_at: string | null; launch_count: number;
}
export interface TryRow {
  id: number; attempt_id: number; sco_id: number; sco_identifier: string; try_number: number; completion_status: string; success_status: string;
  score_raw: number | null; score_scaled: number | null; interactions_json: string; recorded_at: string;
}
export interface StateRow {
  sco_id: number; cmi_json: string; completion_status: CompletionStatus; success_status: SuccessStatus; score_raw: number | null;
  score_scaled: number | null; location: string | null; exit: string | null; total_seconds: number; updated_at: string;
}

export class RuntimeRepository {
  private readonly stmts;
  private readonly identities = new LaunchIdentityCache();
  private readonly parsedStates = new ParsedStateCache();

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date; groupCommit: GroupCommit }) {
    const { db } = deps;
    this.stmts = {
      enrollment: db.prepare('SELECT * FROM enrollments WHERE user_id = ? AND course_id = ?'),
      insertEnrollment: db.prepare(`INSERT INTO enrollments (user_id, course_id, assigned_at, source) VALUES (?, ?, ?, 'self')
        ON CONFLICT (user_id, course_id) DO NOTHING`),
      latestAttempt: db.prepare('SELECT * FROM attempts WHERE enrollment_id = ? ORDER BY number DESC LIMIT 1'),
      attempts: db.prepare('SELECT * FROM attempts WHERE enrollment_id = ? ORDER BY number'),
      attemptById: db.prepare('SELECT * FROM attempts WHERE id = ?'),
      insertAttempt: db.prepare(`INSERT INTO attempts (enrollment_id, version_id, number, started_at)
        VALUES (@enrollmentId, @versionId, (SELECT COALESCE(MAX(number), 0) + 1 FROM attempts WHERE enrollment_id = @enrollmentId), @now)`),
      states: db.prepare('SELECT * FROM sco_states WHERE attempt_id = ?'),
      stateSummaries: db.prepare(`SELECT sco_id, completion_status, success_status, score_raw, score_scaled, location, exit, total_seconds, updated_at
        FROM sco_states WHERE attempt_id = ?`),
      state: db.prepare('SELECT * FROM sco_states WHERE attempt_id = ? AND sco_id = ?'),
      stateJson: db.prepare('SELECT cmi_json FROM sco_states WHERE attempt_id = ? AND sco_id = ?').pluck(),
      insertLaunch: db.prepare(`INSERT INTO launch_sessions (attempt_id, sco_id, user_id, token_hash, credit, created_at, expires_at)
        VALUES (@attemptId, @scoId, @userId, @tokenHash, @credit, @now, @expiresAt)`),
      setLastSco: db.prepare('UPDATE attempts SET last_sco_id = ? WHERE id = ?'),
      lastLaunchEnded: db.prepare(`SELECT terminated_at IS NOT NULL FROM launch_sessions WHERE attempt_id = ? AND sco_id = ?
        ORDER BY id DESC LIMIT 1`).pluck(),
      launchByToken: db.prepare(`SELECT l.id, l.attempt_id, l.sco_id, l.user_id, l.credit, l.expires_at, l.terminated_at, l.last_seq,
        v.scorm_version, v.id AS version_id, v.course_id FROM launch_sessions l JOIN attempts a ON a.id = l.attempt_id
        JOIN course_versions v ON v.id = a.version_id WHERE l.token_hash = ?`),
      // What a commit reads first, in one statement: the launch's marks, the stored CMI state's version, the attempt.
      commitStart: db.prepare(`SELECT l.last_seq, l.terminated_at, s.commit_seq AS state_seq, s.updated_at AS state_updated_at,
        s.success_status AS state_success, s.score_raw AS state_raw, s.score_scaled AS state_scaled, a.id, a.enrollment_id, a.version_id, a.number, a.started_at,
        a.finished_at, a.completed_at, a.completion_status, a.success_status, a.score_scaled, a.total_seconds, a.last_sco_id,
        a.tries_count, a.measured_seconds, a.last_activity_at, a.launch_count
        FROM launch_sessions l JOIN attempts a ON a.id = l.attempt_id
        LEFT JOIN sco_states s ON s.attempt_id = l.attempt_id AND s.sco_id = l.sco_id WHERE l.id = ?`),
      upsertState: db.prepare(`INSERT INTO sco_states (attempt_id, sco_id, cmi_json, completion_status, success_status, score_raw, score_scaled,
        location, exit, total_seconds, commit_seq, updated_at) VALUES (@attemptId, @scoId, @cmiJson, @completionStatus, @successStatus,
        @scoreRaw, @scoreScaled, @location, @exit, @addSeconds, @seq, @now)
        ON CONFLICT (attempt_id, sco_id) DO UPDATE SET cmi_json = excluded.cmi_json, completion_status = excluded.completion_status,
        success_status = excluded.success_status, score_raw = excluded.score_raw, score_scaled = excluded.score_scaled,
        location = excluded.location, exit = excluded.exit, total_seconds = sco_states.total_seconds + @addSeconds,
        commit_seq = sco_states.commit_seq + 1, updated_at = excluded.updated_at`),
      markLaunch: db.prepare('UPDATE launch_sessions SET last_seq = @seq, terminated_at = CASE WHEN @terminate THEN @now ELSE terminated_at END WHERE id = @id'),
      deleteInteractions: db.prepare('DELETE FROM interactions WHERE attempt_id = ? AND sco_id = ?'),
      insertInteraction: db.prepare(`INSERT INTO interactions (attempt_id, sco_id, idx, interaction_id, type, response, correct_response, result, latency, recorded_at)
        VALUES (@attemptId, @scoId, @idx, @interactionId, @type, @learnerResponse, @correctResponse, @result, @latency, @recordedAt)`),
      updateAttempt: db.prepare(`UPDATE attempts SET completion_status = @completionStatus, success_status = @successStatus, score_scaled = @scoreScaled,
        total_seconds = (SELECT COALESCE(SUM(total_seconds), 0) FROM sco_states WHERE attempt_id = @id),
        finished_at = CASE WHEN @finish AND finished_at IS NULL THEN @now ELSE finished_at END,
        completed_at = CASE WHEN @completionStatus = 'completed' THEN COALESCE(completed_at, @now) ELSE completed_at END WHERE id = @id`),
      // Tries: the SCO's last recorded change, a new one with the interactions as they stand, the attempt's count.
      lastTry: db.prepare(`SELECT try_number, success_status, score_raw, score_scaled FROM attempt_tries
        WHERE attempt_id = ? AND sco_id = ? ORDER BY id DESC LIMIT 1`),
      insertTry: db.prepare(`INSERT INTO attempt_tries (attempt_id, sco_id, try_number, completion_status, success_status, score_raw, score_scaled,
        interactions_json, recorded_at) VALUES (@attemptId, @scoId, @tryNumber, @completionStatus, @successStatus, @scoreRaw, @scoreScaled,
        (SELECT json_group_array(json_object('id', interaction_id, 'type', type, 'response', response, 'correct', correct_response,
          'result', result, 'latency', latency, 'at', recorded_at)) FROM (SELECT * FROM interactions WHERE attempt_id = @attemptId AND sco_id = @scoId ORDER BY idx)),
        @now)`),
      raiseTries: db.prepare('UPDATE attempts SET tries_count = max(tries_count, ?) WHERE id = ?'),
      triesOf: db.prepare(`SELECT t.*, s.identifier AS sco_identifier FROM attempt_tries t JOIN scos s ON s.id = t.sco_id
        WHERE t.attempt_id = ? ORDER BY t.id`),
      // Measured learning time: one row per attempt, kept up to date by each counted signal.
      activityOf: db.prepare(`SELECT a.last_activity_at, l.terminated_at FROM launch_sessions l JOIN attempts a ON a.id = l.attempt_id WHERE l.id = ?`),
      creditActivity: db.prepare(`UPDATE attempts SET measured_seconds = measured_seconds + @addSeconds, last_activity_at = @lastActivityAt,
        launch_count = launch_count + @launches WHERE id = @id`),
      lastActivityOfAttempt: db.prepare('SELECT last_activity_at FROM attempts WHERE id = ?').pluck(),
      attemptOwner: db.prepare(`SELECT e.user_id, e.course_id, u.employee_no, u.name, b.path AS branch_path FROM attempts a
        JOIN enrollments e ON e.id = a.enrollment_id JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id WHERE a.id = ?`),
      // SCORM 2004 sequencing: the engine state per attempt, global objectives per learner.
      sequencingOf: db.prepare('SELECT sequencing_json FROM attempts WHERE id = ?'),
      saveSequencing: db.prepare('UPDATE attempts SET sequencing_json = ? WHERE id = ?'),
      globalObjective: db.prepare('SELECT data_json FROM global_objectives WHERE user_id = ? AND objective_id = ?'),
      upsertGlobalObjective: db.prepare(`INSERT INTO global_objectives (user_id, objective_id, data_json, updated_at) VALUES (@userId, @objectiveId, @dataJson, @now)
        ON CONFLICT (user_id, objective_id) DO UPDATE SET data_json = excluded.data_json, updated_at = excluded.updated_at`),
      globalObjectivesOfUser: db.prepare('SELECT objective_id, data_json FROM global_objectives WHERE user_id = ?'),
      attemptsForCourse: db.prepare(`SELECT a.id, u.employee_no, u.name, u.branch_id, b.path AS branch_path, a.number, a.completion_status, a.success_status,
        a.score_scaled, a.total_seconds, a.measured_seconds, a.tries_count, a.launch_count, a.started_at, a.finished_at FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
        JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id WHERE e.course_id = ? ORDER BY u.employee_no, a.number`),
    };
  }

  async findEnrollment(userId: number, courseId: number): Promise<Enrollment | null> {
    return toEnrollment(this.stmts.enrollment.get(userId, courseId) as EnrollmentRow | undefined);
  }

  /** The learner's enrollment in a course, created on first launch (self-enrolment). */
  async ensureEnrollment(userId: number, courseId: number): Promise<Enrollment> {
    // Nearly every launch finds one: read first, so a launch writes (and syncs) only what is new.
    const existing = await this.findEnrollment(userId, courseId);
    if (existing) return existing;
    this.stmts.insertEnrollment.run(userId, courseId, this.deps.now().toISOString());
    return (await this.findEnrollment(userId, courseId))!;
  }

  async latestAttempt(enrollmentId: number): Promise<Attempt | null> {
    return toAttempt(this.stmts.latestAttempt.get(enrollmentId) as AttemptRow | undefined);
  }

  async findAttempt(attemptId: number): Promise<Attempt | null> {
    return toAttempt(this.stmts.attemptById.get(attemptId) as AttemptRow | undefined);
  }

  async listAttempts(enrollmentId: number): Promise<Attempt[]> {
    return (this.stmts.attempts.all(enrollmentId) as AttemptRow[]).map((r) => toAttempt(r)!);
  }

  async startAttempt(enrollmentId: number, versionId: number, actorId: number): Promise<Attempt> {
    const { db, audit, now } = this.deps;
    const id = db.transaction(() => {
      const info = this.stmts.insertAttempt.run({ enrollmentId, versionId, now: now().toISOString() });
      const attemptId = Number(info.lastInsertRowid);
      audit.appendInTransaction({ actorId, action: 'attempt.start', subject: `attempt:${attemptId}`, details: { enrollmentId, versionId } });
      return attemptId;
    }).immediate();
    return toAttempt(this.stmts.attemptById.get(id) as AttemptRow)!;
  }

  async listStates(attemptId: number): Promise<ScoStateRow[]> {
    return (this.stmts.states.all(attemptId) as StateRow[]).map(toState);
  }

  async findState(attemptId: number, scoId: number): Promise<ScoStateRow | null> {
    const row = this.stmts.state.get(attemptId, scoId) as StateRow | undefined;
    return row ? toState(row) : null;
  }

  /** Whether the SCO's latest session in the attempt ended with Terminate / LMSFinish (null: never launched). */
  async lastSessionEnded(attemptId: number, scoId: number): Promise<boolean | null> {
    const ended = this.stmts.lastLaunchEnded.get(attemptId, scoId) as number | undefined;
    return ended === undefined ? null : ended === 1;
  }

  /**
   * In the next group transaction (GroupCommit): learners opening courses together, and the
   * commits landing meanwhile, share one fsync instead of paying one each (issue 14). Resolves once
   * durable, so the token is never handed out before its row is on disk.
   */
  async createLaunch(input: { attemptId: number; scoId: number; userId: number; tokenHash: string; credit: 'credit' | 'no-credit'; expiresAt: string }): Promise<void> {
    const at = this.deps.now();
    const now = at.toISOString();
    await this.deps.groupCommit.run(() => {
      this.stmts.insertLaunch.run({ ...input, now });
      this.stmts.setLastSco.run(input.scoId, input.attemptId);
      // A launch is a signal of learning time, and counted as one.
      const credit = creditActivity(this.stmts.lastActivityOfAttempt.get(input.attemptId) as string | null, at);
      this.stmts.creditActivity.run({ id: input.attemptId, ...credit, launches: 1 });
    });
  }

  /**
   * A heartbeat of a live launch (the player page is visible): counts the time since the attempt's
   * last signal unless idle. A terminated launch counts nothing. Signals closer than
   * ACTIVITY_WRITE_MIN_SECONDS are not written (the next one counts the whole gap).
   */
  async recordHeartbeat(launch: LaunchIdentity): Promise<'counted' | 'skipped' | 'terminated'> {
    const at = this.deps.now();
    const peek = this.stmts.activityOf.get(launch.id) as { last_activity_at: string | null; terminated_at: string | null };
    if (peek.terminated_at) return 'terminated';
    if (!isActivityDue(peek.last_activity_at, at)) return 'skipped';
    return this.deps.groupCommit.run(() => {
      const current = this.stmts.activityOf.get(launch.id) as { last_activity_at: string | null; terminated_at: string | null };
      if (current.terminated_at) return 'terminated' as const;
      this.stmts.creditActivity.run({ id: launch.attemptId, ...creditActivity(current.last_activity_at, at), launches: 0 });
      return 'counted' as const;
    });
  }

  /** Whose attempt this is, in which course (for scope checks and headings). */
  async findAttemptOwner(attemptId: number): Promise<{ userId: number; courseId: number; employeeNo: string | null; name: string; branchPath: string | null } | null> {
    const row = this.stmts.attemptOwner.get(attemptId) as { user_id: number; course_id: number; employee_no: string | null; name: string; branch_path: string | null } | undefined;
    return row ? { userId: row.user_id, courseId: row.course_id, employeeNo: row.employee_no, name: row.name, branchPath: row.branch_path } : null;
  }

  /** Every recorded change of score or success status of an attempt, oldest first. */
  async listTries(attemptId: number): Promise<AttemptTry[]> {
    return (this.stmts.triesOf.all(attemptId) as TryRow[]).map(toTry);
  }

  async findLaunch(tokenHash: string): Promise<LaunchSession | null> {
    return toLaunchSession(this.stmts.launchByToken.get(tokenHash) as LaunchRow | undefined);
  }

  /**
   * findLaunch without the mutable marks, cached by token hash: nothing ever changes these columns,
   * and applyCommit reads terminate and sequence inside its transaction.
   */
  async findLaunchIdentity(tokenHash: string): Promise<LaunchIdentity | null> {
    return this.identities.get(tokenHash, () => this.findLaunch(tokenHash));
  }

  /**
   * Applies one commit atomically, in its own savepoint of the next group transaction (GroupCommit:
   * learners committing together share the fsync). Inside it (so two commits of one launch can't
   * interleave) it re-reads the sequence and terminate marks, hands the stored state to `decide`
   * (pure rules from the service), writes the SCO state, its interactions and the attempt rollup.
   */
  async applyCommit(
    launch: LaunchIdentity,
    decide: (stored: Readonly<Record<string, string>> | null, lastSeq: number) => CommitPlan | { refused: unknown },
    rollup: (states: ScoStateSummary[], before: Attempt) => { completionStatus: CompletionStatus; successStatus: SuccessStatus; scoreScaled: number | null; finish: boolean },
  ): Promise<CommitOutcome> {
    const { audit, now, groupCommit } = this.deps;
    let written = null as { version: string; state: Record<string, string> } | null; // set inside the unit
    const result = await groupCommit.run((): CommitOutcome => {
      const current = this.stmts.commitStart.get(launch.id) as AttemptRow & {
        last_seq: number; terminated_at: string | null; state_seq: number | null; state_updated_at: string | null;
        state_success: SuccessStatus | null; state_raw: number | null; state_scaled: number | null;
      };
      if (current.terminated_at) return { kind: 'terminated' };
      // Neither the state upsert nor the launch mark below touches the attempt row: this is it before the commit.
      const before = toAttempt(current)!;
      const stored = current.state_seq === null ? null : this.storedState(launch, stateVersion(current.state_seq, current.state_updated_at!));
      const plan = decide(stored, current.last_seq);
      if ('refused' in plan) return { kind: 'refused', result: plan.refused };
      if (plan.seq <= current.last_seq) return { kind: 'duplicate' };
      const atDate = now();
      const at = atDate.toISOString();
      this.stmts.upsertState.run({
        attemptId: launch.attemptId, scoId: launch.scoId, cmiJson: JSON.stringify(plan.state), ...plan.summary,
        addSeconds: plan.addSeconds, seq: 1, now: at,
      });
      written = { version: stateVersion((current.state_seq ?? 0) + 1, at), state: plan.state };
      if (plan.interactions) {
        this.stmts.deleteInteractions.run(launch.attemptId, launch.scoId);
        for (const i of plan.interactions) {
          this.stmts.insertInteraction.run({ attemptId: launch.attemptId, scoId: launch.scoId, ...i, recordedAt: i.recordedAt ?? at });
        }
      }
      this.stmts.markLaunch.run({ id: launch.id, seq: plan.seq, terminate: plan.terminate ? 1 : 0, now: at });
      this.recordTry(launch, current.state_success === null ? null : { successStatus: current.state_success, scoreRaw: current.state_raw, scoreScaled: current.state_scaled },
        plan.summary, at);
      if (isActivityDue(before.lastActivityAt, atDate)) {
        this.stmts.creditActivity.run({ id: launch.attemptId, ...creditActivity(before.lastActivityAt, atDate), launches: 0 });
      }
      const outcome = rollup((this.stmts.stateSummaries.all(launch.attemptId) as Array<Omit<StateRow, 'cmi_json'>>).map(toStateSummary), before);
      // Most commits change nothing at the attempt level: skip a write that would rewrite the same row.
      const attemptChanges = plan.addSeconds !== 0 || (outcome.finish && !before.finishedAt) || before.completionStatus !== outcome.completionStatus
        || before.successStatus !== outcome.successStatus || before.scoreScaled !== outcome.scoreScaled;
      if (attemptChanges) {
        this.stmts.updateAttempt.run({ id: launch.attemptId, completionStatus: outcome.completionStatus, successStatus: outcome.successStatus,
          scoreScaled: outcome.scoreScaled, finish: outcome.finish ? 1 : 0, now: at });
      }
      const after = attemptChanges ? toAttempt(this.stmts.attemptById.get(launch.attemptId) as AttemptRow)! : before;
      if (before.completionStatus !== after.completionStatus || before.successStatus !== after.successStatus || before.scoreScaled !== after.scoreScaled || (!before.finishedAt && after.finishedAt)) {
        audit.appendInTransaction({ actorId: launch.userId, action: 'attempt.result', subject: `attempt:${after.id}`,
          details: { completionStatus: after.completionStatus, successStatus: after.successStatus, scoreScaled: after.scoreScaled, finished: Boolean(after.finishedAt) } });
      }
      return { kind: 'applied', attempt: after };
    });
    // Durable now: the next commit of this SCO may start from the state as written.
    if (result.kind === 'applied' && written) this.parsedStates.set(launch.attemptId, launch.scoId, written.version, written.state);
    return result;
  }

  /** Keeps a change of the SCO's score or success status as a try (inside applyCommit's unit). */
  private recordTry(launch: LaunchIdentity, before: ResultSnapshot | null, after: CommitPlan['summary'], at: string): void {
    if (!isResultChange(before, after)) return;
    const last = this.stmts.lastTry.get(launch.attemptId, launch.scoId) as { try_number: number; success_status: SuccessStatus; score_raw: number | null; score_scaled: number | null } | undefined;
    const tryNumber = tryNumberOf(last ? { tryNumber: last.try_number, successStatus: last.success_status, scoreRaw: last.score_raw, scoreScaled: last.score_scaled } : null, after);
    const info = this.stmts.insertTry.run({ attemptId: launch.attemptId, scoId: launch.scoId, tryNumber, completionStatus: after.completionStatus,
      successStatus: after.successStatus, scoreRaw: after.scoreRaw, scoreScaled: after.scoreScaled, now: at });
    this.stmts.raiseTries.run(tryNumber, launch.attemptId);
    // Each try is a record change: its own place in the audit chain (the evidence file cites it).
    this.deps.audit.appendInTransaction({ actorId: launch.userId, action: 'attempt.try', subject: `attempt-try:${Number(info.lastInsertRowid)}`,
      details: { attemptId: launch.attemptId, scoId: launch.scoId, tryNumber, successStatus: after.successStatus, scoreRaw: after.scoreRaw, scoreScaled: after.scoreScaled } });
  }

  private storedState(launch: LaunchIdentity, version: string): Readonly<Record<string, string>> {
    return this.parsedStates.get(launch.attemptId, launch.scoId, version)
      ?? JSON.parse(this.stmts.stateJson.get(launch.attemptId, launch.scoId) as string) as Record<string, string>;
  }

  /** The attempt's stored sequencing state (scorm-again's, with the LMS revision), or null. */
  async findSequencing(attemptId: number): Promise<StoredSequencing | null> {
    const row = this.stmts.sequencingOf.get(attemptId) as { sequencing_json: string | null } | undefined;
    return readStoredSequencing(row?.sequencing_json ?? null);
  }

  /** The learner's system-wide global objectives among `ids`, as scorm-again map entries. */
  async listGlobalObjectives(userId: number, ids: ReadonlySet<string>): Promise<Record<string, GlobalObjectiveEntry>> {
    const out: Record<string, GlobalObjectiveEntry> = {};
    if (ids.size === 0) return out;
    for (const row of this.stmts.globalObjectivesOfUser.all(userId) as Array<{ objective_id: string; data_json: string }>) {
      if (ids.has(row.objective_id)) out[row.objective_id] = JSON.parse(row.data_json) as GlobalObjectiveEntry;
    }
    return out;
  }

  /**
   * Stores a newer sequencing state for the launch's attempt and, in the same transaction, the
   * course result `decide` derives from it and the system-wide global objectives the course wrote
   * (merged with what other courses recorded). An older or equal revision changes nothing.
   */
  async applySequencingState(
    launch: LaunchSession,
    save: StoredSequencing,
    decide: (before: Attempt) => { completionStatus: CompletionStatus; successStatus: SuccessStatus; scoreScaled: number | null; finish: boolean } | null,
    globals: Record<string, GlobalObjectiveEntry>,
  ): Promise<{ kind: 'applied'; attempt: Attempt } | { kind: 'stale' }> {
    const { db, audit, now } = this.deps;
    return db.transaction(() => {
      const row = this.stmts.sequencingOf.get(launch.attemptId) as { sequencing_json: string | null };
      const stored = readStoredSequencing(row.sequencing_json);
      if (stored && save.rev <= stored.rev) return { kind: 'stale' as const };
      const at = now().toISOString();
      this.stmts.saveSequencing.run(JSON.stringify(save), launch.attemptId);
      for (const [objectiveId, entry] of Object.entries(globals)) {
        const previous = this.stmts.globalObjective.get(launch.userId, objectiveId) as { data_json: string } | undefined;
        const merged = mergeGlobalObjective(previous ? (JSON.parse(previous.data_json) as GlobalObjectiveEntry) : null, entry);
        this.stmts.upsertGlobalObjective.run({ userId: launch.userId, objectiveId, dataJson: JSON.stringify(merged), now: at });
      }
      const before = toAttempt(this.stmts.attemptById.get(launch.attemptId) as AttemptRow)!;
      const outcome = decide(before);
      if (!outcome) return { kind: 'applied' as const, attempt: before };
      const changes = before.completionStatus !== outcome.completionStatus || before.successStatus !== outcome.successStatus
        || before.scoreScaled !== outcome.scoreScaled || (outcome.finish && !before.finishedAt);
      if (!changes) return { kind: 'applied' as const, attempt: before };
      this.stmts.updateAttempt.run({ id: launch.attemptId, completionStatus: outcome.completionStatus, successStatus: outcome.successStatus,
        scoreScaled: outcome.scoreScaled, finish: outcome.finish ? 1 : 0, now: at });
      const after = toAttempt(this.stmts.attemptById.get(launch.attemptId) as AttemptRow)!;
      audit.appendInTransaction({ actorId: launch.userId, action: 'attempt.result', subject: `attempt:${after.id}`,
        details: { completionStatus: after.completionStatus, successStatus: after.successStatus, scoreScaled: after.scoreScaled,
          finished: Boolean(after.finishedAt), source: 'sequencing' } });
      return { kind: 'applied' as const, attempt: after };
    }).immediate();
  }

  async listCourseAttempts(courseId: number) {
    return this.stmts.attemptsForCourse.all(courseId) as Array<{
      id: number; employee_no: string | null; name: string; branch_id: number | null; branch_path: string | null; number: number; completion_status: string;
      success_status: string; score_scaled: number | null; total_seconds: number; measured_seconds: number; tries_count: number; launch_count: number;
      started_at: string; finished_at: string | null;
    }>;
  }
}

export interface EnrollmentRow { id: number; user_id: number; course_id: number; due_at: string | null; assigned_at: string; source: string; retakes_granted: number }

export function toEnrollment(row: EnrollmentRow | undefined): Enrollment | null {
  if (!row) return null;
  return { id: row.id, userId: row.user_id, courseId: row.course_id, dueAt: row.due_at, assignedAt: row.assigned_at, source: row.source, retakesGranted: row.retakes_granted };
}

export function toAttempt(row: AttemptRow | undefined): Attempt | null {
  if (!row) return null;
  return {
    id: row.id, enrollmentId: row.enrollment_id, versionId: row.version_id, number: row.number, startedAt: row.started_at, finishedAt: row.finished_at,
    completedAt: row.completed_at,
    completionStatus: row.completion_status, successStatus: row.success_status, scoreScaled: row.score_scaled, totalSeconds: row.total_seconds, lastScoId: row.last_sco_id,
    triesCount: row.tries_count, measuredSeconds: row.measured_seconds, lastActivityAt: row.last_activity_at, launchCount: row.launch_count,
  };
}

export function toTry(row: TryRow): AttemptTry {
  return {
    id: row.id, attemptId: row.attempt_id, scoId: row.sco_id, scoIdentifier: row.sco_identifier, tryNumber: row.try_number,
    completionStatus: row.completion_status, successStatus: row.success_status, scoreRaw: row.score_raw, scoreScaled: row.score_scaled,
    recordedAt: row.recorded_at, interactions: JSON.parse(row.interactions_json) as AttemptTry['interactions'],
  };
}

export function toStateSummary(row: Omit<StateRow, 'cmi_json'>): ScoStateSummary {
  return {
    scoId: row.sco_id, completionStatus: row.completion_status, successStatus: row.success_status,
    scoreRaw: row.score_raw, scoreScaled: row.score_scaled, location: row.location, exit: row.exit, totalSeconds: row.total_seconds, updatedAt: row.updated_at,
  };
}

export function toState(row: StateRow): ScoStateRow {
  return { ...toStateSummary(row), cmi: JSON.parse(row.cmi_json) as Record<string, string> };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type RuntimeStore = PublicOf<RuntimeRepository>;
