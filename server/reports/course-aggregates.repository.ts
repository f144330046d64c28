/**
 * Course-wide figures kept by triggers as results land (migration course_aggregates): the score
 * distribution and the question analysis read a few hundred rows, whatever the course's size.
 *
 * Why aggregates and not a worker here: these figures do not depend on the date asked (a finished
 * attempt's score and an answer stay what they are), the trainer page asks for them on every load,
 * and keeping them costs a few index lookups per written row inside the writer's own transaction.
 * The recount methods are the full scans they replace: for `lms rebuild-aggregates` and the tests
 * that hold the maintained tables to a from-scratch count; never on a request.
 */
import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';

export interface ScoreCount { score: number; count: number }

export interface QuestionTally {
  scoIdentifier: string; questionId: string;
  /** Attempts that answered: each attempt's newest answer to the question (journaled retries count once). */
  answered: number; correct: number;
  /** Judged wrong: 1.2 'wrong', 2004 'incorrect', and 'unanticipated'. Neutral and numeric results are neither. */
  wrong: number;
  topWrongResponse: string | null; topWrongCount: number;
}

const WRONG_RESULTS = `('wrong', 'incorrect', 'unanticipated')`;

// Versions of a course share SCO identifiers: figures are per identifier and question.
const QUESTIONS_SQL = `WITH tallies AS (
    SELECT s.identifier AS sco, t.interaction_id AS question, SUM(t.answered) AS answered, SUM(t.correct) AS correct, SUM(t.wrong) AS wrong
    FROM question_tallies t JOIN scos s ON s.id = t.sco_id WHERE t.course_id = @courseId GROUP BY 1, 2 HAVING SUM(t.answered) > 0
  ), responses AS (
    SELECT s.identifier AS sco, r.interaction_id AS question, r.response, SUM(r.answers) AS n
    FROM question_wrong_responses r JOIN scos s ON s.id = r.sco_id WHERE r.course_id = @courseId GROUP BY 1, 2, 3
  ), ranked AS (
    SELECT sco, question, response, n, row_number() OVER (PARTITION BY sco, question ORDER BY n DESC, response) AS rank FROM responses WHERE n > 0
  )
  SELECT t.sco, t.question, t.answered, t.correct, t.wrong, w.response AS top_wrong, ifnull(w.n, 0) AS top_wrong_n
  FROM tallies t LEFT JOIN ranked w ON w.sco = t.sco AND w.question = t.question AND w.rank = 1
  ORDER BY t.sco, t.question`;

// The scan the tallies replace (the trainer page's query before issue 14).
const RECOUNT_QUESTIONS_SQL = `WITH answers AS (
    SELECT s.identifier AS sco, i.interaction_id AS question, i.response, i.result,
      row_number() OVER (PARTITION BY i.attempt_id, i.sco_id, i.interaction_id ORDER BY i.idx DESC) AS newest
    FROM enrollments e JOIN attempts a ON a.enrollment_id = e.id JOIN interactions i ON i.attempt_id = a.id JOIN scos s ON s.id = i.sco_id
    WHERE e.course_id = @courseId AND (i.response IS NOT NULL OR i.result IS NOT NULL)
  ), final AS (SELECT sco, question, response, result FROM answers WHERE newest = 1),
  wrong AS (
    SELECT sco, question, response, COUNT(*) AS n,
      row_number() OVER (PARTITION BY sco, question ORDER BY COUNT(*) DESC, response) AS rank
    FROM final WHERE result IN ${WRONG_RESULTS} AND response IS NOT NULL GROUP BY sco, question, response
  )
  SELECT f.sco, f.question, COUNT(*) AS answered, SUM(f.result = 'correct') AS correct, SUM(f.result IN ${WRONG_RESULTS}) AS wrong,
    w.response AS top_wrong, ifnull(w.n, 0) AS top_wrong_n
  FROM final f LEFT JOIN wrong w ON w.sco = f.sco AND w.question = f.question AND w.rank = 1
  GROUP BY f.sco, f.question ORDER BY f.sco, f.question`;

