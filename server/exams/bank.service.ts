import crypto from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Principal } from '../auth/principal.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { columnLabel, mapHeaders } from './bank-columns.js';
import { bankCsv, bankXlsx, BankFileError, readBankFile, templateQuestions, type BankFileFormat } from './bank-file.js';
import type { BanksStore } from './banks.repository.js';
import { checkQuestionContent, readQuestionRow, type RowProblem } from './question-rows.js';
import { stemKey, type Question, type QuestionBank, type QuestionContent } from './question.types.js';

export interface ImportInput {
  code: string;
  /** Used when the bank does not exist yet (it is created by the apply, not by a dry run). */
  title?: string;
  bytes: Buffer;
  /** Checked against the content when given; by default the content decides (an XLSX is a zip). */
  format?: BankFileFormat;
  dryRun: boolean;
  actorId: number | null;
}

export interface ImportReport {
  bank: { code: string; title: string; exists: boolean };
  format: BankFileFormat; encoding: string | null;
  /** Question rows read (the header row not counted). */
  rows: number;
  valid: number;
  /** Every problem of every bad row, in row order, each naming its column. */
  problems: RowProblem[];
  applied: boolean;
  imported: number;
}

const ROWS_PER_TURN = 1000;
const ROWS_PER_BATCH = 500;

/** Question banks: create, edit (new versions), retire, import (dry run, then all-or-nothing apply), export. */
export class BankService {
  constructor(private readonly deps: { banks: BanksStore; workDir: string; logger: Logger }) {}

  listBanks(): Promise<QuestionBank[]> {
    return this.deps.banks.listBanks();
  }

  async bank(code: string): Promise<QuestionBank> {
    const bank = await this.deps.banks.findBank(code);
    NotFoundError.assertFound(bank, 'No such question bank');
    return bank;
  }

  async createBank(actor: Principal, input: { code: string; title: string }): Promise<QuestionBank> {
    return this.deps.banks.createBank({ ...input, actorId: actor.id });
  }

  async questions(code: string, options: { status?: 'active' | 'retired' | null; after?: number; limit?: number } = {}): Promise<{ bank: QuestionBank; questions: Question[] }> {
    const bank = await this.bank(code);
    return { bank, questions: await this.deps.banks.listQuestions(bank.id, options) };
  }

  async question(code: string, questionId: number): Promise<{ bank: QuestionBank; question: Question }> {
    const bank = await this.bank(code);
    const question = await this.deps.banks.findQuestion(questionId);
    if (!question || question.bankId !== bank.id) throw new NotFoundError('No such question in this bank');
    return { bank, question };
  }

  async addQuestion(actor: Principal, code: string, content: QuestionContent): Promise<Question> {
    const bank = await this.bank(code);
    assertContent(content);
    return this.deps.banks.addQuestion(bank.id, content, actor.id);
  }

  async editQuestion(actor: Principal, code: string, questionId: number, content: QuestionContent): Promise<Question> {
    const { question } = await this.question(code, questionId);
    if (question.status !== 'active') throw new ConflictError('A retired question cannot be edited', [], 'QUESTION_RETIRED');
    assertContent(content);
    return this.deps.banks.editQuestion(questionId, content, actor.id);
  }

  async retireQuestion(actor: Principal, code: string, questionId: number): Promise<void> {
    await this.question(code, questionId);
    await this.deps.banks.retireQuestion(questionId, actor.id);
  }

