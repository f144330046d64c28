/**
 * The exam part of an evidence file. The exams area (question banks, server-graded papers) feeds
 * it through this interface; until it is wired in, the default source has no exam attempts.
 */

/** One question of a paper as the learner saw it, with what they answered and the mark given. */
export interface ExamEvidenceQuestion {
  questionId: string; type: string; stem: string;
  options: Array<{ id: string; text: string }>;
  /** Option ids of the correct answer (the snapshot the attempt was graded with). */
  correct: string[];
  /** Option ids the learner gave, as saved; empty when unanswered. */
  answer: string[];
  answeredAt: string | null;
  mark: number; maxMark: number;
}

export interface ExamEvidenceAttempt {
  attemptId: string; number: number; startedAt: string; deadline: string | null; submittedAt: string | null;
  /** 0–100, null before grading. */
  score: number | null; passed: boolean | null;
  paper: ExamEvidenceQuestion[];
  /** Where the attempt's own records sit in the audit chain. */
  audit: Array<{ id: number; at: string; action: string; hash: string }>;
}

export interface ExamEvidenceSource {
  listExamAttempts(userId: number, courseId: number): Promise<ExamEvidenceAttempt[]>;
}

/** No exams area yet: every evidence file says so with an empty list. */
export const noExamEvidence: ExamEvidenceSource = { listExamAttempts: async () => [] };
