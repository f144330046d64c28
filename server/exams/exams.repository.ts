import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { PaperQuestion } from './draw-paper.js';
import type { ExamAttempt, ExamSettings, PaperEntry, ReviewPolicy } from './exam.types.js';
import type { ItemTally } from './item-analysis.js';
import { isAnswerCorrect, isPassing, responseKey, scoreOf } from './grade.js';

export interface AttemptRow {
  id: number; course_id: number; user_id: number; number: number; started_at: string; deadline: string; submitted_at: string | null;
  submitted_by: 'learner' | 'deadline' | null; question_count: number; correct_count: number | null; score: number | null;
  passed: number | null; pass_mark: number; review_policy: ReviewPolicy;
}
export interface PaperRow {
  attempt_id: number; question_id: number; position: number; version_id: number; type: PaperQuestion['type']; stem: string; options_json: string;
  correct_json: string; explanation: string; tags_json: string; answer_json: string | null; answered_at: string | null; is_correct: number | null;
}

export type StartOutcome = { kind: 'started'; attempt: ExamAttempt } | { kind: 'running'; attempt: ExamAttempt } | { kind: 'exhausted'; used: number };
export type SaveOutcome = 'saved' | 'not_in_paper' | 'submitted';

export interface ItemStatRow extends ItemTally {
  questionId: number; stem: string; type: PaperQuestion['type']; options: string[]; answer: string[]; tags: string[]; status: string;
  topWrong: { response: string; count: number } | null;
}

/**
 * Exam settings, attempts, papers and answers, and the item tallies. Answer saves and
 * submissions go through the group commit (like SCORM commits): many learners saving at once
 * share one transaction and one fsync, each in its own savepoint, answered once on disk.
 */
