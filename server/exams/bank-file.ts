/**
 * Reading and writing bank files. Reading goes through the roster import's reader (CSV in UTF-8,
 * UTF-8 with BOM or GBK, told apart by content; XLSX by its zip signature), so both imports
 * accept exactly the same files. Writing: CSV in UTF-8 with BOM (Excel opens Chinese correctly),
 * formula-like cells guarded as in the reports; XLSX with text cells.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { openRosterSource, RosterFileError, type RosterRow } from '../org/roster/roster-rows.js';
import { csvLine } from '../reports/csv-writer.js';
import { ZH_HEADERS, EN_HEADERS } from './bank-columns.js';
import { OPTION_LETTERS, type QuestionContent } from './question.types.js';

export type BankFileFormat = 'csv' | 'xlsx';
export const MAX_BANK_ROWS = 20_000;

export class BankFileError extends Error {
  override name = 'BankFileError';
  constructor(message: string, readonly row: number) {
    super(message);
  }
}

/** All rows of a bank file (bounded by MAX_BANK_ROWS), with the detected format and encoding. */
export async function readBankFile(bytes: Buffer, workDir: string): Promise<{ format: BankFileFormat; encoding: string | null; rows: RosterRow[] }> {
  await fs.promises.mkdir(workDir, { recursive: true });
  const file = path.join(workDir, `bank-${crypto.randomBytes(8).toString('hex')}`);
  await fs.promises.writeFile(file, bytes);
  try {
    const source = await openRosterSource(file);
    const rows: RosterRow[] = [];
    for await (const row of source.rows) {
      if (row.cells.every((c) => c.trim() === '')) continue;
      if (rows.length > MAX_BANK_ROWS) throw new BankFileError(`More than ${MAX_BANK_ROWS} questions in one file; split it`, row.row);
      rows.push(row);
    }
    return { format: source.type, encoding: source.encoding, rows };
  } catch (error) {
    if (error instanceof RosterFileError) throw new BankFileError(error.message, error.row);
    throw error;
  } finally {
    await fs.promises.rm(file, { force: true });
  }
}

function rowCells(q: QuestionContent): string[] {
  const typeWord = { single: '单选', multiple: '多选', true_false: '判断' }[q.type];
  const answer = q.type === 'true_false' ? (q.answer[0] === 'A' ? '对' : '错') : q.answer.join('');
  return [typeWord, q.stem, ...OPTION_LETTERS.map((_, i) => q.options[i] ?? ''), answer, q.explanation, q.tags.join(';'), q.difficulty === null ? '' : String(q.difficulty)];
}

const headersFor = (language: 'zh' | 'en') => (language === 'zh' ? ZH_HEADERS : EN_HEADERS).map(([, label]) => label);

/** Examples in the template, one per type, so a trainer sees how answers are written. */
const TEMPLATE_EXAMPLES: QuestionContent[] = [
  { type: 'single', stem: '金融消费者享有的基本权利不包括以下哪一项？', options: ['知情权', '自主选择权', '无条件退款权', '信息安全权'], answer: ['C'], explanation: '无条件退款权不属于法定基本权利。', tags: ['消费者权益'], difficulty: 2 },
  { type: 'multiple', stem: '以下哪些属于个人金融信息？', options: ['身份证号码', '账户余额', '公开发布的新闻', '交易记录'], answer: ['A', 'B', 'D'], explanation: '', tags: ['信息保护'], difficulty: 3 },
  { type: 'true_false', stem: '银行可以在未经客户同意的情况下向第三方提供其个人金融信息。', options: ['对', '错'], answer: ['B'], explanation: '需取得客户同意或有法定依据。', tags: ['信息保护'], difficulty: 1 },
];

export function bankCsv(questions: readonly QuestionContent[], language: 'zh' | 'en' = 'zh'): string {
  const lines = [csvLine(headersFor(language)), ...questions.map((q) => csvLine(rowCells(q)))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function bankXlsx(questions: readonly QuestionContent[], language: 'zh' | 'en' = 'zh'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(language === 'zh' ? '题库' : 'Questions');
  sheet.addRow(headersFor(language)).font = { bold: true };
  for (const q of questions) sheet.addRow(rowCells(q));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.getColumn(2).width = 60;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function templateQuestions(): QuestionContent[] {
  return TEMPLATE_EXAMPLES;
}
