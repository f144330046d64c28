import type { PgClient, PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import type { PaperQuestion } from './draw-paper.js';
import type { ExamAttempt, ExamSettings, PaperEntry, ReviewPolicy } from './exam.types.js';
import { isAnswerCorrect, isPassing, responseKey, scoreOf } from './grade.js';
import {
  toAttempt, toEntry, toExam, toItemStat,
  type AttemptRow, type ExamRow, type ExamsStore, type ItemStatDbRow, type ItemStatRow, type PaperRow, type SaveOutcome, type StartOutcome,
} from './exams.repository.js';

/** Two-key advisory locks live apart from the single-key ones (migrations, daily job): this space is one learner's exam of one course. */
const lockExamOf = (client: PgClient, userId: number, courseId: number) => client.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [userId, courseId]);

/**
 * Exams on PostgreSQL (see exams.repository.ts). Each save and submit is its own transaction
 * (no group commit; PostgreSQL groups concurrent WAL flushes itself). A start holds a transaction
 * advisory lock on (learner, course), so two tabs on two nodes cannot both start a paper; a save
 * shares, and a submit takes, the attempt row's lock, so no answer lands after grading.
 */
export class PgExamsRepository implements ExamsStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  async findExam(courseId: number): Promise<ExamSettings | null> {
    const r = (await this.deps.pool.query<ExamRow>('SELECT * FROM course_exams WHERE course_id = $1', [courseId])).rows[0];
    return r ? toExam(r) : null;
  }

  async saveExam(settings: Omit<ExamSettings, 'updatedAt'>, actorId: number | null): Promise<ExamSettings> {
    const { pool, audit, now } = this.deps;
    await transaction(pool, async (client) => {
      await client.query(`INSERT INTO course_exams (course_id, bank_id, rules_json, shuffle_questions, shuffle_options, pass_mark, time_limit_minutes,
        attempts_per_cycle, review_policy, requires_lessons, is_enabled, updated_by, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (course_id) DO UPDATE SET bank_id = excluded.bank_id, rules_json = excluded.rules_json, shuffle_questions = excluded.shuffle_questions,
        shuffle_options = excluded.shuffle_options, pass_mark = excluded.pass_mark, time_limit_minutes = excluded.time_limit_minutes,
        attempts_per_cycle = excluded.attempts_per_cycle, review_policy = excluded.review_policy, requires_lessons = excluded.requires_lessons,
        is_enabled = excluded.is_enabled, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [settings.courseId, settings.bankId, JSON.stringify(settings.rules), settings.shuffleQuestions ? 1 : 0, settings.shuffleOptions ? 1 : 0, settings.passMark,
        settings.timeLimitMinutes, settings.attemptsPerCycle, settings.reviewPolicy, settings.requiresLessons ? 1 : 0, settings.isEnabled ? 1 : 0, actorId, now().toISOString()]);
      await audit.appendWith(client, { actorId, action: 'exam.settings', subject: `course:${settings.courseId}`, details: { ...settings } });
    });
    return (await this.findExam(settings.courseId))!;
  }

  async findAttempt(id: number): Promise<ExamAttempt | null> {
    return toAttempt((await this.deps.pool.query<AttemptRow>('SELECT * FROM exam_attempts WHERE id = $1', [id])).rows[0]);
  }

  async runningAttempt(userId: number, courseId: number): Promise<ExamAttempt | null> {
    return toAttempt((await this.deps.pool.query<AttemptRow>('SELECT * FROM exam_attempts WHERE user_id = $1 AND course_id = $2 AND submitted_at IS NULL', [userId, courseId])).rows[0]);
  }

  async attemptsOf(userId: number, courseId: number): Promise<ExamAttempt[]> {
    return (await this.deps.pool.query<AttemptRow>('SELECT * FROM exam_attempts WHERE user_id = $1 AND course_id = $2 ORDER BY number', [userId, courseId])).rows.map((r) => toAttempt(r)!);
  }

  async startAttempt(input: {
    courseId: number; userId: number; startedAt: string; deadline: string; passMark: number; reviewPolicy: ReviewPolicy;
    cycleStart: string | null; allowed: number | null; paper: () => Promise<PaperQuestion[]> | PaperQuestion[];
  }): Promise<StartOutcome> {
    const { pool, audit } = this.deps;
    const check = async (client: Pick<PgClient, 'query'>): Promise<StartOutcome | null> => {
      const running = (await client.query<AttemptRow>('SELECT * FROM exam_attempts WHERE user_id = $1 AND course_id = $2 AND submitted_at IS NULL', [input.userId, input.courseId])).rows[0];
      if (running) return { kind: 'running', attempt: toAttempt(running)! };
      const used = await this.countOn(client, input.userId, input.courseId, input.cycleStart);
      if (input.allowed !== null && used >= input.allowed) return { kind: 'exhausted', used };
      return null;
    };
    const early = await check(pool);
    if (early) return early;
    const paper = await input.paper();
    return transaction(pool, async (client): Promise<StartOutcome> => {
      await lockExamOf(client, input.userId, input.courseId);
      const again = await check(client);
      if (again) return again;
      await client.query(`INSERT INTO enrollments (user_id, course_id, assigned_at, source) VALUES ($1, $2, $3, 'self') ON CONFLICT (user_id, course_id) DO NOTHING`,
        [input.userId, input.courseId, input.startedAt]);
      const row = (await client.query<AttemptRow>(`INSERT INTO exam_attempts (course_id, user_id, number, started_at, deadline, question_count, pass_mark, review_policy)
        VALUES ($1, $2, (SELECT COALESCE(MAX(number), 0) + 1 FROM exam_attempts WHERE user_id = $2 AND course_id = $1), $3, $4, $5, $6, $7) RETURNING *`,
      [input.courseId, input.userId, input.startedAt, input.deadline, paper.length, input.passMark, input.reviewPolicy])).rows[0];
      for (const [position, q] of paper.entries()) {
        await client.query(`INSERT INTO exam_attempt_questions (attempt_id, question_id, position, version_id, type, stem, options_json, correct_json, explanation, tags_json)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [row.id, q.questionId, position, q.versionId, q.type, q.stem, JSON.stringify(q.options), JSON.stringify(q.correct), q.explanation, JSON.stringify(q.tags)]);
      }
      await audit.appendWith(client, { actorId: input.userId, action: 'exam.start', subject: `exam_attempt:${row.id}`,
        details: { courseId: input.courseId, deadline: input.deadline, questions: paper.map((q) => q.versionId) } });
      return { kind: 'started', attempt: toAttempt(row)! };
    });
  }

  async paperOf(attemptId: number): Promise<PaperEntry[]> {
    return (await this.deps.pool.query<PaperRow>('SELECT * FROM exam_attempt_questions WHERE attempt_id = $1 ORDER BY position', [attemptId])).rows.map(toEntry);
  }

  /** What checking an answer needs of a paper's question (every answer save asks): its type and option ids. */
  async paperChoices(attemptId: number, questionId: number): Promise<{ type: PaperQuestion['type']; optionIds: string[] } | null> {
    const row = (await this.deps.pool.query<Pick<PaperRow, 'type' | 'options_json'>>(
      'SELECT type, options_json FROM exam_attempt_questions WHERE attempt_id = $1 AND question_id = $2', [attemptId, questionId])).rows[0];
    return row ? { type: row.type, optionIds: (JSON.parse(row.options_json) as PaperEntry['options']).map((o) => o.id) } : null;
  }

  async paperEntry(attemptId: number, questionId: number): Promise<PaperEntry | null> {
    const row = (await this.deps.pool.query<PaperRow>('SELECT * FROM exam_attempt_questions WHERE attempt_id = $1 AND question_id = $2', [attemptId, questionId])).rows[0];
    return row ? toEntry(row) : null;
  }

  async saveAnswer(attemptId: number, questionId: number, answer: readonly string[]): Promise<SaveOutcome> {
    const { pool, now } = this.deps;
    return transaction(pool, async (client): Promise<SaveOutcome> => {
      const running = (await client.query<{ running: boolean }>('SELECT submitted_at IS NULL AS running FROM exam_attempts WHERE id = $1 FOR SHARE', [attemptId])).rows[0];
      if (!running?.running) return 'submitted';
      const changes = (await client.query('UPDATE exam_attempt_questions SET answer_json = $1, answered_at = $2 WHERE attempt_id = $3 AND question_id = $4',
        [JSON.stringify(answer), now().toISOString(), attemptId, questionId])).rowCount;
      return changes === 1 ? 'saved' : 'not_in_paper';
    });
  }

  async submitAttempt(attemptId: number, by: 'learner' | 'deadline'): Promise<{ attempt: ExamAttempt; paper: PaperEntry[]; closedNow: boolean }> {
    const { pool, audit, now } = this.deps;
    return transaction(pool, async (client) => {
      const attempt = toAttempt((await client.query<AttemptRow>('SELECT * FROM exam_attempts WHERE id = $1 FOR UPDATE', [attemptId])).rows[0])!;
      const paper = (await client.query<PaperRow>('SELECT * FROM exam_attempt_questions WHERE attempt_id = $1 ORDER BY position', [attemptId])).rows.map(toEntry);
      if (attempt.submittedAt) return { attempt, paper, closedNow: false };
      const verdicts = paper.map((q) => isAnswerCorrect(q.answer, q.correct));
      const correct = verdicts.filter(Boolean).length;
      const score = scoreOf(correct, paper.length);
      const passed = isPassing(score, attempt.passMark);
      const at = now().toISOString();
      paper.forEach((q, i) => { q.isCorrect = verdicts[i]; });
      for (const [i, q] of paper.entries()) {
        const isCorrect = verdicts[i] ? 1 : 0;
        await client.query('UPDATE exam_attempt_questions SET is_correct = $1 WHERE attempt_id = $2 AND question_id = $3', [isCorrect, attemptId, q.questionId]);
        await client.query(`INSERT INTO exam_item_stats (course_id, question_id, shown, answered, correct, sum_score, sum_score_sq, sum_score_correct)
          VALUES ($1, $2, 1, $3, $4, $5, $6, $7)
          ON CONFLICT (course_id, question_id) DO UPDATE SET shown = exam_item_stats.shown + 1, answered = exam_item_stats.answered + excluded.answered,
          correct = exam_item_stats.correct + excluded.correct, sum_score = exam_item_stats.sum_score + excluded.sum_score,
          sum_score_sq = exam_item_stats.sum_score_sq + excluded.sum_score_sq, sum_score_correct = exam_item_stats.sum_score_correct + excluded.sum_score_correct`,
        [attempt.courseId, q.questionId, q.answer && q.answer.length > 0 ? 1 : 0, isCorrect, score, score * score, score * isCorrect]);
        await client.query(`INSERT INTO exam_item_responses (course_id, question_id, response, count) VALUES ($1, $2, $3, 1)
          ON CONFLICT (course_id, question_id, response) DO UPDATE SET count = exam_item_responses.count + 1`, [attempt.courseId, q.questionId, responseKey(q.answer, q.options)]);
      }
      const after = (await client.query<AttemptRow>(`UPDATE exam_attempts SET submitted_at = $2, submitted_by = $3, correct_count = $4, score = $5, passed = $6
        WHERE id = $1 RETURNING *`, [attemptId, at, by, correct, score, passed ? 1 : 0])).rows[0];
      await audit.appendWith(client, { actorId: by === 'learner' ? attempt.userId : null, action: 'exam.submit', subject: `exam_attempt:${attemptId}`,
        details: { courseId: attempt.courseId, userId: attempt.userId, by, correct, questions: paper.length, score, passed,
          answers: paper.map((q) => [q.questionId, q.answer]) } });
      return { attempt: toAttempt(after)!, paper, closedNow: true };
    });
  }

  async expiredAttemptIds(beforeIso: string, limit = 500): Promise<number[]> {
    return (await this.deps.pool.query<{ id: number }>('SELECT id FROM exam_attempts WHERE submitted_at IS NULL AND deadline < $1 ORDER BY deadline LIMIT $2', [beforeIso, limit])).rows.map((r) => r.id);
  }

  async itemStats(courseId: number, limit = 2000): Promise<ItemStatRow[]> {
    return (await this.deps.pool.query<ItemStatDbRow>(`SELECT s.*, v.stem, v.type, v.options_json, v.answer_json, v.tags_json, q.status,
        (SELECT r.response || ':' || r.count FROM exam_item_responses r WHERE r.course_id = s.course_id AND r.question_id = s.question_id AND r.response <> ''
          AND r.response <> (SELECT COALESCE(string_agg(j.value, '' ORDER BY j.n), '') FROM json_array_elements_text(v.answer_json::json) WITH ORDINALITY AS j(value, n))
          ORDER BY r.count DESC, r.response LIMIT 1) AS top_wrong
        FROM exam_item_stats s JOIN questions q ON q.id = s.question_id JOIN question_versions v ON v.id = q.current_version_id
        WHERE s.course_id = $1 ORDER BY s.question_id LIMIT $2`, [courseId, limit])).rows.map(toItemStat);
  }

  async courseAttempts(courseId: number, userId: number | null, limit = 100): Promise<Array<ExamAttempt & { userName: string; employeeNo: string | null }>> {
    const { rows } = await this.deps.pool.query<AttemptRow & { user_name: string; employee_no: string | null }>(`SELECT a.*, u.name AS user_name, u.employee_no
      FROM exam_attempts a JOIN users u ON u.id = a.user_id WHERE a.course_id = $1 AND ($2::integer IS NULL OR a.user_id = $2) ORDER BY a.id DESC LIMIT $3`, [courseId, userId, limit]);
    return rows.map((r) => ({ ...toAttempt(r)!, userName: r.user_name, employeeNo: r.employee_no }));
  }

  async passedSince(userId: number, courseId: number, cycleStart: string | null): Promise<ExamAttempt | null> {
    return toAttempt((await this.deps.pool.query<AttemptRow>(`SELECT * FROM exam_attempts WHERE user_id = $1 AND course_id = $2 AND passed = 1 AND started_at > $3
      ORDER BY submitted_at DESC LIMIT 1`, [userId, courseId, cycleStart ?? ''])).rows[0]);
  }

  async countSince(userId: number, courseId: number, cycleStart: string | null): Promise<number> {
    return this.countOn(this.deps.pool, userId, courseId, cycleStart);
  }

  private async countOn(client: Pick<PgClient, 'query'>, userId: number, courseId: number, cycleStart: string | null): Promise<number> {
    return (await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM exam_attempts WHERE user_id = $1 AND course_id = $2 AND started_at > $3', [userId, courseId, cycleStart ?? ''])).rows[0].n;
  }

  async uncertifiedPasses(sinceIso: string): Promise<ExamAttempt[]> {
    return (await this.deps.pool.query<AttemptRow>(`SELECT a.* FROM exam_attempts a WHERE a.passed = 1 AND a.submitted_at >= $1
      AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.user_id = a.user_id AND c.course_id = a.course_id AND c.issued_at >= a.started_at)
      ORDER BY a.submitted_at`, [sinceIso])).rows.map((r) => toAttempt(r)!);
  }
}
