import type { PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import { toQuestion, toScores, type CourseAggregatesStore, type QuestionDbRow, type QuestionTally, type ScoreCount } from './course-aggregates.repository.js';

// As QUESTIONS_SQL (course-aggregates.repository.ts); identifiers ordered bytewise, as SQLite orders them.
const QUESTIONS_SQL = `WITH tallies AS (
    SELECT s.identifier AS sco, t.interaction_id AS question, SUM(t.answered) AS answered, SUM(t.correct) AS correct, SUM(t.wrong) AS wrong
    FROM question_tallies t JOIN scos s ON s.id = t.sco_id WHERE t.course_id = $1 GROUP BY 1, 2 HAVING SUM(t.answered) > 0
  ), responses AS (
    SELECT s.identifier AS sco, r.interaction_id AS question, r.response, SUM(r.answers) AS n
    FROM question_wrong_responses r JOIN scos s ON s.id = r.sco_id WHERE r.course_id = $1 GROUP BY 1, 2, 3
  ), ranked AS (
    SELECT sco, question, response, n, row_number() OVER (PARTITION BY sco, question ORDER BY n DESC, response COLLATE "C") AS rank FROM responses WHERE n > 0
  )
  SELECT t.sco, t.question, t.answered, t.correct, t.wrong, w.response AS top_wrong, COALESCE(w.n, 0) AS top_wrong_n
  FROM tallies t LEFT JOIN ranked w ON w.sco = t.sco AND w.question = t.question AND w.rank = 1
  ORDER BY t.sco COLLATE "C", t.question COLLATE "C"`;

// The scan the tallies replace, as RECOUNT_QUESTIONS_SQL; is_wrong_result() comes with the migration.
const RECOUNT_QUESTIONS_SQL = `WITH answers AS (
    SELECT s.identifier AS sco, i.interaction_id AS question, i.response, i.result,
      row_number() OVER (PARTITION BY i.attempt_id, i.sco_id, i.interaction_id ORDER BY i.idx DESC) AS newest
    FROM enrollments e JOIN attempts a ON a.enrollment_id = e.id JOIN interactions i ON i.attempt_id = a.id JOIN scos s ON s.id = i.sco_id
    WHERE e.course_id = $1 AND (i.response IS NOT NULL OR i.result IS NOT NULL)
  ), final AS (SELECT sco, question, response, result FROM answers WHERE newest = 1),
  wrong AS (
    SELECT sco, question, response, COUNT(*) AS n,
      row_number() OVER (PARTITION BY sco, question ORDER BY COUNT(*) DESC, response COLLATE "C") AS rank
    FROM final WHERE is_wrong_result(result) AND response IS NOT NULL GROUP BY sco, question, response
  )
  SELECT f.sco, f.question, COUNT(*) AS answered, SUM((f.result = 'correct')::integer) AS correct, SUM(is_wrong_result(f.result)::integer) AS wrong,
    w.response AS top_wrong, COALESCE(w.n, 0) AS top_wrong_n
  FROM final f LEFT JOIN wrong w ON w.sco = f.sco AND w.question = f.question AND w.rank = 1
  GROUP BY f.sco, f.question, w.response, w.n ORDER BY f.sco COLLATE "C", f.question COLLATE "C"`;

// As REBUILD_SQL; score_permille() rounds as SQLite's round() does (the migration's function).
const REBUILD_SQL = [
  'DELETE FROM course_score_tallies',
  'DELETE FROM question_wrong_responses',
  'DELETE FROM question_tallies',
  'DELETE FROM question_finals',
  `INSERT INTO course_score_tallies (course_id, permille, attempts)
    SELECT e.course_id, score_permille(a.score_scaled), COUNT(*)
    FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
    WHERE a.finished_at IS NOT NULL AND a.score_scaled IS NOT NULL GROUP BY 1, 2`,
  `INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
    SELECT attempt_id, sco_id, interaction_id, idx, course_id, response, result FROM (
      SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, e.course_id, i.response, i.result,
        row_number() OVER (PARTITION BY i.attempt_id, i.sco_id, i.interaction_id ORDER BY i.idx DESC) AS newest
      FROM interactions i JOIN attempts a ON a.id = i.attempt_id JOIN enrollments e ON e.id = a.enrollment_id
      WHERE i.response IS NOT NULL OR i.result IS NOT NULL
    ) ranked WHERE newest = 1`,
  `INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
    SELECT course_id, sco_id, interaction_id, COUNT(*), SUM((result IS NOT DISTINCT FROM 'correct')::integer), SUM(is_wrong_result(result)::integer)
    FROM question_finals GROUP BY course_id, sco_id, interaction_id`,
  `INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
    SELECT course_id, sco_id, interaction_id, response, COUNT(*) FROM question_finals
    WHERE is_wrong_result(result) AND response IS NOT NULL GROUP BY course_id, sco_id, interaction_id, response`,
  `UPDATE enrollments SET learner_no = COALESCE((SELECT u.employee_no FROM users u WHERE u.id = enrollments.user_id), '')
    WHERE learner_no IS DISTINCT FROM COALESCE((SELECT u.employee_no FROM users u WHERE u.id = enrollments.user_id), '')`,
];

/**
 * Course-wide figures on PostgreSQL (see course-aggregates.repository.ts): the migration's plpgsql
 * triggers keep the tallies inside each writer's transaction; reads are a few hundred rows.
 */
export class PgCourseAggregatesRepository implements CourseAggregatesStore {
  constructor(private readonly deps: { pool: PgPool }) {}

  async scoreCounts(courseId: number): Promise<ScoreCount[]> {
    return toScores((await this.deps.pool.query<{ permille: number; attempts: number }>(
      'SELECT permille, attempts FROM course_score_tallies WHERE course_id = $1 AND attempts > 0 ORDER BY permille', [courseId])).rows);
  }

  async questionTallies(courseId: number): Promise<QuestionTally[]> {
    return (await this.deps.pool.query<QuestionDbRow>(QUESTIONS_SQL, [courseId])).rows.map(toQuestion);
  }

  async recountScoreCounts(courseId: number): Promise<ScoreCount[]> {
    return toScores((await this.deps.pool.query<{ permille: number; attempts: number }>(`SELECT score_permille(a.score_scaled) AS permille, COUNT(*) AS attempts
      FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
      WHERE e.course_id = $1 AND a.finished_at IS NOT NULL AND a.score_scaled IS NOT NULL GROUP BY 1 ORDER BY 1`, [courseId])).rows);
  }

  async recountQuestionTallies(courseId: number): Promise<QuestionTally[]> {
    return (await this.deps.pool.query<QuestionDbRow>(RECOUNT_QUESTIONS_SQL, [courseId])).rows.map(toQuestion);
  }

  /**
   * Recounts everything in one transaction. The records' tables are locked against writes first
   * (SHARE: reads go on, commits on any node wait), so no result lands between two statements.
   */
  async rebuild(): Promise<void> {
    await transaction(this.deps.pool, async (client) => {
      await client.query('LOCK TABLE attempts, interactions, enrollments IN SHARE MODE');
      for (const sql of REBUILD_SQL) await client.query(sql);
    });
  }
}
