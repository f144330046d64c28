import type { Db } from '../../server/db/open-database.js';

/** A bank whose option texts say nothing about the key: every question's options are O<n>-1…O<n>-4. */
export function neutralBankCsv(count: number): string {
  const lines = ['题型,题干,选项A,选项B,选项C,选项D,答案,解析,知识点,难度'];
  for (let n = 1; n <= count; n += 1) {
    lines.push(`${n % 3 === 0 ? '多选' : '单选'},中性题${n},O${n}-1,O${n}-2,O${n}-3,O${n}-4,${n % 3 === 0 ? 'BD' : 'ABCD'[n % 4]},KEY-EXPLANATION-${n},消保,${(n % 5) + 1}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/**
 * Finds anything in `bodies` that gives away the key of a running attempt: an explanation, a
 * property naming correctness, or a correct option id appearing more often than a wrong one
 * (a leak marks the key somewhere; a fair page names every option the same number of times).
 * Options the learner chose are left out of the count (their answer repeats them legitimately).
 */
export function findLeaks(db: Db, attemptId: number, bodies: Array<{ url: string; text: string }>): string[] {
  const paper = db.prepare('SELECT question_id, options_json, correct_json, explanation, answer_json FROM exam_attempt_questions WHERE attempt_id = ?').all(attemptId) as Array<{
    question_id: number; options_json: string; correct_json: string; explanation: string; answer_json: string | null;
  }>;
  const leaks: string[] = [];
  for (const { url, text } of bodies) {
    if (/"(correct|isCorrect|correctResponse|answerKey|key)"\s*:/i.test(text) || /data-correct|correct_json/i.test(text)) leaks.push(`${url}: names a key property`);
    for (const q of paper) {
      if (q.explanation && text.includes(q.explanation)) leaks.push(`${url}: explanation of question ${q.question_id}`);
      const chosen = new Set<string>(q.answer_json ? JSON.parse(q.answer_json) as string[] : []);
      const correct = new Set<string>(JSON.parse(q.correct_json) as string[]);
      const options = (JSON.parse(q.options_json) as Array<{ id: string }>).map((o) => o.id).filter((id) => !chosen.has(id));
      const counts = new Map(options.map((id) => [id, occurrences(text, id)]));
      const correctCounts = options.filter((id) => correct.has(id)).map((id) => counts.get(id)!);
      const wrongCounts = options.filter((id) => !correct.has(id)).map((id) => counts.get(id)!);
      if (correctCounts.length > 0 && wrongCounts.length > 0 && Math.max(...correctCounts) > Math.min(...wrongCounts)) {
        leaks.push(`${url}: a correct option of question ${q.question_id} appears more often than a wrong one`);
      }
    }
  }
  return leaks;
}
