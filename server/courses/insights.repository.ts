/**
 * SQL for the trainer's course page: a keyset page of learners, the enrolled people in chunks
 * (for the status counts) and attempts. The score histogram and the question analysis are
 * maintained aggregates (reports/course-aggregates.repository.ts). Statuses themselves come from
 * ReportsRepository facts and the status rules, never from here.
 *
 * The learners page walks the enrollments_course_learner index (course, employee number copied
 * onto the enrollment, user id): 50 index entries per page, no sort of the course.
 */
import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';

export interface LearnerRow {
  enrollmentId: number; userId: number; employeeNo: string | null; name: string; branchName: string | null;
  /** 'self': launched without an assignment; such enrollments have no certification status. */
  source: string; retakesGranted: number; hasLeft: boolean;
}

/** Where a page of learners starts: after this (employee number, user id); '' sorts learners without a number first. */
export interface LearnerCursor { employeeNo: string; userId: number }

export interface EnrolledPerson { enrollmentId: number; userId: number; hasLeft: boolean; isSelfEnrolled: boolean }

export interface InsightAttempt {
  enrollmentId: number; number: number; startedAt: string; finishedAt: string | null;
  completionStatus: string; successStatus: string; scoreScaled: number | null;
  id: number; triesCount: number; totalSeconds: number; measuredSeconds: number; launchCount: number;
}

export interface InsightExamAttempt { userId: number; startedAt: string; finishedAt: string | null }

// Roster dates may be bare local dates: compare those with the date, instants with the day's end.
export const HAS_LEFT = `(u.status = 'left' AND (u.left_at IS NULL OR (CASE WHEN length(u.left_at) = 10 THEN u.left_at <= @asOfDate ELSE u.left_at <= @asOfEnd END)))`;

export class InsightsRepository {
  private readonly stmts;

