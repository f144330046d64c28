/**
 * SQL for the trainer's course page: a keyset page of learners, the enrolled people in chunks
 * (for the status counts), attempts, the score histogram and the question analysis. Statuses
 * themselves come from ReportsRepository facts and the status rules, never from here.
 */
import type { Db } from '../db/open-database.js';

export interface LearnerRow {
  enrollmentId: number; userId: number; employeeNo: string | null; name: string; branchName: string | null;
  /** 'self': launched without an assignment; such enrollments have no certification status. */
  source: string; retakesGranted: number; hasLeft: boolean;
}

/** Where a page of learners starts: after this (employee number, user id); '' sorts learners without a number first. */
export interface LearnerCursor { employeeNo: string; userId: number }

export interface EnrolledPerson { enrollmentId: number; userId: number; hasLeft: boolean }

export interface InsightAttempt {
  enrollmentId: number; number: number; startedAt: string; finishedAt: string | null;
  completionStatus: string; successStatus: string; scoreScaled: number | null;
  id: number; triesCount: number; totalSeconds: number; measuredSeconds: number; launchCount: number;
}

export interface QuestionRow {
  scoIdentifier: string; questionId: string;
  /** Attempts that answered: each attempt's newest answer to the question (journaled retries count once). */
  answered: number; correct: number;
  /** Judged wrong: 1.2 'wrong', 2004 'incorrect', and 'unanticipated'. Neutral and numeric results are neither. */
  wrong: number;
  topWrongResponse: string | null; topWrongCount: number;
}

// Roster dates may be bare local dates: compare those with the date, instants with the day's end.
const HAS_LEFT = `(u.status = 'left' AND (u.left_at IS NULL OR (CASE WHEN length(u.left_at) = 10 THEN u.left_at <= @asOfDate ELSE u.left_at <= @asOfEnd END)))`;
const WRONG_RESULTS = `('wrong', 'incorrect', 'unanticipated')`;

export class InsightsRepository {
  private readonly stmts;

