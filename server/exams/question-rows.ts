/**
 * Turns one row of a bank file into a question, or into every problem it has, each naming the
 * column. Pure: duplicates across rows and against the bank are the caller's (it sees all rows).
 */
import { columnLabel, type BankField, type HeaderMap } from './bank-columns.js';
import {
  MAX_EXPLANATION_LENGTH, MAX_OPTION_LENGTH, MAX_OPTIONS, MAX_STEM_LENGTH, MAX_TAGS, MAX_TAG_LENGTH, MIN_OPTIONS, OPTION_LETTERS,
  type QuestionContent, type QuestionType,
} from './question.types.js';

export interface RowProblem { row: number; column: string; code: string; message: string }

const TYPE_WORDS = new Map<string, QuestionType>([
  ['单选', 'single'], ['单选题', 'single'], ['单项选择', 'single'], ['单项选择题', 'single'], ['single', 'single'], ['single choice', 'single'],
  ['多选', 'multiple'], ['多选题', 'multiple'], ['多项选择', 'multiple'], ['多项选择题', 'multiple'], ['multiple', 'multiple'], ['multiple choice', 'multiple'],
  ['判断', 'true_false'], ['判断题', 'true_false'], ['true/false', 'true_false'], ['true_false', 'true_false'], ['truefalse', 'true_false'], ['true-false', 'true_false'],
]);
const TRUE_WORDS = new Set(['对', '正确', '是', '√', '✓', 't', 'true', 'yes', 'y', 'a']);
const FALSE_WORDS = new Set(['错', '错误', '否', '×', '✗', 'x', 'f', 'false', 'no', 'n', 'b']);
const DIFFICULTY_WORDS = new Map<string, number>([
  ['易', 1], ['容易', 1], ['简单', 1], ['较易', 2], ['中', 3], ['中等', 3], ['一般', 3], ['较难', 4], ['难', 5], ['困难', 5],
  ['easy', 1], ['medium', 3], ['hard', 5],
]);

export const TRUE_FALSE_DEFAULT_OPTIONS = ['对', '错'];

export function parseType(value: string): QuestionType | null {
  if (value.length > 30) return null;
  return TYPE_WORDS.get(value.trim().toLowerCase()) ?? null;
}

/** '1'–'5' or 易/中/难 (easy/medium/hard); '' is null; anything else undefined (a problem). */
export function parseDifficulty(value: string): number | null | undefined {
  const text = value.trim().toLowerCase();
  if (text === '') return null;
  if (/^[1-5]$/.test(text)) return Number(text);
  return DIFFICULTY_WORDS.get(text);
}

/** Tags split on the separators people type: ; ； , ， 、 | and line breaks. */
export function parseTags(value: string): string[] {
  if (value.length > MAX_TAGS * (MAX_TAG_LENGTH + 1) * 2) return [value];
  return [...new Set(value.split(/[;；,，、|\n]/u).map((t) => t.trim()).filter(Boolean))];
}

/**
 * Answer letters: 'ACD', 'A,C,D', 'a c d' for choices; 对/错 (true/false words, or A/B) for
 * true/false. Returns null when it cannot be read.
 */
export function parseAnswer(type: QuestionType, value: string): string[] | null {
  const text = value.trim();
  if (text === '' || text.length > 40) return null;
  if (type === 'true_false') {
    const word = text.toLowerCase();
    if (TRUE_WORDS.has(word)) return ['A'];
    if (FALSE_WORDS.has(word)) return ['B'];
    return null;
  }
  const letters = text.toUpperCase().replace(/[\s,，、;；]/gu, '');
  if (!/^[A-Z]+$/.test(letters)) return null;
  return [...new Set(letters.split(''))].sort();
}

export type RowResult = { ok: true; question: QuestionContent } | { ok: false; problems: RowProblem[] };