  constructor(deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      learnersPage: db.prepare(`SELECT e.id AS enrollment_id, e.user_id, u.employee_no, u.name, b.name AS branch_name, e.source,
        e.retakes_granted, ${HAS_LEFT} AS has_left
        FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
        WHERE e.course_id = @courseId AND (e.learner_no, e.user_id) > (@afterNo, @afterId)
        ORDER BY e.learner_no, e.user_id LIMIT @limit`),
      // Keyset on the enrollment id: the course index holds rowids in order, so no chunk sorts the course.
      // Self-enrolled learners come along and are counted by the caller: a separate COUNT over a
      // 415k-learner course read every enrollment in one statement (~200 ms, bench:stall).
      enrolledChunk: db.prepare(`SELECT e.id, e.user_id, ${HAS_LEFT} AS has_left, e.source = 'self' AS is_self FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE e.course_id = @courseId AND e.id > @afterEnrollmentId ORDER BY e.id LIMIT @limit`),
      enrollment: db.prepare(`SELECT e.id AS enrollment_id, e.user_id, u.employee_no, u.name, b.name AS branch_name, e.source,
        e.retakes_granted, ${HAS_LEFT} AS has_left
        FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
        WHERE e.id = @enrollmentId AND e.course_id = @courseId`),
      examOf: db.prepare('SELECT attempts_per_cycle FROM course_exams WHERE course_id = ? AND is_enabled = 1'),
      // A page of learners' exam attempts: the (user_id, course_id, number) index, one range per learner.
      examAttemptsOf: db.prepare(`SELECT user_id, started_at, submitted_at FROM exam_attempts
        WHERE course_id = ? AND user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id, number`),
      attemptsOf: db.prepare(`SELECT id, enrollment_id, number, started_at, finished_at, completion_status, success_status, score_scaled,
        tries_count, total_seconds, measured_seconds, launch_count
        FROM attempts WHERE enrollment_id IN (SELECT value FROM json_each(?)) ORDER BY enrollment_id, number`),
    };
  }

  /** The course's enabled exam (its attempts per cycle, null: unlimited), or null without one. */
  async examOf(courseId: number): Promise<{ attemptsPerCycle: number | null } | null> {
    const row = this.stmts.examOf.get(courseId) as { attempts_per_cycle: number | null } | undefined;
    return row ? { attemptsPerCycle: row.attempts_per_cycle } : null;
  }

  /** Exam attempts of a page of learners in the course, oldest first per learner. */
  async examAttemptsOf(courseId: number, userIds: readonly number[]): Promise<InsightExamAttempt[]> {
    if (userIds.length === 0) return [];
    return (this.stmts.examAttemptsOf.all(courseId, JSON.stringify(userIds)) as Array<{ user_id: number; started_at: string; submitted_at: string | null }>)
      .map((r) => ({ userId: r.user_id, startedAt: r.started_at, finishedAt: r.submitted_at }));
  }

  /** Up to `limit` learners of the course after the cursor, by employee number. */
  async learnersPage(courseId: number, after: LearnerCursor | null, limit: number, asOf: { date: string; endIso: string }): Promise<LearnerRow[]> {
    const rows = this.stmts.learnersPage.all({
      courseId, afterNo: after?.employeeNo ?? '', afterId: after?.userId ?? 0, limit, asOfDate: asOf.date, asOfEnd: asOf.endIso,
    }) as LearnerDbRow[];
    return rows.map(toLearner);
  }

  async findEnrollment(courseId: number, enrollmentId: number, asOf: { date: string; endIso: string }): Promise<LearnerRow | null> {
    const row = this.stmts.enrollment.get({ courseId, enrollmentId, asOfDate: asOf.date, asOfEnd: asOf.endIso }) as LearnerDbRow | undefined;
    return row ? toLearner(row) : null;
  }

  /** Learners of the course after an enrollment id, a chunk at a time (keeps memory flat on big courses). */
  async enrolledChunk(courseId: number, afterEnrollmentId: number, limit: number, asOf: { date: string; endIso: string }): Promise<EnrolledPerson[]> {
    const rows = this.stmts.enrolledChunk.all({ courseId, afterEnrollmentId, limit, asOfDate: asOf.date, asOfEnd: asOf.endIso }) as Array<{ id: number; user_id: number; has_left: number; is_self: number }>;
    return rows.map((r) => ({ enrollmentId: r.id, userId: r.user_id, hasLeft: r.has_left === 1, isSelfEnrolled: r.is_self === 1 }));
  }


  async attemptsOf(enrollmentIds: readonly number[]): Promise<InsightAttempt[]> {
    if (enrollmentIds.length === 0) return [];
    return (this.stmts.attemptsOf.all(JSON.stringify(enrollmentIds)) as AttemptDbRow[]).map((r) => ({
      enrollmentId: r.enrollment_id, number: r.number, startedAt: r.started_at, finishedAt: r.finished_at,
      completionStatus: r.completion_status, successStatus: r.success_status, scoreScaled: r.score_scaled,
      id: r.id, triesCount: r.tries_count, totalSeconds: r.total_seconds, measuredSeconds: r.measured_seconds, launchCount: r.launch_count,
    }));
  }

}

export interface LearnerDbRow {
  enrollment_id: number; user_id: number; employee_no: string | null; name: string; branch_name: string | null; source: string;
  retakes_granted: number; has_left: number;
}
export interface AttemptDbRow {
  enrollment_id: number; number: number; started_at: string; finished_at: string | null; completion_status: string; success_status: string; score_scaled: number | null;
  id: number; tries_count: number; total_seconds: number; measured_seconds: number; launch_count: number;
}

export function toLearner(r: LearnerDbRow): LearnerRow {
  return {
    enrollmentId: r.enrollment_id, userId: r.user_id, employeeNo: r.employee_no, name: r.name, branchName: r.branch_name,
    source: r.source, retakesGranted: r.retakes_granted, hasLeft: r.has_left === 1,
  };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type InsightsStore = PublicOf<InsightsRepository>;