  constructor(deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      learnersPage: db.prepare(`SELECT e.id AS enrollment_id, e.user_id, u.employee_no, u.name, b.name AS branch_name, e.source,
        e.retakes_granted, ${HAS_LEFT} AS has_left
        FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
        WHERE e.course_id = @courseId AND (ifnull(u.employee_no, ''), u.id) > (@afterNo, @afterId)
        ORDER BY ifnull(u.employee_no, ''), u.id LIMIT @limit`),
      // Keyset on the enrollment id: the course index holds rowids in order, so no chunk sorts the course.
      enrolledChunk: db.prepare(`SELECT e.id, e.user_id, ${HAS_LEFT} AS has_left FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE e.course_id = @courseId AND e.id > @afterEnrollmentId AND e.source <> 'self' ORDER BY e.id LIMIT @limit`),
      selfEnrolled: db.prepare(`SELECT COUNT(*) FROM enrollments WHERE course_id = ? AND source = 'self'`).pluck(),
      enrollment: db.prepare(`SELECT e.id AS enrollment_id, e.user_id, u.employee_no, u.name, b.name AS branch_name, e.source,
        e.retakes_granted, ${HAS_LEFT} AS has_left
        FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id
        WHERE e.id = @enrollmentId AND e.course_id = @courseId`),
      attemptsOf: db.prepare(`SELECT id, enrollment_id, number, started_at, finished_at, completion_status, success_status, score_scaled,
        tries_count, total_seconds, measured_seconds, launch_count
        FROM attempts WHERE enrollment_id IN (SELECT value FROM json_each(?)) ORDER BY enrollment_id, number`),
      // Scores on a 0.1 grid (as certificates and reports round them): at most ~2,000 groups.
      finishedScores: db.prepare(`SELECT round(a.score_scaled * 1000) AS permille, COUNT(*) AS n
        FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
        WHERE e.course_id = ? AND a.finished_at IS NOT NULL AND a.score_scaled IS NOT NULL GROUP BY permille`),
      questions: db.prepare(`WITH answers AS (
          SELECT s.identifier AS sco, i.interaction_id AS question, i.response, i.result,
            row_number() OVER (PARTITION BY i.attempt_id, i.sco_id, i.interaction_id ORDER BY i.idx DESC) AS newest
          FROM enrollments e JOIN attempts a ON a.enrollment_id = e.id JOIN interactions i ON i.attempt_id = a.id JOIN scos s ON s.id = i.sco_id
          WHERE e.course_id = ? AND (i.response IS NOT NULL OR i.result IS NOT NULL)
        ), final AS (SELECT sco, question, response, result FROM answers WHERE newest = 1),
        wrong AS (
          SELECT sco, question, response, COUNT(*) AS n,
            row_number() OVER (PARTITION BY sco, question ORDER BY COUNT(*) DESC, response) AS rank
          FROM final WHERE result IN ${WRONG_RESULTS} AND response IS NOT NULL GROUP BY sco, question, response
        )
        SELECT f.sco, f.question, COUNT(*) AS answered, SUM(f.result = 'correct') AS correct, SUM(f.result IN ${WRONG_RESULTS}) AS wrong,
          w.response AS top_wrong, ifnull(w.n, 0) AS top_wrong_n
        FROM final f LEFT JOIN wrong w ON w.sco = f.sco AND w.question = f.question AND w.rank = 1
        GROUP BY f.sco, f.question ORDER BY f.sco, f.question`),
    };
  }

  /** Up to `limit` learners of the course after the cursor, by employee number. */
  learnersPage(courseId: number, after: LearnerCursor | null, limit: number, asOf: { date: string; endIso: string }): LearnerRow[] {
    const rows = this.stmts.learnersPage.all({
      courseId, afterNo: after?.employeeNo ?? '', afterId: after?.userId ?? 0, limit, asOfDate: asOf.date, asOfEnd: asOf.endIso,
    }) as LearnerDbRow[];
    return rows.map(toLearner);
  }

  findEnrollment(courseId: number, enrollmentId: number, asOf: { date: string; endIso: string }): LearnerRow | null {
    const row = this.stmts.enrollment.get({ courseId, enrollmentId, asOfDate: asOf.date, asOfEnd: asOf.endIso }) as LearnerDbRow | undefined;
    return row ? toLearner(row) : null;
  }

  /** Assigned learners of the course after an enrollment id, a chunk at a time (keeps memory flat on big courses). */
  enrolledChunk(courseId: number, afterEnrollmentId: number, limit: number, asOf: { date: string; endIso: string }): EnrolledPerson[] {
    const rows = this.stmts.enrolledChunk.all({ courseId, afterEnrollmentId, limit, asOfDate: asOf.date, asOfEnd: asOf.endIso }) as Array<{ id: number; user_id: number; has_left: number }>;
    return rows.map((r) => ({ enrollmentId: r.id, userId: r.user_id, hasLeft: r.has_left === 1 }));
  }

  countSelfEnrolled(courseId: number): number {
    return this.stmts.selfEnrolled.get(courseId) as number;
  }

  attemptsOf(enrollmentIds: readonly number[]): InsightAttempt[] {
    if (enrollmentIds.length === 0) return [];
    return (this.stmts.attemptsOf.all(JSON.stringify(enrollmentIds)) as AttemptDbRow[]).map((r) => ({
      enrollmentId: r.enrollment_id, number: r.number, startedAt: r.started_at, finishedAt: r.finished_at,
      completionStatus: r.completion_status, successStatus: r.success_status, scoreScaled: r.score_scaled,
      id: r.id, triesCount: r.tries_count, totalSeconds: r.total_seconds, measuredSeconds: r.measured_seconds, launchCount: r.launch_count,
    }));
  }

  /** Finished attempts' scores (0–100, one decimal) with how many attempts had each. */
  finishedScores(courseId: number): Array<{ score: number; count: number }> {
    return (this.stmts.finishedScores.all(courseId) as Array<{ permille: number; n: number }>).map((r) => ({ score: r.permille / 10, count: r.n }));
  }

  questionAnalysis(courseId: number): QuestionRow[] {
    return (this.stmts.questions.all(courseId) as QuestionDbRow[]).map((r) => ({
      scoIdentifier: r.sco, questionId: r.question, answered: r.answered, correct: r.correct, wrong: r.wrong,
      topWrongResponse: r.top_wrong, topWrongCount: r.top_wrong_n,
    }));
  }
}

interface LearnerDbRow {
  enrollment_id: number; user_id: number; employee_no: string | null; name: string; branch_name: string | null; source: string;
  retakes_granted: number; has_left: number;
}
interface AttemptDbRow {
  enrollment_id: number; number: number; started_at: string; finished_at: string | null; completion_status: string; success_status: string; score_scaled: number | null;
  id: number; tries_count: number; total_seconds: number; measured_seconds: number; launch_count: number;
}
interface QuestionDbRow { sco: string; question: string; answered: number; correct: number; wrong: number; top_wrong: string | null; top_wrong_n: number }

function toLearner(r: LearnerDbRow): LearnerRow {
  return {
    enrollmentId: r.enrollment_id, userId: r.user_id, employeeNo: r.employee_no, name: r.name, branchName: r.branch_name,
    source: r.source, retakesGranted: r.retakes_granted, hasLeft: r.has_left === 1,
  };
}
