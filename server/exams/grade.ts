/** Server-side grading: all-or-nothing per question, score = share of questions correct (0–100). Pure. */

export function isAnswerCorrect(given: readonly string[] | null, correct: readonly string[]): boolean {
  if (!given || given.length !== correct.length) return false;
  const set = new Set(correct);
  return given.every((id) => set.has(id));
}

/** Percent with one decimal; a paper with no questions scores 0. */
export function scoreOf(correctCount: number, questionCount: number): number {
  if (questionCount === 0) return 0;
  return Math.round((correctCount / questionCount) * 1000) / 10;
}

export function isPassing(score: number, passMark: number): boolean {
  return score + 1e-9 >= passMark;
}

/** The bank letters of a response, sorted ('AC'), for the wrong-answer tallies; '' when unanswered. */
export function responseKey(given: readonly string[] | null, options: ReadonlyArray<{ id: string; letter: string }>): string {
  if (!given) return '';
  const letters = options.filter((o) => given.includes(o.id)).map((o) => o.letter);
  return letters.sort().join('');
}
