import type { DrawRule, PaperQuestion } from './draw-paper.js';

export const REVIEW_POLICIES = ['score_only', 'after_submit', 'after_pass'] as const;
export type ReviewPolicy = (typeof REVIEW_POLICIES)[number];

/** A course's exam: where questions come from, how a paper is drawn and judged. */
export interface ExamSettings {
  courseId: number;
  bankId: number;
  rules: DrawRule[];
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  passMark: number;
  timeLimitMinutes: number;
  /** Null: unlimited. Counted per certification cycle; a trainer's retake grant adds one. */
  attemptsPerCycle: number | null;
  reviewPolicy: ReviewPolicy;
  /** The course passes only with the SCORM lessons complete and the exam passed. */
  requiresLessons: boolean;
  isEnabled: boolean;
  updatedAt: string;
}

export interface ExamAttempt {
  id: number; courseId: number; userId: number; number: number; startedAt: string; deadline: string;
  submittedAt: string | null; submittedBy: 'learner' | 'deadline' | null; questionCount: number;
  correctCount: number | null; score: number | null; passed: boolean | null; passMark: number; reviewPolicy: ReviewPolicy;
}

/** One question of a paper as stored: the snapshot shown, the key, and what the learner answered. */
export interface PaperEntry extends PaperQuestion {
  position: number;
  answer: string[] | null;
  answeredAt: string | null;
  isCorrect: boolean | null;
}
