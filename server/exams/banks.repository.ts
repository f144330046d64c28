import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { translateSqliteError } from '../db/sqlite-errors.js';
import { stemKey, type Question, type QuestionBank, type QuestionContent, type QuestionType } from './question.types.js';
import { CandidateCache, type Candidate, type RulePool, type VersionContent } from './draw-paper.js';

/** Parsed question versions kept for drawing papers (a few banks' worth). */
const VERSION_CACHE_SIZE = 20_000;

export interface QuestionRow {
  id: number; bank_id: number; status: 'active' | 'retired'; updated_at: string; version_id: number; number: number;
  type: QuestionType; stem: string; options_json: string; answer_json: string; explanation: string; tags_json: string; difficulty: number | null;
}

export const QUESTION_SELECT = `SELECT q.id, q.bank_id, q.status, q.updated_at, v.id AS version_id, v.number, v.type, v.stem, v.options_json, v.answer_json,
  v.explanation, v.tags_json, v.difficulty FROM questions q JOIN question_versions v ON v.id = q.current_version_id`;

/**
 * Question banks and their versioned questions. Each method is one transaction; changes write an
 * audit event in it. An import is staged in batches (status 'importing', invisible) and made
 * active in one short transaction, so a 5,000-question import never holds the loop for long and
 * still lands all at once or not at all.
 */
