import type { ExamEvidenceAttempt, ExamEvidenceSource } from '../evidence/exam-evidence.js';
import type { EvidenceStore } from '../evidence/evidence.repository.js';
import type { ExamsStore } from './exams.repository.js';

/**
 * The exam part of an evidence file: every paper the person sat for the course, as shown, with
 * their answers, the key it was graded with, one mark per question, and each attempt's audit events
 * (`exam_attempt:<id>`: start and submit).
 */
export function examEvidenceSource(deps: { exams: ExamsStore; evidence: EvidenceStore }): ExamEvidenceSource {
  return {
    async listExamAttempts(userId, courseId): Promise<ExamEvidenceAttempt[]> {
      const attempts = await deps.exams.attemptsOf(userId, courseId);
      const audit = await deps.evidence.auditOf(attempts.map((a) => `exam_attempt:${a.id}`));
      return Promise.all(attempts.map(async (a) => ({
        attemptId: String(a.id), number: a.number, startedAt: a.startedAt, deadline: a.deadline, submittedAt: a.submittedAt,
        score: a.score, passed: a.passed,
        paper: (await deps.exams.paperOf(a.id)).map((q) => ({
          questionId: String(q.questionId), type: q.type, stem: q.stem,
          options: q.options.map((o) => ({ id: o.id, text: o.text })),
          correct: q.correct, answer: q.answer ?? [], answeredAt: q.answeredAt,
          mark: q.isCorrect ? 1 : 0, maxMark: 1,
        })),
        audit: audit.get(`exam_attempt:${a.id}`) ?? [],
      })));
    },
  };
}
