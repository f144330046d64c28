/**
 * The columns of a question bank file: the customary Chinese headers (题型, 题干, 选项A…选项H, 答案,
 * 解析, 知识点, 难度) or English ones (type, stem, optionA…H, answer, explanation, tags, difficulty),
 * in any order. Pure.
 */
import { OPTION_LETTERS } from './question.types.js';

export type BankField = 'type' | 'stem' | `option${(typeof OPTION_LETTERS)[number]}` | 'answer' | 'explanation' | 'tags' | 'difficulty';

/** Template headers, in the order the template and exports write them. */
export const ZH_HEADERS: Array<[BankField, string]> = [
  ['type', '题型'], ['stem', '题干'],
  ...OPTION_LETTERS.map((l): [BankField, string] => [`option${l}`, `选项${l}`]),
  ['answer', '答案'], ['explanation', '解析'], ['tags', '知识点'], ['difficulty', '难度'],
];
export const EN_HEADERS: Array<[BankField, string]> = ZH_HEADERS.map(([field]) => [field, field]);

const ALIASES = new Map<string, BankField>();
for (const [field, zh] of ZH_HEADERS) {
  ALIASES.set(zh.toLowerCase(), field);
  ALIASES.set(field.toLowerCase(), field);
}
for (const l of OPTION_LETTERS) {
  ALIASES.set(`option ${l}`.toLowerCase(), `option${l}`);
  ALIASES.set(`选项 ${l}`.toLowerCase(), `option${l}`);
}
for (const [alias, field] of [['题目', 'stem'], ['试题', 'stem'], ['question', 'stem'], ['正确答案', 'answer'], ['答案解析', 'explanation'], ['tag', 'tags'], ['knowledge point', 'tags'], ['难易度', 'difficulty']] as const) {
  ALIASES.set(alias, field);
}

export interface HeaderMap {
  /** Column index of each field found. */
  index: Partial<Record<BankField, number>>;
  /** The header text as written in the file, for messages that name a column. */
  label: Partial<Record<BankField, string>>;
  missing: BankField[];
}

const REQUIRED: BankField[] = ['type', 'stem', 'answer'];

export function mapHeaders(cells: readonly string[]): HeaderMap {
  const index: HeaderMap['index'] = {};
  const label: HeaderMap['label'] = {};
  cells.forEach((cell, i) => {
    if (cell.length > 100) return;
    const key = cell.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
    const field = ALIASES.get(key) ?? ALIASES.get(key.replace(/ /g, ''));
    if (field && index[field] === undefined) {
      index[field] = i;
      label[field] = cell.trim();
    }
  });
  return { index, label, missing: REQUIRED.filter((f) => index[f] === undefined) };
}

/** The header a message names: the file's own, else the Chinese template's. */
export function columnLabel(map: HeaderMap, field: BankField): string {
  return map.label[field] ?? ZH_HEADERS.find(([f]) => f === field)![1];
}