export function readQuestionRow(row: number, cells: readonly string[], map: HeaderMap): RowResult {
  const cell = (field: BankField) => {
    const i = map.index[field];
    const text = i === undefined ? '' : (cells[i] ?? '').trim();
    // Our CSV export guards formula-like cells with a leading apostrophe; reading it back drops it.
    return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
  };
  const problems: RowProblem[] = [];
  const problem = (field: BankField, code: string, message: string) => problems.push({ row, column: columnLabel(map, field), code, message });

  const typeText = cell('type');
  const type = parseType(typeText);
  if (!type) problem('type', typeText === '' ? 'TYPE_MISSING' : 'TYPE_UNKNOWN', typeText === '' ? 'No question type (单选, 多选 or 判断)' : `Unknown question type "${typeText.slice(0, 30)}" (use 单选, 多选 or 判断)`);
  const stem = cell('stem');
  if (stem === '') problem('stem', 'STEM_MISSING', 'No question text');
  else if (stem.length > MAX_STEM_LENGTH) problem('stem', 'STEM_TOO_LONG', `Question text longer than ${MAX_STEM_LENGTH} characters`);

  // Options are the filled option columns in order; a gap (A, B, D) would renumber them, so it is refused.
  const given = OPTION_LETTERS.map((l) => cell(`option${l}`));
  const lastFilled = given.reduce((last, text, i) => (text !== '' ? i : last), -1);
  let options = given.slice(0, lastFilled + 1);
  const gap = options.findIndex((text) => text === '');
  if (gap >= 0) problem(`option${OPTION_LETTERS[gap]}`, 'OPTION_GAP', `Option ${OPTION_LETTERS[gap]} is empty but a later option is filled`);
  const tooLong = options.findIndex((text) => text.length > MAX_OPTION_LENGTH);
  if (tooLong >= 0) problem(`option${OPTION_LETTERS[tooLong]}`, 'OPTION_TOO_LONG', `Option ${OPTION_LETTERS[tooLong]} is longer than ${MAX_OPTION_LENGTH} characters`);
  if (type === 'true_false') {
    if (options.length === 0) options = [...TRUE_FALSE_DEFAULT_OPTIONS];
    else if (options.length !== 2) problem('optionA', 'OPTIONS_COUNT', 'A true/false question has two options (or none: 对/错)');
  } else if (type && (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS)) {
    problem('optionA', 'OPTIONS_COUNT', `A choice question needs ${MIN_OPTIONS}–${MAX_OPTIONS} options; this one has ${options.length}`);
  }

  const answerText = cell('answer');
  let answer: string[] | null = null;
  if (answerText === '') problem('answer', 'ANSWER_MISSING', 'No answer');
  else if (type) {
    answer = parseAnswer(type, answerText);
    if (!answer) {
      problem('answer', 'ANSWER_INVALID', type === 'true_false' ? `Answer "${answerText.slice(0, 20)}" is not 对 or 错` : `Answer "${answerText.slice(0, 20)}" is not option letters such as A or ACD`);
    } else {
      const outside = answer.filter((l) => OPTION_LETTERS.indexOf(l as never) < 0 || OPTION_LETTERS.indexOf(l as never) >= options.length);
      if (outside.length > 0) problem('answer', 'ANSWER_NOT_IN_OPTIONS', `Answer ${outside.join('')} is not among the options (${OPTION_LETTERS.slice(0, options.length).join('')})`);
      else if (type === 'single' && answer.length !== 1) problem('answer', 'ANSWER_COUNT', 'A single-choice question has exactly one answer');
      else if (type === 'multiple' && answer.length < 1) problem('answer', 'ANSWER_COUNT', 'A multiple-choice question needs at least one answer');
    }
  }

  const explanation = cell('explanation');
  if (explanation.length > MAX_EXPLANATION_LENGTH) problem('explanation', 'EXPLANATION_TOO_LONG', `Explanation longer than ${MAX_EXPLANATION_LENGTH} characters`);
  const tags = parseTags(cell('tags'));
  if (tags.length > MAX_TAGS || tags.some((t) => t.length > MAX_TAG_LENGTH)) problem('tags', 'TAGS_INVALID', `At most ${MAX_TAGS} knowledge points of ${MAX_TAG_LENGTH} characters each`);
  const difficulty = parseDifficulty(cell('difficulty'));
  if (difficulty === undefined) problem('difficulty', 'DIFFICULTY_INVALID', `Difficulty "${cell('difficulty').slice(0, 20)}" is not 1–5 or 易/中/难`);

  if (problems.length > 0 || !type || !answer || difficulty === undefined) return { ok: false, problems };
  return { ok: true, question: { type, stem, options, answer, explanation, tags, difficulty } };
}

/** The same checks for a question typed into the trainer's form (row 0, columns named by field). */
export function checkQuestionContent(content: QuestionContent): RowProblem[] {
  const cells: string[] = [];
  const index: HeaderMap['index'] = {};
  const put = (field: BankField, value: string) => { index[field] = cells.length; cells.push(value); };
  put('type', content.type);
  put('stem', content.stem);
  content.options.forEach((text, i) => put(`option${OPTION_LETTERS[i]}`, text));
  put('answer', content.type === 'true_false' ? (content.answer[0] === 'B' ? '错' : content.answer[0] === 'A' ? '对' : '') : content.answer.join(''));
  put('explanation', content.explanation);
  put('tags', content.tags.join(';'));
  put('difficulty', content.difficulty === null ? '' : String(content.difficulty));
  const label = Object.fromEntries(Object.keys(index).map((k) => [k, k])) as HeaderMap['label'];
  const result = readQuestionRow(0, cells, { index, label, missing: [] });
  return result.ok ? [] : result.problems;
}
