/** Question bank facts shared by the pure modules, the repository and the services. */
export const QUESTION_TYPES = ['single', 'multiple', 'true_false'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;
export const MAX_STEM_LENGTH = 2000;
export const MAX_OPTION_LENGTH = 500;
export const MAX_EXPLANATION_LENGTH = 2000;
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 50;

/** What a question says, in one version. Answers are option letters (A…H); true/false has A = true, B = false. */
export interface QuestionContent {
  type: QuestionType;
  stem: string;
  options: string[];
  answer: string[];
  explanation: string;
  tags: string[];
  /** 1 (easy) – 5 (hard), or null when not given. */
  difficulty: number | null;
}

export interface Question extends QuestionContent {
  id: number;
  bankId: number;
  status: 'active' | 'retired';
  versionId: number;
  versionNumber: number;
  updatedAt: string;
}

export interface QuestionBank { id: number; code: string; title: string; createdAt: string; updatedAt: string; activeQuestions: number }

/** The key duplicates are found by: a stem with its whitespace collapsed (case kept: Chinese has none). */
export function stemKey(stem: string): string {
  return stem.replace(/\s+/gu, ' ').trim();
}
