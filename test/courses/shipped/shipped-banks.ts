// Reads a shipped course's bank.csv the way the LMS import does (same reader, same row rules), so
// tests see exactly the questions and keys the demo imports.
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { bankFilePath } from '../../../courses/banks.js';
import { mapHeaders } from '../../../server/exams/bank-columns.js';
import { readBankFile } from '../../../server/exams/bank-file.js';
import { readQuestionRow } from '../../../server/exams/question-rows.js';
import type { QuestionContent } from '../../../server/exams/question.types.js';

export async function readShippedBankQuestions(courseCode: string): Promise<{ bytes: Buffer; encoding: string | null; questions: QuestionContent[] }> {
  const bytes = await readFile(bankFilePath(courseCode));
  const file = await readBankFile(bytes, path.join(os.tmpdir(), 'lms-shipped-banks'));
  const [header, ...rows] = file.rows;
  const map = mapHeaders(header.cells);
  if (map.missing.length > 0) throw new Error(`${courseCode}: bank.csv lacks ${map.missing.join(', ')}`);
  const questions = rows.map((row) => {
    const result = readQuestionRow(row.row, row.cells, map);
    if (!result.ok) throw new Error(`${courseCode} bank.csv row ${row.row}: ${result.problems.map((p) => `${p.column} ${p.message}`).join('; ')}`);
    return result.question;
  });
  return { bytes, encoding: file.encoding, questions };
}

/** The option texts a right answer picks (true/false: 对 or 错). */
export function correctTexts(question: QuestionContent): string[] {
  return question.answer.map((letter) => question.options['ABCDEFGH'.indexOf(letter)]);
}