  /**
   * Reads the whole file and reports every bad row (row number as Excel shows it, and column);
   * with dryRun false and no problem, writes all questions or none.
   */
  async importBank(input: ImportInput): Promise<ImportReport> {
    const { banks, workDir, logger } = this.deps;
    const existing = await banks.findBank(input.code);
    const title = existing?.title ?? input.title?.trim() ?? '';
    let file;
    try {
      file = await readBankFile(input.bytes, workDir);
    } catch (error) {
      if (!(error instanceof BankFileError)) throw error;
      throw new ValidationError(`The file cannot be read: ${error.message}`, [{ code: 'FILE_UNREADABLE', message: `Row ${error.row}: ${error.message}`, path: 'file' }], 'FILE_UNREADABLE');
    }
    if (input.format && input.format !== file.format) {
      throw new ValidationError(`The file is not ${input.format.toUpperCase()}`, [{ code: 'FORMAT_MISMATCH', message: `The content is ${file.format.toUpperCase()}`, path: 'format' }], 'FORMAT_MISMATCH');
    }
    const report: ImportReport = {
      bank: { code: input.code, title, exists: existing !== null }, format: file.format, encoding: file.encoding,
      rows: Math.max(0, file.rows.length - 1), valid: 0, problems: [], applied: false, imported: 0,
    };
    const [header, ...rows] = file.rows;
    const map = mapHeaders(header?.cells ?? []);
    if (!header || map.missing.length > 0) {
      report.problems.push({ row: header?.row ?? 1, column: map.missing.map((f) => columnLabel(map, f)).join(', ') || '题型', code: 'HEADER_MISSING',
        message: `The header row lacks ${map.missing.map((f) => columnLabel(map, f)).join(', ')} (download the template)` });
      return report;
    }
    if (!existing && title === '') {
      report.problems.push({ row: header.row, column: 'title', code: 'BANK_TITLE_MISSING', message: `No bank ${input.code} yet: give a title to create it` });
    }
    const inBank = existing ? await banks.activeStemKeys(existing.id) : new Set<string>();
    const firstRowOfStem = new Map<string, number>();
    const questions: QuestionContent[] = [];
    for (let i = 0; i < rows.length; i += 1) {
      if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
      const { row, cells } = rows[i];
      const result = readQuestionRow(row, cells, map);
      const problems = result.ok ? [] : [...result.problems];
      const stem = result.ok ? result.question.stem : '';
      if (stem) {
        const key = stemKey(stem);
        const earlier = firstRowOfStem.get(key);
        if (earlier !== undefined) problems.push({ row, column: columnLabel(map, 'stem'), code: 'DUPLICATE_STEM', message: `Same question text as row ${earlier}` });
        else if (inBank.has(key)) problems.push({ row, column: columnLabel(map, 'stem'), code: 'DUPLICATE_STEM', message: 'This question is already in the bank' });
        else firstRowOfStem.set(key, row);
      }
      if (problems.length > 0) report.problems.push(...problems);
      else if (result.ok) questions.push(result.question);
    }
    report.valid = questions.length;
    if (questions.length === 0 && report.problems.length === 0) {
      report.problems.push({ row: header.row + 1, column: columnLabel(map, 'stem'), code: 'NO_QUESTIONS', message: 'The file has no questions' });
    }
    if (input.dryRun || report.problems.length > 0) return report;

    const bank = existing ?? await banks.createBank({ code: input.code, title, actorId: input.actorId });
    const importId = crypto.randomUUID();
    try {
      for (let i = 0; i < questions.length; i += ROWS_PER_BATCH) {
        await banks.stageImport(importId, bank.id, questions.slice(i, i + ROWS_PER_BATCH), input.actorId);
        await nextTurn();
      }
      report.imported = await banks.activateImport(importId, bank.id, input.actorId, { format: file.format, encoding: file.encoding, rows: report.rows });
    } catch (error) {
      await banks.discardImport(importId).catch((cleanup: unknown) => logger.error({ err: cleanup, importId }, '[exams] could not discard a failed import'));
      throw error;
    }
    report.applied = true;
    report.bank.exists = true;
    logger.info({ bank: input.code, imported: report.imported }, '[exams] question bank imported');
    return report;
  }

  async exportBank(code: string, format: BankFileFormat, language: 'zh' | 'en' = 'zh'): Promise<{ bank: QuestionBank; body: Buffer | string }> {
    const { bank, questions } = await this.questions(code, { status: 'active' });
    return { bank, body: format === 'csv' ? bankCsv(questions, language) : await bankXlsx(questions, language) };
  }

  async template(format: BankFileFormat, language: 'zh' | 'en' = 'zh'): Promise<Buffer | string> {
    return format === 'csv' ? bankCsv(templateQuestions(), language) : bankXlsx(templateQuestions(), language);
  }
}

/** The form's question goes through the same checks as an imported row. */
function assertContent(content: QuestionContent): void {
  const problems = checkQuestionContent(content);
  if (problems.length > 0) {
    throw new ValidationError('The question is not valid', problems.map((p) => ({ code: p.code, message: p.message, path: p.column })));
  }
}
