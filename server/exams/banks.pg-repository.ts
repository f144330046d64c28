import type { PgClient, PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import { translatePgError } from '../db/postgres/pg-errors.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import { stemKey, type Question, type QuestionBank, type QuestionContent, type QuestionType } from './question.types.js';
import { CandidateCache, type Candidate, type RulePool, type VersionContent } from './draw-paper.js';
import { QUESTION_SELECT, toBank, toQuestion, type BanksStore, type BankRow, type QuestionRow } from './banks.repository.js';

const BANK_SELECT = `SELECT b.*, (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id AND q.status = 'active') AS active_questions FROM question_banks b`;

/**
 * Question banks on PostgreSQL (see banks.repository.ts). Every change first locks its bank's row
 * and moves the bank's updated_at on (at least 1 ms past the last, whichever node wrote it), in the
 * transaction of the change: writes to one bank apply in turn across nodes, and each node's draw
 * candidate cache, keyed by that updated_at, notices another node's change on its next read.
 */
export class PgBanksRepository implements BanksStore {
  /** Draw candidates per bank, valid while the bank's updated_at is unchanged (per node). */
  private readonly candidateCache = new CandidateCache();

  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  async listBanks(): Promise<QuestionBank[]> {
    return (await this.deps.pool.query<BankRow>(`${BANK_SELECT} ORDER BY b.code LIMIT 500`)).rows.map(toBank);
  }

  async findBank(code: string): Promise<QuestionBank | null> {
    const row = (await this.deps.pool.query<BankRow>(`${BANK_SELECT} WHERE b.code = $1`, [code])).rows[0];
    return row ? toBank(row) : null;
  }

  async findBankById(id: number): Promise<QuestionBank | null> {
    const row = (await this.deps.pool.query<BankRow>(`${BANK_SELECT} WHERE b.id = $1`, [id])).rows[0];
    return row ? toBank(row) : null;
  }

  async createBank(input: { code: string; title: string; actorId: number | null }): Promise<QuestionBank> {
    const { pool, audit, now } = this.deps;
    try {
      const id = await transaction(pool, async (client) => {
        const at = now().toISOString();
        const bankId = (await client.query<{ id: number }>('INSERT INTO question_banks (code, title, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id',
          [input.code, input.title, input.actorId, at])).rows[0].id;
        await audit.appendWith(client, { actorId: input.actorId, action: 'question_bank.create', subject: `question_bank:${input.code}`, details: { title: input.title } });
        return bankId;
      });
      return (await this.findBankById(id))!;
    } catch (error) {
      throw translatePgError(error, { code: 'code' });
    }
  }

  async listQuestions(bankId: number, options: { status?: 'active' | 'retired' | null; after?: number; limit?: number } = {}): Promise<Question[]> {
    const { rows } = await this.deps.pool.query<QuestionRow>(`${QUESTION_SELECT} WHERE q.bank_id = $1 AND ($2::text IS NULL OR q.status = $2) AND q.status <> 'importing'
      AND q.id > $3 ORDER BY q.id LIMIT $4`, [bankId, options.status ?? null, options.after ?? 0, options.limit ?? 100_000]);
    return rows.map(toQuestion);
  }

  async findQuestion(id: number): Promise<Question | null> {
    const row = (await this.deps.pool.query<QuestionRow>(`${QUESTION_SELECT} WHERE q.id = $1 AND q.status <> 'importing'`, [id])).rows[0];
    return row ? toQuestion(row) : null;
  }

  async activeStemKeys(bankId: number): Promise<Set<string>> {
    const { rows } = await this.deps.pool.query<{ stem_key: string }>(`SELECT stem_key FROM questions WHERE bank_id = $1 AND status = 'active'`, [bankId]);
    return new Set(rows.map((r) => r.stem_key));
  }

  async addQuestion(bankId: number, content: QuestionContent, actorId: number | null): Promise<Question> {
    const { pool, audit } = this.deps;
    try {
      const id = await transaction(pool, async (client) => {
        await this.touchBank(client, bankId);
        const questionId = await this.insertOne(client, bankId, content, actorId, 'active', null);
        await audit.appendWith(client, { actorId, action: 'question.create', subject: `question:${questionId}`, details: { bankId, ...content } });
        return questionId;
      });
      return (await this.findQuestion(id))!;
    } catch (error) {
      throw duplicateStem(error);
    }
  }

  async editQuestion(questionId: number, content: QuestionContent, actorId: number | null): Promise<Question> {
    const { pool, audit, now } = this.deps;
    try {
      await transaction(pool, async (client) => {
        const at = now().toISOString();
        const bankId = (await client.query<{ bank_id: number }>('SELECT bank_id FROM questions WHERE id = $1', [questionId])).rows[0]?.bank_id;
        if (bankId !== undefined) await this.touchBank(client, bankId);
        // The question's row lock numbers its versions in turn when two nodes edit it at once.
        await client.query('SELECT 1 FROM questions WHERE id = $1 FOR UPDATE', [questionId]);
        const versionId = await this.insertVersion(client, questionId, content, actorId, at);
        await client.query('UPDATE questions SET current_version_id = $2, stem_key = $3, difficulty = $4, tags_json = $5, updated_at = $6 WHERE id = $1',
          [questionId, versionId, stemKey(content.stem), content.difficulty, JSON.stringify(content.tags), at]);
        await audit.appendWith(client, { actorId, action: 'question.edit', subject: `question:${questionId}`, details: { versionId, ...content } });
      });
      return (await this.findQuestion(questionId))!;
    } catch (error) {
      throw duplicateStem(error);
    }
  }

  async retireQuestion(questionId: number, actorId: number | null): Promise<boolean> {
    const { pool, audit, now } = this.deps;
    return transaction(pool, async (client) => {
      const bankId = (await client.query<{ bank_id: number }>('SELECT bank_id FROM questions WHERE id = $1', [questionId])).rows[0]?.bank_id;
      if (bankId === undefined) return false;
      await client.query('SELECT 1 FROM question_banks WHERE id = $1 FOR NO KEY UPDATE', [bankId]);
      const changed = ((await client.query(`UPDATE questions SET status = 'retired', updated_at = $1 WHERE id = $2 AND status = 'active'`, [now().toISOString(), questionId])).rowCount ?? 0) > 0;
      if (changed) {
        await this.touchBank(client, bankId);
        await audit.appendWith(client, { actorId, action: 'question.retire', subject: `question:${questionId}` });
      }
      return changed;
    });
  }

  async stageImport(importId: string, bankId: number, batch: readonly QuestionContent[], actorId: number | null): Promise<void> {
    await transaction(this.deps.pool, async (client) => {
      for (const content of batch) await this.insertOne(client, bankId, content, actorId, 'importing', importId);
    });
  }

  async activateImport(importId: string, bankId: number, actorId: number | null, details: Record<string, unknown>): Promise<number> {
    const { pool, audit } = this.deps;
    try {
      return await transaction(pool, async (client) => {
        await this.touchBank(client, bankId);
        const count = (await client.query(`UPDATE questions SET status = 'active', import_id = NULL WHERE import_id = $1`, [importId])).rowCount ?? 0;
        const code = (await client.query<{ code: string }>('SELECT code FROM question_banks WHERE id = $1', [bankId])).rows[0].code;
        await audit.appendWith(client, { actorId, action: 'question_bank.import', subject: `question_bank:${code}`, details: { ...details, imported: count } });
        return count;
      });
    } catch (error) {
      throw duplicateStem(error);
    }
  }

  async discardImport(importId: string): Promise<void> {
    await transaction(this.deps.pool, async (client) => {
      await client.query('DELETE FROM question_versions WHERE question_id IN (SELECT id FROM questions WHERE import_id = $1)', [importId]);
      await client.query('DELETE FROM questions WHERE import_id = $1', [importId]);
    });
  }

  async candidates(bankId: number): Promise<Candidate[]> {
    return (await this.drawSource(bankId)).candidates;
  }

  /** Candidates and the ids each rule may draw from, matched once per bank change (as the SQLite twin). */
  async drawSource(bankId: number): Promise<{ candidates: Candidate[]; pool: RulePool }> {
    const { pool } = this.deps;
    // The version is read before the rows: a change committed in between only costs one more read next time.
    const version = (await pool.query<{ updated_at: string }>('SELECT updated_at FROM question_banks WHERE id = $1', [bankId])).rows[0]?.updated_at;
    return this.candidateCache.source(bankId, version, async () => (await pool.query<{ id: number; tags_json: string; difficulty: number | null }>(
      `SELECT id, tags_json, difficulty FROM questions WHERE bank_id = $1 AND status = 'active'`, [bankId])).rows);
  }

  async currentVersions(questionIds: readonly number[]): Promise<VersionContent[]> {
    if (questionIds.length === 0) return [];
    const { rows } = await this.deps.pool.query<{ question_id: number; version_id: number; type: QuestionType; stem: string; options_json: string; answer_json: string; explanation: string; tags_json: string }>(
      `SELECT q.id AS question_id, v.id AS version_id, v.type, v.stem, v.options_json, v.answer_json, v.explanation, v.tags_json
       FROM questions q JOIN question_versions v ON v.id = q.current_version_id WHERE q.id = ANY($1::integer[])`, [[...questionIds]]);
    const byId = new Map(rows.map((r) => [r.question_id, r]));
    return questionIds.map((id) => {
      const r = byId.get(id);
      if (!r) throw new Error(`question ${id} has no current version`);
      return {
        questionId: r.question_id, versionId: r.version_id, type: r.type, stem: r.stem, options: JSON.parse(r.options_json) as string[],
        answer: JSON.parse(r.answer_json) as string[], explanation: r.explanation, tags: JSON.parse(r.tags_json) as string[],
      };
    });
  }

  /** Locks the bank's row and moves its updated_at past the last one (the candidate caches' version). */
  private async touchBank(client: PgClient, bankId: number): Promise<void> {
    await client.query(`UPDATE question_banks SET updated_at = CASE WHEN updated_at >= $1
      THEN to_char((updated_at::timestamptz + interval '1 millisecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE $1 END
      WHERE id = $2`, [this.deps.now().toISOString(), bankId]);
  }

  private async insertOne(client: PgClient, bankId: number, content: QuestionContent, actorId: number | null, status: 'active' | 'importing', importId: string | null): Promise<number> {
    const at = this.deps.now().toISOString();
    const questionId = (await client.query<{ id: number }>(`INSERT INTO questions (bank_id, status, import_id, stem_key, difficulty, tags_json, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, [bankId, status, importId, stemKey(content.stem), content.difficulty, JSON.stringify(content.tags), at])).rows[0].id;
    const versionId = await this.insertVersion(client, questionId, content, actorId, at);
    await client.query('UPDATE questions SET current_version_id = $2 WHERE id = $1', [questionId, versionId]);
    return questionId;
  }

  private async insertVersion(client: PgClient, questionId: number, content: QuestionContent, actorId: number | null, at: string): Promise<number> {
    return (await client.query<{ id: number }>(`INSERT INTO question_versions (question_id, number, type, stem, options_json, answer_json, explanation, tags_json, difficulty, created_by, created_at)
      VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM question_versions WHERE question_id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [questionId, content.type, content.stem, JSON.stringify(content.options), JSON.stringify(content.answer), content.explanation, JSON.stringify(content.tags),
      content.difficulty, actorId, at])).rows[0].id;
  }
}

/** The partial unique index on (bank_id, stem_key): the same 409 the SQLite twin gives. */
function duplicateStem(error: unknown): unknown {
  const translated = translatePgError(error, { bank_id: 'stem', stem_key: 'stem' });
  if (translated !== error) {
    const conflict = translated as Error & { problems: Array<{ code: string; message: string; path: string }> };
    conflict.message = 'A question with the same text is already in this bank';
    conflict.problems = [{ code: 'DUPLICATE_STEM', message: conflict.message, path: 'stem' }];
  }
  return translated;
}
