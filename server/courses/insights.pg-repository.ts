import type { PgPool } from '../db/postgres/pool.js';
import {
  HAS_LEFT, toLearner,
  type AttemptDbRow, type EnrolledPerson, type InsightAttempt, type InsightExamAttempt, type InsightsStore, type LearnerCursor, type LearnerDbRow, type LearnerRow,
} from './insights.repository.js';

type AsOfDates = { date: string; endIso: string };
// The SQLite twin's has-left test with this dialect's parameters ($n numbered per query below).
const hasLeft = (date: string, end: string) => HAS_LEFT.replace(/@asOfDate/g, date).replace(/@asOfEnd/g, end);

/**
 * The trainer's course page on PostgreSQL (see insights.repository.ts): keyset pages on the
 * enrollments_course_learner index and on enrollment ids, a page's attempts by an id array.
 */
export class PgInsightsRepository implements InsightsStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  async examOf(courseId: number): Promise<{ attemptsPerCycle: number | null } | null> {
    const row = (await this.deps.pool.query<{ attempts_per_cycle: number | null }>('SELECT attempts_per_cycle FROM course_exams WHERE course_id = $1 AND is_enabled = 1', [courseId])).rows[0];
    return row ? { attemptsPerCycle: row.attempts_per_cycle } : null;
  }

  async examAttemptsOf(courseId: number, userIds: readonly number[]): Promise<InsightExamAttempt[]> {
    if (userIds.length === 0) return [];
    const { rows } = await this.deps.pool.query<{ user_id: number; started_at: string; submitted_at: string | null }>(`SELECT user_id, started_at, submitted_at FROM exam_attempts
      WHERE course_id = $1 AND user_id = ANY($2::integer[]) ORDER BY user_id, number`, [courseId, [...userIds]]);
    return rows.map((r) => ({ userId: r.user_id, startedAt: r.started_at, finishedAt: r.submitted_at }));
  }

  async learnersPage(courseId: number, after: LearnerCursor | null, limit: number, asOf: AsOfDates): Promise<LearnerRow[]> {
    const { rows } = await this.deps.pool.query<PgLearnerRow>(`SELECT e.id AS enrollment_id, e.user_id, u.employee_no, u.name, b.name AS branch_name, e.source,
      e.retakes_granted, ${hasLeft('$5', '$6')} AS has_left
      FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
      WHERE e.course_id = $1 AND (e.learner_no, e.user_id) > ($2::text, $3::integer)
      ORDER BY e.learner_no, e.user_id LIMIT $4`, [courseId, after?.employeeNo ?? '', after?.userId ?? 0, limit, asOf.date, asOf.endIso]);
    return rows.map(fromPg);
  }

  async findEnrollment(courseId: number, enrollmentId: number, asOf: AsOfDates): Promise<LearnerRow | null> {
    const row = (await this.deps.pool.query<PgLearnerRow>(`SELECT e.id AS enrollment_id, e.user_id, u.employee_no, u.name, b.name AS branch_name, e.source,
      e.retakes_granted, ${hasLeft('$3', '$4')} AS has_left
      FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
      WHERE e.id = $1 AND e.course_id = $2`, [enrollmentId, courseId, asOf.date, asOf.endIso])).rows[0];
    return row ? fromPg(row) : null;
  }

  async enrolledChunk(courseId: number, afterEnrollmentId: number, limit: number, asOf: AsOfDates): Promise<EnrolledPerson[]> {
    const { rows } = await this.deps.pool.query<{ id: number; user_id: number; has_left: boolean; is_self: boolean }>(`SELECT e.id, e.user_id, ${hasLeft('$4', '$5')} AS has_left,
      e.source = 'self' AS is_self FROM enrollments e JOIN users u ON u.id = e.user_id
      WHERE e.course_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3`, [courseId, afterEnrollmentId, limit, asOf.date, asOf.endIso]);
    return rows.map((r) => ({ enrollmentId: r.id, userId: r.user_id, hasLeft: r.has_left, isSelfEnrolled: r.is_self }));
  }

  async attemptsOf(enrollmentIds: readonly number[]): Promise<InsightAttempt[]> {
    if (enrollmentIds.length === 0) return [];
    const { rows } = await this.deps.pool.query<AttemptDbRow>(`SELECT id, enrollment_id, number, started_at, finished_at, completion_status, success_status, score_scaled,
      tries_count, total_seconds, measured_seconds, launch_count
      FROM attempts WHERE enrollment_id = ANY($1::integer[]) ORDER BY enrollment_id, number`, [[...enrollmentIds]]);
    return rows.map((r) => ({
      enrollmentId: r.enrollment_id, number: r.number, startedAt: r.started_at, finishedAt: r.finished_at,
      completionStatus: r.completion_status, successStatus: r.success_status, scoreScaled: r.score_scaled,
      id: r.id, triesCount: r.tries_count, totalSeconds: r.total_seconds, measuredSeconds: r.measured_seconds, launchCount: r.launch_count,
    }));
  }
}

type PgLearnerRow = Omit<LearnerDbRow, 'has_left'> & { has_left: boolean };

function fromPg(row: PgLearnerRow): LearnerRow {
  return toLearner({ ...row, has_left: row.has_left ? 1 : 0 });
}
