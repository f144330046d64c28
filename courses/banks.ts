// The shipped question banks: courses/<code>/bank.csv in the LMS's import template (UTF-8 with BOM,
// Chinese headers). They are the courses' exams; the packages carry the lessons only.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Every shipped course's exam: the whole bank of 16 is sampled 10 at a time, like the package exam was. */
export const SHIPPED_EXAM = {
  questionsPerAttempt: 10,
  passMark: 80,
  timeLimitMinutes: 20,
  attemptsPerCycle: 3,
} as const;

export function bankFilePath(courseCode: string): string {
  if (!/^CP-\d{3}$/.test(courseCode)) throw new Error(`Not a shipped course code: ${courseCode}`);
  return fileURLToPath(new URL(`./${courseCode}/bank.csv`, import.meta.url));
}

export async function readShippedBank(courseCode: string): Promise<Buffer> {
  return readFile(bankFilePath(courseCode));
}
