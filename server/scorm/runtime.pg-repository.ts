import type { PgClient, PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import { ParsedStateCache, stateVersion } from './parsed-state-cache.js';
import type { CompletionStatus, SuccessStatus } from './cmi/status-rules.js';
import { mergeGlobalObjective, readStoredSequencing, type GlobalObjectiveEntry, type StoredSequencing } from './sequencing/sequencing-state.js';
import { creditActivity, isActivityDue } from './learning-time.js';
import { isResultChange, tryNumberOf, type ResultSnapshot } from './tries.js';
import {
  LaunchIdentityCache, toLaunchSession, type LaunchRow, toAttempt, toEnrollment, toState, toStateSummary, toTry,
  type Attempt, type AttemptRow, type AttemptTry, type CommitOutcome, type CommitPlan, type Enrollment, type EnrollmentRow, type LaunchIdentity,
  type LaunchSession, type RuntimeStore, type ScoStateRow, type ScoStateSummary, type StateRow, type TryRow,
} from './runtime.repository.js';

type Outcome = { completionStatus: CompletionStatus; successStatus: SuccessStatus; scoreScaled: number | null; finish: boolean };

const UPDATE_ATTEMPT = `UPDATE attempts SET completion_status = $2, success_status = $3, score_scaled = $4,
  total_seconds = (SELECT COALESCE(SUM(total_seconds), 0) FROM sco_states WHERE attempt_id = $1),
  finished_at = CASE WHEN $5::boolean AND finished_at IS NULL THEN $6 ELSE finished_at END,
  completed_at = CASE WHEN $2::text = 'completed' THEN COALESCE(completed_at, $6) ELSE completed_at END WHERE id = $1 RETURNING *`;

const CREDIT_ACTIVITY = `UPDATE attempts SET measured_seconds = measured_seconds + $2, last_activity_at = $3, launch_count = launch_count + $4 WHERE id = $1`;

/**
 * SCORM runtime state on PostgreSQL (see runtime.repository.ts). No group commit: each commit is
 * its own transaction (synchronous_commit=on, so answered means durable), and PostgreSQL's own
 * WAL flushing groups concurrent commits. A commit locks its launch and attempt rows, so two
 * commits of one launch — or of two SCOs of one attempt — arriving on two nodes apply in turn.
 * The caches are per node and safe: launch identities never change, and a parsed state is used
 * only when its version (commit_seq, updated_at) matches the row read under the lock.
 */
export class PgRuntimeRepository implements RuntimeStore {
  private readonly identities = new LaunchIdentityCache();
  private readonly parsedStates = new ParsedStateCache();

  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  async findEnrollment(userId: number, courseId: number): Promise<Enrollment | null> {
    return toEnrollment((await this.deps.pool.query<EnrollmentRow>('SELECT * FROM enrollments WHERE user_id = $1 AND course_id = $2', [userId, courseId])).rows[0]);
  }

  async ensureEnrollment(userId: number, courseId: number): Promise<Enrollment> {
    const existing = await this.findEnrollment(userId, courseId);
    if (existing) return existing;
    await this.deps.pool.query(`INSERT INTO enrollments (user_id, course_id, assigned_at, source) VALUES ($1, $2, $3, 'self') ON CONFLICT (user_id, course_id) DO NOTHING`,
      [userId, courseId, this.deps.now().toISOString()]);
    return (await this.findEnrollment(userId, courseId))!;
  }

  async latestAttempt(enrollmentId: number): Promise<Attempt | null> {
    return toAttempt((await this.deps.pool.query<AttemptRow>('SELECT * FROM attempts WHERE enrollment_id = $1 ORDER BY number DESC LIMIT 1', [enrollmentId])).rows[0]);
  }

  async findAttempt(attemptId: number): Promise<Attempt | null> {
    return toAttempt((await this.deps.pool.query<AttemptRow>('SELECT * FROM attempts WHERE id = $1', [attemptId])).rows[0]);
  }

  async listAttempts(enrollmentId: number): Promise<Attempt[]> {
    return (await this.deps.pool.query<AttemptRow>('SELECT * FROM attempts WHERE enrollment_id = $1 ORDER BY number', [enrollmentId])).rows.map((r) => toAttempt(r)!);
  }

  /** The enrollment row is locked so two launches on two nodes number their attempts in turn. */
  async startAttempt(enrollmentId: number, versionId: number, actorId: number): Promise<Attempt> {
    const { pool, audit, now } = this.deps;
    return transaction(pool, async (client) => {
      await client.query('SELECT id FROM enrollments WHERE id = $1 FOR UPDATE', [enrollmentId]);
      const row = (await client.query<AttemptRow>(`INSERT INTO attempts (enrollment_id, version_id, number, started_at)
        VALUES ($1, $2, (SELECT COALESCE(MAX(number), 0) + 1 FROM attempts WHERE enrollment_id = $1), $3) RETURNING *`, [enrollmentId, versionId, now().toISOString()])).rows[0];
      await audit.appendWith(client, { actorId, action: 'attempt.start', subject: `attempt:${row.id}`, details: { enrollmentId, versionId } });
      return toAttempt(row)!;
    });
  }

  /** Whether the SCO's last session of this attempt ended with Terminate; null when it never launched (launch.service.ts: a new learner attempt). */
  async lastSessionEnded(attemptId: number, scoId: number): Promise<boolean | null> {
    const row = (await this.deps.pool.query<{ ended: boolean }>(`SELECT terminated_at IS NOT NULL AS ended FROM launch_sessions
      WHERE attempt_id = $1 AND sco_id = $2 ORDER BY id DESC LIMIT 1`, [attemptId, scoId])).rows[0];
    return row ? row.ended : null;
  }

  async listStates(attemptId: number): Promise<ScoStateRow[]> {
    return (await this.deps.pool.query<StateRow>('SELECT * FROM sco_states WHERE attempt_id = $1', [attemptId])).rows.map(toState);
  }

  async findState(attemptId: number, scoId: number): Promise<ScoStateRow | null> {
    const row = (await this.deps.pool.query<StateRow>('SELECT * FROM sco_states WHERE attempt_id = $1 AND sco_id = $2', [attemptId, scoId])).rows[0];
    return row ? toState(row) : null;
  }

  /** Resolves once committed (durable), so the token is never handed out before its row is. */
  async createLaunch(input: { attemptId: number; scoId: number; userId: number; tokenHash: string; credit: 'credit' | 'no-credit'; expiresAt: string }): Promise<void> {
    const at = this.deps.now();
    await transaction(this.deps.pool, async (client) => {
      await client.query(`INSERT INTO launch_sessions (attempt_id, sco_id, user_id, token_hash, credit, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [input.attemptId, input.scoId, input.userId, input.tokenHash, input.credit, at.toISOString(), input.expiresAt]);
      const last = (await client.query<{ last_activity_at: string | null }>('UPDATE attempts SET last_sco_id = $1 WHERE id = $2 RETURNING last_activity_at', [input.scoId, input.attemptId])).rows[0];
      const credit = creditActivity(last.last_activity_at, at);
      await client.query(CREDIT_ACTIVITY, [input.attemptId, credit.addSeconds, credit.lastActivityAt, 1]);
    });
  }

  async recordHeartbeat(launch: LaunchIdentity): Promise<'counted' | 'skipped' | 'terminated'> {
    const at = this.deps.now();
    const activityOf = (client: Pick<PgClient, 'query'>, lock: string) => client.query<{ last_activity_at: string | null; terminated_at: string | null }>(
      `SELECT a.last_activity_at, l.terminated_at FROM launch_sessions l JOIN attempts a ON a.id = l.attempt_id WHERE l.id = $1 ${lock}`, [launch.id]);
    const peek = (await activityOf(this.deps.pool, '')).rows[0];
    if (peek.terminated_at) return 'terminated';
    if (!isActivityDue(peek.last_activity_at, at)) return 'skipped';
    return transaction(this.deps.pool, async (client) => {
      const current = (await activityOf(client, 'FOR UPDATE OF a')).rows[0];
      if (current.terminated_at) return 'terminated' as const;
      const credit = creditActivity(current.last_activity_at, at);
      await client.query(CREDIT_ACTIVITY, [launch.attemptId, credit.addSeconds, credit.lastActivityAt, 0]);
      return 'counted' as const;
    });
  }

  async findAttemptOwner(attemptId: number): Promise<{ userId: number; courseId: number; employeeNo: string | null; name: string; branchPath: string | null } | null> {
    const row = (await this.deps.pool.query<{ user_id: number; course_id: number; employee_no: string | null; name: string; branch_path: string | null }>(
      `SELECT e.user_id, e.course_id, u.employee_no, u.name, b.path AS branch_path FROM attempts a
       JOIN enrollments e ON e.id = a.enrollment_id JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id WHERE a.id = $1`, [attemptId])).rows[0];
    return row ? { userId: row.user_id, courseId: row.course_id, employeeNo: row.employee_no, name: row.name, branchPath: row.branch_path } : null;
  }

  async listTries(attemptId: number): Promise<AttemptTry[]> {
    return (await this.deps.pool.query<TryRow>(`SELECT t.*, s.identifier AS sco_identifier FROM attempt_tries t JOIN scos s ON s.id = t.sco_id
      WHERE t.attempt_id = $1 ORDER BY t.id`, [attemptId])).rows.map(toTry);
  }

  async findLaunch(tokenHash: string): Promise<LaunchSession | null> {
    return toLaunchSession((await this.deps.pool.query<LaunchRow>(`SELECT l.id, l.attempt_id, l.sco_id, l.user_id, l.credit, l.expires_at, l.terminated_at, l.last_seq,
        v.scorm_version, v.id AS version_id, v.course_id FROM launch_sessions l JOIN attempts a ON a.id = l.attempt_id
        JOIN course_versions v ON v.id = a.version_id WHERE l.token_hash = $1`, [tokenHash])).rows[0]);
  }

  async findLaunchIdentity(tokenHash: string): Promise<LaunchIdentity | null> {
    return this.identities.get(tokenHash, () => this.findLaunch(tokenHash));
  }

  async applyCommit(
    launch: LaunchIdentity,
    decide: (stored: Readonly<Record<string, string>> | null, lastSeq: number) => CommitPlan | { refused: unknown },
    rollup: (states: ScoStateSummary[], before: Attempt) => Outcome,
  ): Promise<CommitOutcome> {
    const { pool, audit, now } = this.deps;
    let written = null as { version: string; state: Record<string, string> } | null;
    const result = await transaction(pool, async (client): Promise<CommitOutcome> => {
      written = null;
      const current = (await client.query<AttemptRow & {
        last_seq: number; terminated_at: string | null; state_seq: number | null; state_updated_at: string | null;
        state_success: SuccessStatus | null; state_raw: number | null; state_scaled: number | null;
      }>(`SELECT l.last_seq, l.terminated_at, s.commit_seq AS state_seq, s.updated_at AS state_updated_at,
        s.success_status AS state_success, s.score_raw AS state_raw, s.score_scaled AS state_scaled, a.*
        FROM launch_sessions l JOIN attempts a ON a.id = l.attempt_id
        LEFT JOIN sco_states s ON s.attempt_id = l.attempt_id AND s.sco_id = l.sco_id WHERE l.id = $1 FOR UPDATE OF l, a`, [launch.id])).rows[0];
      if (current.terminated_at) return { kind: 'terminated' };
      const before = toAttempt(current)!;
      const stored = current.state_seq === null ? null : await this.storedState(client, launch, stateVersion(current.state_seq, current.state_updated_at!));
      const plan = decide(stored, current.last_seq);
      if ('refused' in plan) return { kind: 'refused', result: plan.refused };
      if (plan.seq <= current.last_seq) return { kind: 'duplicate' };
      const atDate = now();
      const at = atDate.toISOString();
      const { summary } = plan;
      await client.query(`INSERT INTO sco_states (attempt_id, sco_id, cmi_json, completion_status, success_status, score_raw, score_scaled,
        location, exit, total_seconds, commit_seq, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11)
        ON CONFLICT (attempt_id, sco_id) DO UPDATE SET cmi_json = excluded.cmi_json, completion_status = excluded.completion_status,
        success_status = excluded.success_status, score_raw = excluded.score_raw, score_scaled = excluded.score_scaled,
        location = excluded.location, exit = excluded.exit, total_seconds = sco_states.total_seconds + $10,
        commit_seq = sco_states.commit_seq + 1, updated_at = excluded.updated_at`,
      [launch.attemptId, launch.scoId, JSON.stringify(plan.state), summary.completionStatus, summary.successStatus, summary.scoreRaw, summary.scoreScaled,
        summary.location, summary.exit, plan.addSeconds, at]);
      written = { version: stateVersion((current.state_seq ?? 0) + 1, at), state: plan.state };
      if (plan.interactions) {
        await client.query('DELETE FROM interactions WHERE attempt_id = $1 AND sco_id = $2', [launch.attemptId, launch.scoId]);
        for (const i of plan.interactions) {
          await client.query(`INSERT INTO interactions (attempt_id, sco_id, idx, interaction_id, type, response, correct_response, result, latency, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [launch.attemptId, launch.scoId, i.idx, i.interactionId, i.type, i.learnerResponse, i.correctResponse, i.result, i.latency, i.recordedAt ?? at]);
        }
      }
      await client.query('UPDATE launch_sessions SET last_seq = $2, terminated_at = CASE WHEN $3::boolean THEN $4 ELSE terminated_at END WHERE id = $1',
        [launch.id, plan.seq, plan.terminate, at]);
      await this.recordTry(client, launch, current.state_success === null ? null : { successStatus: current.state_success, scoreRaw: current.state_raw, scoreScaled: current.state_scaled },
        summary, at);
      if (isActivityDue(before.lastActivityAt, atDate)) {
        const credit = creditActivity(before.lastActivityAt, atDate);
        await client.query(CREDIT_ACTIVITY, [launch.attemptId, credit.addSeconds, credit.lastActivityAt, 0]);
      }
      const states = (await client.query<Omit<StateRow, 'cmi_json'>>(`SELECT sco_id, completion_status, success_status, score_raw, score_scaled, location, exit, total_seconds, updated_at
        FROM sco_states WHERE attempt_id = $1`, [launch.attemptId])).rows.map(toStateSummary);
      const outcome = rollup(states, before);
      const attemptChanges = plan.addSeconds !== 0 || (outcome.finish && !before.finishedAt) || before.completionStatus !== outcome.completionStatus
        || before.successStatus !== outcome.successStatus || before.scoreScaled !== outcome.scoreScaled;
      const after = attemptChanges
        ? toAttempt((await client.query<AttemptRow>(UPDATE_ATTEMPT, [launch.attemptId, outcome.completionStatus, outcome.successStatus, outcome.scoreScaled, outcome.finish, at])).rows[0])!
        : before;
      if (before.completionStatus !== after.completionStatus || before.successStatus !== after.successStatus || before.scoreScaled !== after.scoreScaled || (!before.finishedAt && after.finishedAt)) {
        await audit.appendWith(client, { actorId: launch.userId, action: 'attempt.result', subject: `attempt:${after.id}`,
          details: { completionStatus: after.completionStatus, successStatus: after.successStatus, scoreScaled: after.scoreScaled, finished: Boolean(after.finishedAt) } });
      }
      return { kind: 'applied', attempt: after };
    });
    if (result.kind === 'applied' && written) this.parsedStates.set(launch.attemptId, launch.scoId, (written as { version: string }).version, (written as { state: Record<string, string> }).state);
    return result;
  }

  private async recordTry(client: PgClient, launch: LaunchIdentity, before: ResultSnapshot | null, after: CommitPlan['summary'], at: string): Promise<void> {
    if (!isResultChange(before, after)) return;
    const last = (await client.query<{ try_number: number; success_status: SuccessStatus; score_raw: number | null; score_scaled: number | null }>(
      `SELECT try_number, success_status, score_raw, score_scaled FROM attempt_tries WHERE attempt_id = $1 AND sco_id = $2 ORDER BY id DESC LIMIT 1`,
      [launch.attemptId, launch.scoId])).rows[0];
    const tryNumber = tryNumberOf(last ? { tryNumber: last.try_number, successStatus: last.success_status, scoreRaw: last.score_raw, scoreScaled: last.score_scaled } : null, after);
    const tryId = (await client.query<{ id: number }>(`INSERT INTO attempt_tries (attempt_id, sco_id, try_number, completion_status, success_status, score_raw, score_scaled,
      interactions_json, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7,
      COALESCE((SELECT json_agg(json_build_object('id', interaction_id, 'type', type, 'response', response, 'correct', correct_response,
        'result', result, 'latency', latency, 'at', recorded_at) ORDER BY idx) FROM interactions WHERE attempt_id = $1 AND sco_id = $2)::text, '[]'),
      $8) RETURNING id`,
    [launch.attemptId, launch.scoId, tryNumber, after.completionStatus, after.successStatus, after.scoreRaw, after.scoreScaled, at])).rows[0].id;
    await client.query('UPDATE attempts SET tries_count = GREATEST(tries_count, $1) WHERE id = $2', [tryNumber, launch.attemptId]);
    await this.deps.audit.appendWith(client, { actorId: launch.userId, action: 'attempt.try', subject: `attempt-try:${tryId}`,
      details: { attemptId: launch.attemptId, scoId: launch.scoId, tryNumber, successStatus: after.successStatus, scoreRaw: after.scoreRaw, scoreScaled: after.scoreScaled } });
  }

  private async storedState(client: PgClient, launch: LaunchIdentity, version: string): Promise<Readonly<Record<string, string>>> {
    const cached = this.parsedStates.get(launch.attemptId, launch.scoId, version);
    if (cached) return cached;
    const row = (await client.query<{ cmi_json: string }>('SELECT cmi_json FROM sco_states WHERE attempt_id = $1 AND sco_id = $2', [launch.attemptId, launch.scoId])).rows[0];
    return JSON.parse(row.cmi_json) as Record<string, string>;
  }

  async findSequencing(attemptId: number): Promise<StoredSequencing | null> {
    const row = (await this.deps.pool.query<{ sequencing_json: string | null }>('SELECT sequencing_json FROM attempts WHERE id = $1', [attemptId])).rows[0];
    return readStoredSequencing(row?.sequencing_json ?? null);
  }

  async listGlobalObjectives(userId: number, ids: ReadonlySet<string>): Promise<Record<string, GlobalObjectiveEntry>> {
    const out: Record<string, GlobalObjectiveEntry> = {};
    if (ids.size === 0) return out;
    const { rows } = await this.deps.pool.query<{ objective_id: string; data_json: string }>('SELECT objective_id, data_json FROM global_objectives WHERE user_id = $1', [userId]);
    for (const row of rows) {
      if (ids.has(row.objective_id)) out[row.objective_id] = JSON.parse(row.data_json) as GlobalObjectiveEntry;
    }
    return out;
  }

  async applySequencingState(
    launch: LaunchSession,
    save: StoredSequencing,
    decide: (before: Attempt) => Outcome | null,
    globals: Record<string, GlobalObjectiveEntry>,
  ): Promise<{ kind: 'applied'; attempt: Attempt } | { kind: 'stale' }> {
    const { pool, audit, now } = this.deps;
    return transaction(pool, async (client) => {
      const beforeRow = (await client.query<AttemptRow & { sequencing_json: string | null }>('SELECT * FROM attempts WHERE id = $1 FOR UPDATE', [launch.attemptId])).rows[0];
      const stored = readStoredSequencing(beforeRow.sequencing_json);
      if (stored && save.rev <= stored.rev) return { kind: 'stale' as const };
      const at = now().toISOString();
      await client.query('UPDATE attempts SET sequencing_json = $1 WHERE id = $2', [JSON.stringify(save), launch.attemptId]);
      for (const [objectiveId, entry] of Object.entries(globals)) {
        const previous = (await client.query<{ data_json: string }>('SELECT data_json FROM global_objectives WHERE user_id = $1 AND objective_id = $2 FOR UPDATE', [launch.userId, objectiveId])).rows[0];
        const merged = mergeGlobalObjective(previous ? (JSON.parse(previous.data_json) as GlobalObjectiveEntry) : null, entry);
        await client.query(`INSERT INTO global_objectives (user_id, objective_id, data_json, updated_at) VALUES ($1, $2, $3, $4)
          ON CONFLICT (user_id, objective_id) DO UPDATE SET data_json = excluded.data_json, updated_at = excluded.updated_at`, [launch.userId, objectiveId, JSON.stringify(merged), at]);
      }
      const before = toAttempt(beforeRow)!;
      const outcome = decide(before);
      if (!outcome) return { kind: 'applied' as const, attempt: before };
      const changes = before.completionStatus !== outcome.completionStatus || before.successStatus !== outcome.successStatus
        || before.scoreScaled !== outcome.scoreScaled || (outcome.finish && !before.finishedAt);
      if (!changes) return { kind: 'applied' as const, attempt: before };
      const after = toAttempt((await client.query<AttemptRow>(UPDATE_ATTEMPT, [launch.attemptId, outcome.completionStatus, outcome.successStatus, outcome.scoreScaled, outcome.finish, at])).rows[0])!;
      await audit.appendWith(client, { actorId: launch.userId, action: 'attempt.result', subject: `attempt:${after.id}`,
        details: { completionStatus: after.completionStatus, successStatus: after.successStatus, scoreScaled: after.scoreScaled,
          finished: Boolean(after.finishedAt), source: 'sequencing' } });
      return { kind: 'applied' as const, attempt: after };
    });
  }

  async listCourseAttempts(courseId: number) {
    return (await this.deps.pool.query<{
      id: number; employee_no: string | null; name: string; branch_id: number | null; branch_path: string | null; number: number; completion_status: string;
      success_status: string; score_scaled: number | null; total_seconds: number; measured_seconds: number; tries_count: number; launch_count: number;
      started_at: string; finished_at: string | null;
    }>(`SELECT a.id, u.employee_no, u.name, u.branch_id, b.path AS branch_path, a.number, a.completion_status, a.success_status,
        a.score_scaled, a.total_seconds, a.measured_seconds, a.tries_count, a.launch_count, a.started_at, a.finished_at FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
        JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id WHERE e.course_id = $1 ORDER BY u.employee_no, a.number`, [courseId])).rows;
  }
}