export class BanksRepository {
  private readonly stmts;
  /**
   * Draw candidates per bank, valid while the bank's updated_at is unchanged (every question change
   * touches it), with the ids each draw rule may pick from, filled as rules ask.
   */
  private readonly candidateCache = new CandidateCache();
  /**
   * Question versions as parsed for a paper, by version id: a version never changes once written
   * (an edit is a new version), so every paper that draws it can share one parse. Frozen, bounded.
   */
  private readonly versionCache = new Map<number, VersionContent>();

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date }) {
    const { db } = deps;
    this.stmts = {
      list: db.prepare(`SELECT b.*, (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id AND q.status = 'active') AS active_questions
        FROM question_banks b ORDER BY b.code LIMIT 500`),
      byCode: db.prepare(`SELECT b.*, (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id AND q.status = 'active') AS active_questions
        FROM question_banks b WHERE b.code = ?`),
      byId: db.prepare(`SELECT b.*, (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id AND q.status = 'active') AS active_questions
        FROM question_banks b WHERE b.id = ?`),
      insertBank: db.prepare('INSERT INTO question_banks (code, title, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
      touchBank: db.prepare(`UPDATE question_banks SET updated_at = CASE WHEN updated_at >= @now THEN strftime('%Y-%m-%dT%H:%M:%fZ', updated_at, '+0.001 seconds') ELSE @now END WHERE id = @bankId`),
      bankVersion: db.prepare('SELECT updated_at FROM question_banks WHERE id = ?').pluck(),
      bankOfQuestion: db.prepare('SELECT bank_id FROM questions WHERE id = ?').pluck(),
      questions: db.prepare(`${QUESTION_SELECT} WHERE q.bank_id = @bankId AND (@status IS NULL OR q.status = @status) AND q.status <> 'importing'
        AND q.id > @after ORDER BY q.id LIMIT @limit`),
      question: db.prepare(`${QUESTION_SELECT} WHERE q.id = ? AND q.status <> 'importing'`),
      stemKeys: db.prepare(`SELECT stem_key FROM questions WHERE bank_id = ? AND status = 'active'`).pluck(),
      insertQuestion: db.prepare(`INSERT INTO questions (bank_id, status, import_id, stem_key, difficulty, tags_json, created_at, updated_at)
        VALUES (@bankId, @status, @importId, @stemKey, @difficulty, @tagsJson, @now, @now)`),
      insertVersion: db.prepare(`INSERT INTO question_versions (question_id, number, type, stem, options_json, answer_json, explanation, tags_json, difficulty, created_by, created_at)
        VALUES (@questionId, (SELECT COALESCE(MAX(number), 0) + 1 FROM question_versions WHERE question_id = @questionId), @type, @stem, @optionsJson, @answerJson,
        @explanation, @tagsJson, @difficulty, @actorId, @now)`),
      setCurrent: db.prepare(`UPDATE questions SET current_version_id = @versionId, stem_key = @stemKey, difficulty = @difficulty, tags_json = @tagsJson, updated_at = @now
        WHERE id = @questionId`),
      retire: db.prepare(`UPDATE questions SET status = 'retired', updated_at = ? WHERE id = ? AND status = 'active'`),
      activateImport: db.prepare(`UPDATE questions SET status = 'active', import_id = NULL WHERE import_id = ?`),
      importedVersions: db.prepare(`DELETE FROM question_versions WHERE question_id IN (SELECT id FROM questions WHERE import_id = ?)`),
      importedQuestions: db.prepare('DELETE FROM questions WHERE import_id = ?'),
      candidates: db.prepare(`SELECT id, tags_json, difficulty FROM questions WHERE bank_id = ? AND status = 'active'`),
      // questionIds: a JSON list; one statement for a paper's worth.
      currentVersionIds: db.prepare(`SELECT q.id AS question_id, q.current_version_id AS version_id FROM json_each(?) j JOIN questions q ON q.id = j.value`),
      version: db.prepare(`SELECT question_id, id AS version_id, type, stem, options_json, answer_json, explanation, tags_json FROM question_versions WHERE id = ?`),
    };
  }

  async listBanks(): Promise<QuestionBank[]> {
    return (this.stmts.list.all() as BankRow[]).map(toBank);
  }

  async findBank(code: string): Promise<QuestionBank | null> {
    const row = this.stmts.byCode.get(code) as BankRow | undefined;
    return row ? toBank(row) : null;
  }

  async findBankById(id: number): Promise<QuestionBank | null> {
    const row = this.stmts.byId.get(id) as BankRow | undefined;
    return row ? toBank(row) : null;
  }

  async createBank(input: { code: string; title: string; actorId: number | null }): Promise<QuestionBank> {
    const { db, audit, now } = this.deps;
    try {
      const id = db.transaction(() => {
        const at = now().toISOString();
        const bankId = Number(this.stmts.insertBank.run(input.code, input.title, input.actorId, at, at).lastInsertRowid);
        audit.appendInTransaction({ actorId: input.actorId, action: 'question_bank.create', subject: `question_bank:${input.code}`, details: { title: input.title } });
        return bankId;
      }).immediate();
      return (await this.findBankById(id))!;
    } catch (error) {
      throw translateSqliteError(error, { code: 'code' });
    }
  }

  /** A page of questions in id order (status null: active and retired). */
  async listQuestions(bankId: number, options: { status?: 'active' | 'retired' | null; after?: number; limit?: number } = {}): Promise<Question[]> {
    const rows = this.stmts.questions.all({ bankId, status: options.status ?? null, after: options.after ?? 0, limit: options.limit ?? 100_000 }) as QuestionRow[];
    return rows.map(toQuestion);
  }

  async findQuestion(id: number): Promise<Question | null> {
    const row = this.stmts.question.get(id) as QuestionRow | undefined;
    return row ? toQuestion(row) : null;
  }

  async activeStemKeys(bankId: number): Promise<Set<string>> {
    return new Set(this.stmts.stemKeys.all(bankId) as string[]);
  }

  async addQuestion(bankId: number, content: QuestionContent, actorId: number | null): Promise<Question> {
    const { db, audit } = this.deps;
    try {
      const id = db.transaction(() => {
        const questionId = this.insertOne(bankId, content, actorId, 'active', null);
        this.stmts.touchBank.run({ now: this.deps.now().toISOString(), bankId });
        audit.appendInTransaction({ actorId, action: 'question.create', subject: `question:${questionId}`, details: { bankId, ...content } });
        return questionId;
      }).immediate();
      return (await this.findQuestion(id))!;
    } catch (error) {
      throw duplicateStem(error);
    }
  }

  /** A new version becomes current; earlier versions (and papers that showed them) stay as they were. */
  async editQuestion(questionId: number, content: QuestionContent, actorId: number | null): Promise<Question> {
    const { db, audit, now } = this.deps;
    try {
      db.transaction(() => {
        const at = now().toISOString();
        const versionId = this.insertVersion(questionId, content, actorId, at);
        this.stmts.setCurrent.run({ questionId, versionId, stemKey: stemKey(content.stem), difficulty: content.difficulty, tagsJson: JSON.stringify(content.tags), now: at });
        this.stmts.touchBank.run({ now: at, bankId: this.stmts.bankOfQuestion.get(questionId) });
        audit.appendInTransaction({ actorId, action: 'question.edit', subject: `question:${questionId}`, details: { versionId, ...content } });
      }).immediate();
      return (await this.findQuestion(questionId))!;
    } catch (error) {
      throw duplicateStem(error);
    }
  }

  async retireQuestion(questionId: number, actorId: number | null): Promise<boolean> {
    const { db, audit, now } = this.deps;
    return db.transaction(() => {
      const changed = this.stmts.retire.run(now().toISOString(), questionId).changes > 0;
      if (changed) this.stmts.touchBank.run({ now: now().toISOString(), bankId: this.stmts.bankOfQuestion.get(questionId) });
      if (changed) audit.appendInTransaction({ actorId, action: 'question.retire', subject: `question:${questionId}` });
      return changed;
    }).immediate();
  }

  /** Writes one batch of an import, invisible until `activateImport`. */
  async stageImport(importId: string, bankId: number, batch: readonly QuestionContent[], actorId: number | null): Promise<void> {
    this.deps.db.transaction(() => {
      for (const content of batch) this.insertOne(bankId, content, actorId, 'importing', importId);
    }).immediate();
  }

  /** Makes a staged import active, all at once; a stem that became a duplicate meanwhile fails it whole. */
  async activateImport(importId: string, bankId: number, actorId: number | null, details: Record<string, unknown>): Promise<number> {
    const { db, audit, now } = this.deps;
    try {
      return db.transaction(() => {
        const count = this.stmts.activateImport.run(importId).changes;
        this.stmts.touchBank.run({ now: now().toISOString(), bankId });
        const bank = this.stmts.byId.get(bankId) as BankRow;
        audit.appendInTransaction({ actorId, action: 'question_bank.import', subject: `question_bank:${bank.code}`, details: { ...details, imported: count } });
        return count;
      }).immediate();
    } catch (error) {
      throw duplicateStem(error);
    }
  }

  async discardImport(importId: string): Promise<void> {
    this.deps.db.transaction(() => {
      this.stmts.importedVersions.run(importId);
      this.stmts.importedQuestions.run(importId);
    }).immediate();
  }

  /** The active questions a paper may draw from (one narrow row each). */
  async candidates(bankId: number): Promise<Candidate[]> {
    return (await this.drawSource(bankId)).candidates;
  }

  /**
   * Candidates and the ids each rule may draw from. A 5,000-question bank costs a few ms to read
   * and parse, and about 1 ms to match against a rule: done once per bank change, not per paper.
   */
  async drawSource(bankId: number): Promise<{ candidates: Candidate[]; pool: RulePool }> {
    const version = this.stmts.bankVersion.get(bankId) as string | undefined;
    return this.candidateCache.source(bankId, version, async () => this.stmts.candidates.all(bankId) as Array<{ id: number; tags_json: string; difficulty: number | null }>);
  }

  async currentVersions(questionIds: readonly number[]): Promise<VersionContent[]> {
    const current = new Map((this.stmts.currentVersionIds.all(JSON.stringify(questionIds)) as Array<{ question_id: number; version_id: number }>)
      .map((r) => [r.question_id, r.version_id]));
    return questionIds.map((id) => {
      const versionId = current.get(id);
      if (versionId === undefined) throw new Error(`question ${id} has no current version`);
      return this.versionContent(versionId);
    });
  }

  private versionContent(versionId: number): VersionContent {
    const cached = this.versionCache.get(versionId);
    if (cached) return cached;
    const r = this.stmts.version.get(versionId) as { question_id: number; version_id: number; type: QuestionType; stem: string; options_json: string; answer_json: string; explanation: string; tags_json: string };
    const content: VersionContent = Object.freeze({
      questionId: r.question_id, versionId: r.version_id, type: r.type, stem: r.stem, options: Object.freeze(JSON.parse(r.options_json) as string[]),
      answer: Object.freeze(JSON.parse(r.answer_json) as string[]), explanation: r.explanation, tags: Object.freeze(JSON.parse(r.tags_json) as string[]),
    });
    if (this.versionCache.size >= VERSION_CACHE_SIZE) this.versionCache.clear(); // bounded: forgetting costs one read each
    this.versionCache.set(versionId, content);
    return content;
  }

  private insertOne(bankId: number, content: QuestionContent, actorId: number | null, status: 'active' | 'importing', importId: string | null): number {
    const at = this.deps.now().toISOString();
    const key = stemKey(content.stem);
    const tagsJson = JSON.stringify(content.tags);
    const questionId = Number(this.stmts.insertQuestion.run({ bankId, status, importId, stemKey: key, difficulty: content.difficulty, tagsJson, now: at }).lastInsertRowid);
    const versionId = this.insertVersion(questionId, content, actorId, at);
    this.stmts.setCurrent.run({ questionId, versionId, stemKey: key, difficulty: content.difficulty, tagsJson, now: at });
    return questionId;
  }

  private insertVersion(questionId: number, content: QuestionContent, actorId: number | null, at: string): number {
    return Number(this.stmts.insertVersion.run({
      questionId, type: content.type, stem: content.stem, optionsJson: JSON.stringify(content.options), answerJson: JSON.stringify(content.answer),
      explanation: content.explanation, tagsJson: JSON.stringify(content.tags), difficulty: content.difficulty, actorId, now: at,
    }).lastInsertRowid);
  }
}

export interface BankRow { id: number; code: string; title: string; created_at: string; updated_at: string; active_questions: number }

export function toBank(r: BankRow): QuestionBank {
  return { id: r.id, code: r.code, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at, activeQuestions: r.active_questions };
}

export function toQuestion(r: QuestionRow): Question {
  return {
    id: r.id, bankId: r.bank_id, status: r.status, versionId: r.version_id, versionNumber: r.number, updatedAt: r.updated_at,
    type: r.type, stem: r.stem, options: JSON.parse(r.options_json) as string[], answer: JSON.parse(r.answer_json) as string[],
    explanation: r.explanation, tags: JSON.parse(r.tags_json) as string[], difficulty: r.difficulty,
  };
}

function duplicateStem(error: unknown): unknown {
  const translated = translateSqliteError(error, { stem_key: 'stem' });
  if (translated !== error) {
    const conflict = translated as Error & { problems: Array<{ code: string; message: string; path: string }> };
    conflict.message = 'A question with the same text is already in this bank';
    conflict.problems = [{ code: 'DUPLICATE_STEM', message: conflict.message, path: 'stem' }];
  }
  return translated;
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type BanksStore = PublicOf<BanksRepository>;