// The same recount for every course at once, as the migration's backfill does.
const REBUILD_SQL = [
  'DELETE FROM course_score_tallies',
  'DELETE FROM question_wrong_responses',
  'DELETE FROM question_tallies',
  'DELETE FROM question_finals',
  `INSERT INTO course_score_tallies (course_id, permille, attempts)
    SELECT e.course_id, CAST(round(a.score_scaled * 1000) AS INTEGER), COUNT(*)
    FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
    WHERE a.finished_at IS NOT NULL AND a.score_scaled IS NOT NULL GROUP BY 1, 2`,
  `INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
    SELECT attempt_id, sco_id, interaction_id, idx, course_id, response, result FROM (
      SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, e.course_id, i.response, i.result,
        row_number() OVER (PARTITION BY i.attempt_id, i.sco_id, i.interaction_id ORDER BY i.idx DESC) AS newest
      FROM interactions i JOIN attempts a ON a.id = i.attempt_id JOIN enrollments e ON e.id = a.enrollment_id
      WHERE i.response IS NOT NULL OR i.result IS NOT NULL
    ) WHERE newest = 1`,
  `INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
    SELECT course_id, sco_id, interaction_id, COUNT(*), SUM(result IS 'correct'), SUM(ifnull(result, '') IN ${WRONG_RESULTS})
    FROM question_finals GROUP BY course_id, sco_id, interaction_id`,
  `INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
    SELECT course_id, sco_id, interaction_id, response, COUNT(*) FROM question_finals
    WHERE ifnull(result, '') IN ${WRONG_RESULTS} AND response IS NOT NULL GROUP BY course_id, sco_id, interaction_id, response`,
  `UPDATE enrollments SET learner_no = ifnull((SELECT u.employee_no FROM users u WHERE u.id = enrollments.user_id), '')
    WHERE learner_no IS NOT ifnull((SELECT u.employee_no FROM users u WHERE u.id = enrollments.user_id), '')`,
];

export interface QuestionDbRow { sco: string; question: string; answered: number; correct: number | null; wrong: number | null; top_wrong: string | null; top_wrong_n: number }

export class CourseAggregatesRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db }) {
    const { db } = deps;
    this.stmts = {
      scores: db.prepare('SELECT permille, attempts FROM course_score_tallies WHERE course_id = ? AND attempts > 0 ORDER BY permille'),
      questions: db.prepare(QUESTIONS_SQL),
      recountScores: db.prepare(`SELECT CAST(round(a.score_scaled * 1000) AS INTEGER) AS permille, COUNT(*) AS attempts
        FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
        WHERE e.course_id = ? AND a.finished_at IS NOT NULL AND a.score_scaled IS NOT NULL GROUP BY 1 ORDER BY 1`),
      recountQuestions: db.prepare(RECOUNT_QUESTIONS_SQL),
    };
  }

  /** Finished attempts' scores (0–100, one decimal) with how many attempts had each. */
  async scoreCounts(courseId: number): Promise<ScoreCount[]> {
    return toScores(this.stmts.scores.all(courseId) as Array<{ permille: number; attempts: number }>);
  }

  async questionTallies(courseId: number): Promise<QuestionTally[]> {
    return (this.stmts.questions.all({ courseId }) as QuestionDbRow[]).map(toQuestion);
  }

  /** The full scan scoreCounts replaces. Not for requests: seconds on a big course. */
  async recountScoreCounts(courseId: number): Promise<ScoreCount[]> {
    return toScores(this.stmts.recountScores.all(courseId) as Array<{ permille: number; attempts: number }>);
  }

  /** The full scan questionTallies replaces. Not for requests: seconds on a big course. */
  async recountQuestionTallies(courseId: number): Promise<QuestionTally[]> {
    return (this.stmts.recountQuestions.all({ courseId }) as QuestionDbRow[]).map(toQuestion);
  }

  /** Recounts every maintained figure from the records, in one transaction (the CLI's rebuild-aggregates). */
  async rebuild(): Promise<void> {
    const { db } = this.deps;
    db.transaction(() => {
      for (const sql of REBUILD_SQL) db.prepare(sql).run();
    }).immediate();
  }
}

export function toScores(rows: Array<{ permille: number; attempts: number }>): ScoreCount[] {
  return rows.map((r) => ({ score: r.permille / 10, count: r.attempts }));
}

export function toQuestion(r: QuestionDbRow): QuestionTally {
  return {
    scoIdentifier: r.sco, questionId: r.question, answered: r.answered, correct: r.correct ?? 0, wrong: r.wrong ?? 0, // SUM of only NULLs is NULL
    topWrongResponse: r.top_wrong, topWrongCount: r.top_wrong_n,
  };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type CourseAggregatesStore = PublicOf<CourseAggregatesRepository>;