export class ExamsRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date; groupCommit: GroupCommit }) {
    const { db } = deps;
    this.stmts = {
      exam: db.prepare('SELECT * FROM course_exams WHERE course_id = ?'),
      upsertExam: db.prepare(`INSERT INTO course_exams (course_id, bank_id, rules_json, shuffle_questions, shuffle_options, pass_mark, time_limit_minutes,
        attempts_per_cycle, review_policy, requires_lessons, is_enabled, updated_by, updated_at)
        VALUES (@courseId, @bankId, @rulesJson, @shuffleQuestions, @shuffleOptions, @passMark, @timeLimitMinutes, @attemptsPerCycle, @reviewPolicy,
        @requiresLessons, @isEnabled, @actorId, @now)
        ON CONFLICT (course_id) DO UPDATE SET bank_id = excluded.bank_id, rules_json = excluded.rules_json, shuffle_questions = excluded.shuffle_questions,
        shuffle_options = excluded.shuffle_options, pass_mark = excluded.pass_mark, time_limit_minutes = excluded.time_limit_minutes,
        attempts_per_cycle = excluded.attempts_per_cycle, review_policy = excluded.review_policy, requires_lessons = excluded.requires_lessons,
        is_enabled = excluded.is_enabled, updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
      attempt: db.prepare('SELECT * FROM exam_attempts WHERE id = ?'),
      running: db.prepare('SELECT * FROM exam_attempts WHERE user_id = ? AND course_id = ? AND submitted_at IS NULL'),
      attemptsOf: db.prepare('SELECT * FROM exam_attempts WHERE user_id = ? AND course_id = ? ORDER BY number'),
      countSince: db.prepare('SELECT COUNT(*) FROM exam_attempts WHERE user_id = ? AND course_id = ? AND started_at > ?').pluck(),
      // Taking a course's exam enrolls the learner as launching its lessons does (a 'self' enrollment).
      enroll: db.prepare(`INSERT INTO enrollments (user_id, course_id, assigned_at, source) VALUES (?, ?, ?, 'self') ON CONFLICT (user_id, course_id) DO NOTHING`),
      insertAttempt: db.prepare(`INSERT INTO exam_attempts (course_id, user_id, number, started_at, deadline, question_count, pass_mark, review_policy)
        VALUES (@courseId, @userId, (SELECT COALESCE(MAX(number), 0) + 1 FROM exam_attempts WHERE user_id = @userId AND course_id = @courseId),
        @startedAt, @deadline, @questionCount, @passMark, @reviewPolicy)`),
      insertPaper: db.prepare(`INSERT INTO exam_attempt_questions (attempt_id, question_id, position, version_id, type, stem, options_json, correct_json, explanation, tags_json)
        VALUES (@attemptId, @questionId, @position, @versionId, @type, @stem, @optionsJson, @correctJson, @explanation, @tagsJson)`),
      paper: db.prepare('SELECT * FROM exam_attempt_questions WHERE attempt_id = ? ORDER BY position'),
      paperChoices: db.prepare('SELECT type, options_json FROM exam_attempt_questions WHERE attempt_id = ? AND question_id = ?'),
      saveAnswer: db.prepare(`UPDATE exam_attempt_questions SET answer_json = @answerJson, answered_at = @now
        WHERE attempt_id = @attemptId AND question_id = @questionId`),
      isRunning: db.prepare('SELECT submitted_at IS NULL FROM exam_attempts WHERE id = ?').pluck(),
      // A submission writes a whole paper's verdicts and tallies: one statement each over a JSON list, not one per question.
      gradePaper: db.prepare(`UPDATE exam_attempt_questions SET is_correct = (question_id IN (SELECT value FROM json_each(@rightIds)))
        WHERE attempt_id = @attemptId`),
      finish: db.prepare(`UPDATE exam_attempts SET submitted_at = @at, submitted_by = @by, correct_count = @correct, score = @score, passed = @passed
        WHERE id = @id AND submitted_at IS NULL`),
      // items: [[questionId, answered 0|1, correct 0|1], …]; a paper holds each question once.
      tallyPaper: db.prepare(`INSERT INTO exam_item_stats (course_id, question_id, shown, answered, correct, sum_score, sum_score_sq, sum_score_correct)
        SELECT @courseId, j.value ->> 0, 1, j.value ->> 1, j.value ->> 2, @score, @score * @score, @score * (j.value ->> 2) FROM json_each(@items) j WHERE true
        ON CONFLICT (course_id, question_id) DO UPDATE SET shown = shown + 1, answered = answered + excluded.answered, correct = correct + excluded.correct,
        sum_score = sum_score + excluded.sum_score, sum_score_sq = sum_score_sq + excluded.sum_score_sq, sum_score_correct = sum_score_correct + excluded.sum_score_correct`),
      // responses: [[questionId, 'AC'], …]
      tallyResponses: db.prepare(`INSERT INTO exam_item_responses (course_id, question_id, response, count)
        SELECT @courseId, j.value ->> 0, j.value ->> 1, 1 FROM json_each(@responses) j WHERE true
        ON CONFLICT (course_id, question_id, response) DO UPDATE SET count = count + 1`),
      expired: db.prepare('SELECT id FROM exam_attempts WHERE submitted_at IS NULL AND deadline < ? ORDER BY deadline LIMIT ?').pluck(),
      itemStats: db.prepare(`SELECT s.*, v.stem, v.type, v.options_json, v.answer_json, v.tags_json, q.status,
        (SELECT r.response || ':' || r.count FROM exam_item_responses r WHERE r.course_id = s.course_id AND r.question_id = s.question_id AND r.response <> ''
          AND r.response <> (SELECT group_concat(j.value, '') FROM json_each(v.answer_json) j) ORDER BY r.count DESC, r.response LIMIT 1) AS top_wrong
        FROM exam_item_stats s JOIN questions q ON q.id = s.question_id JOIN question_versions v ON v.id = q.current_version_id
        WHERE s.course_id = ? ORDER BY s.question_id LIMIT ?`),
      courseAttempts: db.prepare(`SELECT a.*, u.name AS user_name, u.employee_no FROM exam_attempts a JOIN users u ON u.id = a.user_id
        WHERE a.course_id = @courseId AND (@userId IS NULL OR a.user_id = @userId) ORDER BY a.id DESC LIMIT @limit`),
      passedSince: db.prepare(`SELECT * FROM exam_attempts WHERE user_id = ? AND course_id = ? AND passed = 1 AND started_at > ? ORDER BY submitted_at DESC LIMIT 1`),
      uncertifiedPasses: db.prepare(`SELECT a.* FROM exam_attempts a WHERE a.passed = 1 AND a.submitted_at >= ?
        AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.user_id = a.user_id AND c.course_id = a.course_id AND c.issued_at >= a.started_at)
        ORDER BY a.submitted_at`),
    };
  }

  async findExam(courseId: number): Promise<ExamSettings | null> {
    const r = this.stmts.exam.get(courseId) as ExamRow | undefined;
    return r ? toExam(r) : null;
  }

  async saveExam(settings: Omit<ExamSettings, 'updatedAt'>, actorId: number | null): Promise<ExamSettings> {
    const { db, audit, now } = this.deps;
    db.transaction(() => {
      this.stmts.upsertExam.run({
        courseId: settings.courseId, bankId: settings.bankId, rulesJson: JSON.stringify(settings.rules), shuffleQuestions: settings.shuffleQuestions ? 1 : 0,
        shuffleOptions: settings.shuffleOptions ? 1 : 0, passMark: settings.passMark, timeLimitMinutes: settings.timeLimitMinutes,
        attemptsPerCycle: settings.attemptsPerCycle, reviewPolicy: settings.reviewPolicy, requiresLessons: settings.requiresLessons ? 1 : 0,
        isEnabled: settings.isEnabled ? 1 : 0, actorId, now: now().toISOString(),
      });
      audit.appendInTransaction({ actorId, action: 'exam.settings', subject: `course:${settings.courseId}`, details: { ...settings } });
    }).immediate();
    return (await this.findExam(settings.courseId))!;
  }

  async findAttempt(id: number): Promise<ExamAttempt | null> {
    return toAttempt(this.stmts.attempt.get(id) as AttemptRow | undefined);
  }

  async runningAttempt(userId: number, courseId: number): Promise<ExamAttempt | null> {
    return toAttempt(this.stmts.running.get(userId, courseId) as AttemptRow | undefined);
  }

  async attemptsOf(userId: number, courseId: number): Promise<ExamAttempt[]> {
    return (this.stmts.attemptsOf.all(userId, courseId) as AttemptRow[]).map((r) => toAttempt(r)!);
  }

  /**
   * Starts a paper unless one is running (that one is returned: a second tab or device gets the
   * same paper) or the cycle's attempts are used up — decided inside the transaction, so two
   * tabs starting at once cannot get two papers or exceed the limit. Enrolls the learner in the
   * same transaction (one fsync for the lot).
   */
  async startAttempt(input: {
    courseId: number; userId: number; startedAt: string; deadline: string; passMark: number; reviewPolicy: ReviewPolicy;
    cycleStart: string | null; allowed: number | null; paper: () => Promise<PaperQuestion[]> | PaperQuestion[];
  }): Promise<StartOutcome> {
    const { groupCommit, audit } = this.deps;
    const check = (): StartOutcome | null => {
      const running = this.stmts.running.get(input.userId, input.courseId) as AttemptRow | undefined;
      if (running) return { kind: 'running', attempt: toAttempt(running)! };
      const used = this.stmts.countSince.get(input.userId, input.courseId, input.cycleStart ?? '') as number;
      if (input.allowed !== null && used >= input.allowed) return { kind: 'exhausted', used };
      return null;
    };
    const early = check();
    if (early) return early;
    const paper = await input.paper();
    // Through the group commit: learners starting together share one transaction and one fsync.
    return groupCommit.run((): StartOutcome => {
      const again = check();
      if (again) return again;
      this.stmts.enroll.run(input.userId, input.courseId, input.startedAt);
      const id = Number(this.stmts.insertAttempt.run({
        courseId: input.courseId, userId: input.userId, startedAt: input.startedAt, deadline: input.deadline,
        questionCount: paper.length, passMark: input.passMark, reviewPolicy: input.reviewPolicy,
      }).lastInsertRowid);
      paper.forEach((q, position) => this.stmts.insertPaper.run({
        attemptId: id, questionId: q.questionId, position, versionId: q.versionId, type: q.type, stem: q.stem,
        optionsJson: JSON.stringify(q.options), correctJson: JSON.stringify(q.correct), explanation: q.explanation, tagsJson: JSON.stringify(q.tags),
      }));
      audit.appendInTransaction({ actorId: input.userId, action: 'exam.start', subject: `exam_attempt:${id}`,
        details: { courseId: input.courseId, deadline: input.deadline, questions: paper.map((q) => q.versionId) } });
      return { kind: 'started', attempt: toAttempt(this.stmts.attempt.get(id) as AttemptRow)! };
    });
  }

  async paperOf(attemptId: number): Promise<PaperEntry[]> {
    return (this.stmts.paper.all(attemptId) as PaperRow[]).map(toEntry);
  }

  /** What checking an answer needs of a paper's question (every answer save asks): its type and option ids. */
  async paperChoices(attemptId: number, questionId: number): Promise<{ type: PaperQuestion['type']; optionIds: string[] } | null> {
    const row = this.stmts.paperChoices.get(attemptId, questionId) as Pick<PaperRow, 'type' | 'options_json'> | undefined;
    return row ? { type: row.type, optionIds: (JSON.parse(row.options_json) as PaperEntry['options']).map((o) => o.id) } : null;
  }

  /** Stores an answer as given, unless the attempt was submitted meanwhile. */
  async saveAnswer(attemptId: number, questionId: number, answer: readonly string[]): Promise<SaveOutcome> {
    const { groupCommit, now } = this.deps;
    return groupCommit.run((): SaveOutcome => {
      if (this.stmts.isRunning.get(attemptId) !== 1) return 'submitted';
      const changes = this.stmts.saveAnswer.run({ attemptId, questionId, answerJson: JSON.stringify(answer), now: now().toISOString() }).changes;
      return changes === 1 ? 'saved' : 'not_in_paper';
    });
  }

  /**
   * Grades and closes an attempt as it stands, adds to the item tallies and writes the audit event,
   * all in one transaction; an attempt already submitted is returned as it is (idempotent). The
   * graded paper comes back with it (the result page shows it), and whether this call closed it.
   */
  async submitAttempt(attemptId: number, by: 'learner' | 'deadline'): Promise<{ attempt: ExamAttempt; paper: PaperEntry[]; closedNow: boolean }> {
    const { groupCommit, audit, now } = this.deps;
    return groupCommit.run(() => {
      const attempt = toAttempt(this.stmts.attempt.get(attemptId) as AttemptRow)!;
      const paper = (this.stmts.paper.all(attemptId) as PaperRow[]).map(toEntry);
      if (attempt.submittedAt) return { attempt, paper, closedNow: false };
      const verdicts = paper.map((q) => isAnswerCorrect(q.answer, q.correct));
      const correct = verdicts.filter(Boolean).length;
      const score = scoreOf(correct, paper.length);
      const passed = isPassing(score, attempt.passMark);
      const at = now().toISOString();
      paper.forEach((q, i) => { q.isCorrect = verdicts[i]; });
      this.stmts.gradePaper.run({ attemptId, rightIds: JSON.stringify(paper.filter((q) => q.isCorrect).map((q) => q.questionId)) });
      const { courseId } = attempt;
      this.stmts.tallyPaper.run({ courseId, score,
        items: JSON.stringify(paper.map((q) => [q.questionId, q.answer && q.answer.length > 0 ? 1 : 0, q.isCorrect ? 1 : 0])) });
      this.stmts.tallyResponses.run({ courseId, responses: JSON.stringify(paper.map((q) => [q.questionId, responseKey(q.answer, q.options)])) });
      this.stmts.finish.run({ id: attemptId, at, by, correct, score, passed: passed ? 1 : 0 });
      audit.appendInTransaction({ actorId: by === 'learner' ? attempt.userId : null, action: 'exam.submit', subject: `exam_attempt:${attemptId}`,
        details: { courseId: attempt.courseId, userId: attempt.userId, by, correct, questions: paper.length, score, passed,
          answers: paper.map((q) => [q.questionId, q.answer]) } });
      return { attempt: { ...attempt, submittedAt: at, submittedBy: by, correctCount: correct, score, passed }, paper, closedNow: true };
    });
  }

  /** Running attempts whose deadline (with grace) passed before `beforeIso`, oldest first. */
  async expiredAttemptIds(beforeIso: string, limit = 500): Promise<number[]> {
    return this.stmts.expired.all(beforeIso, limit) as number[];
  }

  async itemStats(courseId: number, limit = 2000): Promise<ItemStatRow[]> {
    return (this.stmts.itemStats.all(courseId, limit) as Array<{
      question_id: number; shown: number; answered: number; correct: number; sum_score: number; sum_score_sq: number; sum_score_correct: number;
      stem: string; type: PaperQuestion['type']; options_json: string; answer_json: string; tags_json: string; status: string; top_wrong: string | null;
    }>).map(toItemStat);
  }

  async courseAttempts(courseId: number, userId: number | null, limit = 100): Promise<Array<ExamAttempt & { userName: string; employeeNo: string | null }>> {
    return (this.stmts.courseAttempts.all({ courseId, userId, limit }) as Array<AttemptRow & { user_name: string; employee_no: string | null }>)
      .map((r) => ({ ...toAttempt(r)!, userName: r.user_name, employeeNo: r.employee_no }));
  }

  /** The latest passed attempt started after the cycle began (null start: any). */
  async passedSince(userId: number, courseId: number, cycleStart: string | null): Promise<ExamAttempt | null> {
    return toAttempt(this.stmts.passedSince.get(userId, courseId, cycleStart ?? '') as AttemptRow | undefined);
  }

  async countSince(userId: number, courseId: number, cycleStart: string | null): Promise<number> {
    return this.stmts.countSince.get(userId, courseId, cycleStart ?? '') as number;
  }

  /** Passed attempts since a moment with no certificate issued after they started (for the daily reconcile). */
  async uncertifiedPasses(sinceIso: string): Promise<ExamAttempt[]> {
    return (this.stmts.uncertifiedPasses.all(sinceIso) as AttemptRow[]).map((r) => toAttempt(r)!);
  }
}

export interface ExamRow {
  course_id: number; bank_id: number; rules_json: string; shuffle_questions: number; shuffle_options: number; pass_mark: number;
  time_limit_minutes: number; attempts_per_cycle: number | null; review_policy: ReviewPolicy; requires_lessons: number; is_enabled: number; updated_at: string;
}

export function toExam(r: ExamRow): ExamSettings {
  return {
    courseId: r.course_id, bankId: r.bank_id, rules: JSON.parse(r.rules_json) as ExamSettings['rules'], shuffleQuestions: r.shuffle_questions === 1,
    shuffleOptions: r.shuffle_options === 1, passMark: r.pass_mark, timeLimitMinutes: r.time_limit_minutes, attemptsPerCycle: r.attempts_per_cycle,
    reviewPolicy: r.review_policy, requiresLessons: r.requires_lessons === 1, isEnabled: r.is_enabled === 1, updatedAt: r.updated_at,
  };
}

export function toAttempt(r: AttemptRow | undefined): ExamAttempt | null {
  if (!r) return null;
  return {
    id: r.id, courseId: r.course_id, userId: r.user_id, number: r.number, startedAt: r.started_at, deadline: r.deadline, submittedAt: r.submitted_at,
    submittedBy: r.submitted_by, questionCount: r.question_count, correctCount: r.correct_count, score: r.score,
    passed: r.passed === null ? null : r.passed === 1, passMark: r.pass_mark, reviewPolicy: r.review_policy,
  };
}

export function toEntry(r: PaperRow): PaperEntry {
  return {
    questionId: r.question_id, position: r.position, versionId: r.version_id, type: r.type, stem: r.stem,
    options: JSON.parse(r.options_json) as PaperEntry['options'], correct: JSON.parse(r.correct_json) as string[], explanation: r.explanation,
    tags: JSON.parse(r.tags_json) as string[], answer: r.answer_json === null ? null : JSON.parse(r.answer_json) as string[],
    answeredAt: r.answered_at, isCorrect: r.is_correct === null ? null : r.is_correct === 1,
  };
}

export interface ItemStatDbRow {
  question_id: number; shown: number; answered: number; correct: number; sum_score: number; sum_score_sq: number; sum_score_correct: number;
  stem: string; type: PaperQuestion['type']; options_json: string; answer_json: string; tags_json: string; status: string; top_wrong: string | null;
}

export function toItemStat(r: ItemStatDbRow): ItemStatRow {
  const sep = r.top_wrong?.lastIndexOf(':') ?? -1;
  return {
    questionId: r.question_id, shown: r.shown, answered: r.answered, correct: r.correct, sumScore: r.sum_score, sumScoreSq: r.sum_score_sq,
    sumScoreCorrect: r.sum_score_correct, stem: r.stem, type: r.type, options: JSON.parse(r.options_json) as string[],
    answer: JSON.parse(r.answer_json) as string[], tags: JSON.parse(r.tags_json) as string[], status: r.status,
    topWrong: r.top_wrong && sep > 0 ? { response: r.top_wrong.slice(0, sep), count: Number(r.top_wrong.slice(sep + 1)) } : null,
  };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type ExamsStore = PublicOf<ExamsRepository>;
