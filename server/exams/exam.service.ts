import crypto from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { Course, CoursesStore } from '../courses/courses.repository.js';
import type { RuntimeStore } from '../scorm/runtime.repository.js';
import type { UsersStore } from '../org/users.repository.js';
import type { CertificationService } from '../certification/certification.service.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BanksStore } from './banks.repository.js';
import { drawQuestionIds, layOutPaper, ruleShortfalls, seededRandom, type PaperQuestion } from './draw-paper.js';
import type { ExamsStore, ItemStatRow } from './exams.repository.js';
import type { ExamAttempt, ExamSettings, PaperEntry, ReviewPolicy } from './exam.types.js';
import { facility, pointBiserial } from './item-analysis.js';
import type { QuestionBank } from './question.types.js';

/** What a learner's view reads of a paper entry. */
type ViewedEntry = Pick<PaperEntry, 'questionId' | 'type' | 'stem' | 'options' | 'answer' | 'correct' | 'isCorrect' | 'explanation'>;

/** Answers arriving this long after the deadline still count (network and clock slack); later ones are refused. */
export const EXAM_GRACE_MS = 5_000;

export type ExamSettingsInput = Omit<ExamSettings, 'courseId' | 'bankId' | 'updatedAt'> & { bankCode: string };

/** Why the exam cannot be started now (null: it can). */
export type ExamClosedReason = 'EXAM_NOT_CONFIGURED' | 'EXAM_LESSONS_INCOMPLETE' | 'EXAM_ALREADY_CERTIFIED' | 'EXAM_NO_ATTEMPTS_LEFT';

export interface ExamAvailability {
  exam: ExamSettings | null;
  running: ExamAttempt | null;
  closedReason: ExamClosedReason | null;
  used: number;
  allowed: number | null;
  attempts: ExamAttempt[];
  /** When the current certification cycle began (null: no certificate yet); attempts count from it. */
  cycleStart: string | null;
}

/** A question as a learner sees it before submission: no key, no explanation. */
export interface LearnerQuestion { id: number; type: string; stem: string; options: Array<{ id: string; text: string }>; answer: string[] | null }

export interface LearnerAttemptView {
  attemptId: number; number: number; status: 'running' | 'submitted'; startedAt: string; deadline: string; questionCount: number;
  questions: LearnerQuestion[];
  result: null | {
    score: number; passed: boolean; passMark: number; correctCount: number; submittedAt: string; submittedBy: 'learner' | 'deadline'; policy: ReviewPolicy;
    /** Per the review policy: the key and explanations, or null (score only / not passed). */
    review: null | Array<{ id: number; correct: string[]; isCorrect: boolean; explanation: string }>;
  };
}

export interface ItemAnalysisRow extends ItemStatRow { facility: number | null; discrimination: number | null; answerLetters: string }
export interface TagAnalysisRow { tag: string; questions: number; shown: number; correct: number; facility: number | null }

/**
 * Exams attached to courses: settings, starting a paper (drawn per attempt), saving answers,
 * grading on the server, the deadline, and the item analysis. A passing submission asks
 * certification for a certificate.
 */
export class ExamService {
  constructor(private readonly deps: {
    exams: ExamsStore; banks: BanksStore; courses: CoursesStore; runtime: RuntimeStore; users: UsersStore;
    certification: CertificationService; now: () => Date; logger: Logger;
  }) {}

  /** The server's clock: the page's countdown runs on it, not on the device's. */
  now(): Date {
    return this.deps.now();
  }

  async course(code: string): Promise<Course> {
    const course = await this.deps.courses.findByCode(code);
    NotFoundError.assertFound(course, 'Course not found');
    return course;
  }

  async settings(courseCode: string): Promise<{ course: Course; exam: ExamSettings | null; bank: QuestionBank | null }> {
    const course = await this.course(courseCode);
    const exam = await this.deps.exams.findExam(course.id);
    return { course, exam, bank: exam ? await this.deps.banks.findBankById(exam.bankId) : null };
  }

  async saveSettings(actor: Principal, courseCode: string, input: ExamSettingsInput): Promise<ExamSettings> {
    const course = await this.course(courseCode);
    const bank = await this.deps.banks.findBank(input.bankCode);
    if (!bank) throw new ValidationError('No such question bank', [{ code: 'BANK_UNKNOWN', message: `No question bank ${input.bankCode}`, path: 'bankCode' }]);
    const short = ruleShortfalls(input.rules, await this.deps.banks.candidates(bank.id));
    if (short.length > 0) {
      throw new ValidationError('The bank cannot fill every draw rule', short.map((s) => ({
        code: 'RULE_TOO_FEW', message: `Rule ${s.rule + 1} wants ${s.wanted} questions; the bank has ${s.available} that match`, path: `rules.${s.rule}.count`,
      })));
    }
    const { bankCode: _bankCode, ...settings } = input;
    return this.deps.exams.saveExam({ ...settings, courseId: course.id, bankId: bank.id }, actor.id);
  }

  /** What the learner's pages show: whether the exam can be started, the running paper, attempts used. */
  async availability(userId: number, course: Course): Promise<ExamAvailability> {
    const { exams, certification } = this.deps;
    const exam = await exams.findExam(course.id);
    const empty = { exam, running: null, used: 0, allowed: null, attempts: [], cycleStart: null };
    if (!exam || !exam.isEnabled || course.status !== 'published') return { ...empty, exam: null, closedReason: 'EXAM_NOT_CONFIGURED' };
    await this.finishIfExpired(await exams.runningAttempt(userId, course.id));
    const running = await exams.runningAttempt(userId, course.id);
    const attempts = await exams.attemptsOf(userId, course.id);
    const cycleStart = await certification.cycleStartedAt(userId, course.id);
    const enrollment = await this.deps.runtime.findEnrollment(userId, course.id);
    const used = attempts.filter((a) => a.startedAt > (cycleStart ?? '')).length;
    const allowed = exam.attemptsPerCycle === null ? null : exam.attemptsPerCycle + (enrollment?.retakesGranted ?? 0);
    let closedReason: ExamClosedReason | null = null;
    if (!running) {
      if (!(await certification.mayEarnCertificate(userId, course.id))) closedReason = 'EXAM_ALREADY_CERTIFIED';
      else if (exam.requiresLessons && !(await certification.lessonsComplete(userId, course.id, cycleStart))) closedReason = 'EXAM_LESSONS_INCOMPLETE';
      else if (allowed !== null && used >= allowed) closedReason = 'EXAM_NO_ATTEMPTS_LEFT';
    }
    return { exam, running, closedReason, used, allowed, attempts, cycleStart };
  }

  /** For links on the learner's pages: 'resume' a running paper, 'start' an open exam, or null (no link). */
  async linkFor(userId: number, courseCode: string): Promise<'start' | 'resume' | null> {
    const course = await this.deps.courses.findByCode(courseCode);
    if (!course) return null;
    const state = await this.availability(userId, course);
    if (state.running) return 'resume';
    return state.exam && state.closedReason === null ? 'start' : null;
  }

  /** The running paper (200), or a new one (201); a clear 409 when none may start. */
  async start(principal: Principal, courseCode: string): Promise<{ created: boolean; view: LearnerAttemptView }> {
    const { exams, banks, now } = this.deps;
    const course = await this.course(courseCode);
    if (course.status !== 'published') throw new NotFoundError('Course not found');
    const state = await this.availability(principal.id, course);
    if (state.running) return { created: false, view: await this.learnerView(state.running) };
    if (state.closedReason === 'EXAM_NOT_CONFIGURED') throw new NotFoundError('This course has no exam');
    if (state.closedReason) throw new ConflictError(closedMessage(state.closedReason), [], state.closedReason);
    const exam = state.exam!;
    const startedAt = now();
    let drawn: PaperQuestion[] = [];
    const outcome = await exams.startAttempt({
      courseId: course.id, userId: principal.id, startedAt: startedAt.toISOString(),
      deadline: new Date(startedAt.getTime() + exam.timeLimitMinutes * 60_000).toISOString(),
      passMark: exam.passMark, reviewPolicy: exam.reviewPolicy, cycleStart: state.cycleStart, allowed: state.allowed,
      paper: async () => {
        const seed = crypto.randomInt(0, 2 ** 32);
        const { candidates, pool } = await banks.drawSource(exam.bankId);
        const ids = drawQuestionIds(exam.rules, candidates, seededRandom(seed), pool);
        if (!ids) throw new ConflictError('The question bank no longer has enough questions for this exam; tell the trainer', [], 'EXAM_BANK_TOO_SMALL');
        drawn = layOutPaper(await banks.currentVersions(ids), seed, exam);
        return drawn;
      },
    });
    if (outcome.kind === 'exhausted') throw new ConflictError(closedMessage('EXAM_NO_ATTEMPTS_LEFT'), [], 'EXAM_NO_ATTEMPTS_LEFT');
    // A new paper is the one just drawn, with no answers yet: no need to read it back.
    if (outcome.kind === 'started') return { created: true, view: await this.learnerView(outcome.attempt, drawn.map((q) => ({ ...q, answer: null, isCorrect: null }))) };
    return { created: false, view: await this.learnerView(outcome.attempt) };
  }

  /** The learner's own attempt (anyone else's is a 404), closed first if its time ran out. */
  async ownAttempt(principal: Principal, attemptId: number): Promise<ExamAttempt> {
    const attempt = await this.deps.exams.findAttempt(attemptId);
    if (!attempt || attempt.userId !== principal.id) throw new NotFoundError('No such exam attempt');
    return (await this.finishIfExpired(attempt)) ?? attempt;
  }

  async view(principal: Principal, attemptId: number): Promise<LearnerAttemptView> {
    return this.learnerView(await this.ownAttempt(principal, attemptId));
  }

  async saveAnswer(principal: Principal, attemptId: number, questionId: number, answer: string[]): Promise<{ questionId: number; answer: string[]; savedAt: string }> {
    const { exams, now } = this.deps;
    const attempt = await this.ownAttempt(principal, attemptId);
    const entry = await exams.paperChoices(attempt.id, questionId);
    if (!entry) throw new NotFoundError('No such question in this paper');
    if (attempt.submittedAt) throw timeUpOrSubmitted(attempt);
    const known = new Set(entry.optionIds);
    const unique = [...new Set(answer)];
    if (unique.some((id) => !known.has(id))) throw new ValidationError('An answer names an option that is not in this question', [{ code: 'OPTION_UNKNOWN', message: 'Unknown option id', path: 'answer' }], 'ANSWER_INVALID');
    if (entry.type !== 'multiple' && unique.length > 1) throw new ValidationError('This question takes one answer', [{ code: 'ANSWER_COUNT', message: 'One option only', path: 'answer' }], 'ANSWER_INVALID');
    const outcome = await exams.saveAnswer(attempt.id, questionId, unique);
    if (outcome === 'submitted') throw timeUpOrSubmitted((await exams.findAttempt(attempt.id))!);
    if (outcome === 'not_in_paper') throw new NotFoundError('No such question in this paper');
    return { questionId, answer: unique, savedAt: now().toISOString() };
  }

  /** Grades and closes the attempt; a second submit answers the same result. */
  async submit(principal: Principal, attemptId: number): Promise<LearnerAttemptView> {
    const attempt = await this.ownAttempt(principal, attemptId);
    if (attempt.submittedAt) return this.learnerView(attempt);
    const { attempt: submitted, paper } = await this.close(attempt.id, 'learner');
    return this.learnerView(submitted, paper);
  }

  /** Closes every attempt whose time ran out (the daily job; a host may call it more often). */
  async closeExpired(): Promise<number> {
    const before = new Date(this.deps.now().getTime() - EXAM_GRACE_MS).toISOString();
    let closed = 0;
    for (;;) {
      const ids = await this.deps.exams.expiredAttemptIds(before, 200);
      if (ids.length === 0) return closed;
      for (const id of ids) {
        await this.close(id, 'deadline');
        closed += 1;
      }
    }
  }

  async itemAnalysis(courseCode: string): Promise<{ course: Course; items: ItemAnalysisRow[]; tags: TagAnalysisRow[] }> {
    const course = await this.course(courseCode);
    const rows = await this.deps.exams.itemStats(course.id);
    const items = rows.map((r) => ({ ...r, facility: facility(r), discrimination: pointBiserial(r), answerLetters: r.answer.join('') }));
    const byTag = new Map<string, TagAnalysisRow>();
    for (const r of rows) {
      for (const tag of r.tags.length > 0 ? r.tags : ['']) {
        const t = byTag.get(tag) ?? { tag, questions: 0, shown: 0, correct: 0, facility: null };
        t.questions += 1;
        t.shown += r.shown;
        t.correct += r.correct;
        byTag.set(tag, t);
      }
    }
    const tags = [...byTag.values()].map((t) => ({ ...t, facility: t.shown === 0 ? null : t.correct / t.shown })).sort((a, b) => a.tag.localeCompare(b.tag));
    return { course, items, tags };
  }

  /** Papers with answers and key, for the trainer: one learner's (by employee number or username) or the newest. */
  async papersForTrainer(courseCode: string, learner: string | null): Promise<{ course: Course; attempts: Array<ExamAttempt & { userName: string; employeeNo: string | null; paper: PaperEntry[] }> }> {
    const course = await this.course(courseCode);
    let userId: number | null = null;
    if (learner) {
      const user = (await this.deps.users.findByEmployeeNo(learner)) ?? (await this.deps.users.findByUsername(learner));
      if (!user) return { course, attempts: [] };
      userId = user.id;
    }
    const attempts = await this.deps.exams.courseAttempts(course.id, userId, learner ? 100 : 20);
    return { course, attempts: await Promise.all(attempts.map(async (a) => ({ ...a, paper: await this.deps.exams.paperOf(a.id) }))) };
  }

  private async finishIfExpired(attempt: ExamAttempt | null): Promise<ExamAttempt | null> {
    if (!attempt || attempt.submittedAt) return attempt;
    if (this.deps.now().getTime() <= new Date(attempt.deadline).getTime() + EXAM_GRACE_MS) return attempt;
    return (await this.close(attempt.id, 'deadline')).attempt;
  }

  private async close(attemptId: number, by: 'learner' | 'deadline'): Promise<{ attempt: ExamAttempt; paper: PaperEntry[] }> {
    const { exams, certification, logger } = this.deps;
    const { attempt, paper, closedNow } = await exams.submitAttempt(attemptId, by);
    if (closedNow && attempt.passed) {
      // The grade is stored whatever happens next; a certificate that fails now is issued by the daily reconcile.
      await certification.onExamPassed(attempt).catch((error: unknown) => logger.error({ err: error, attemptId }, '[exams] certificate after an exam pass failed; the daily job retries'));
    }
    return { attempt, paper };
  }

  /** `paper`: the attempt's paper when the caller holds it already (just drawn, just graded); read otherwise. */
  private async learnerView(attempt: ExamAttempt, given?: readonly ViewedEntry[]): Promise<LearnerAttemptView> {
    const paper: readonly ViewedEntry[] = given ?? await this.deps.exams.paperOf(attempt.id);
    const questions = paper.map((q) => ({ id: q.questionId, type: q.type, stem: q.stem, options: q.options.map((o) => ({ id: o.id, text: o.text })), answer: q.answer }));
    const base = { attemptId: attempt.id, number: attempt.number, startedAt: attempt.startedAt, deadline: attempt.deadline, questionCount: attempt.questionCount, questions };
    if (!attempt.submittedAt) return { ...base, status: 'running', result: null };
    const showKey = attempt.reviewPolicy === 'after_submit' || (attempt.reviewPolicy === 'after_pass' && attempt.passed === true);
    return {
      ...base, status: 'submitted',
      result: {
        score: attempt.score!, passed: attempt.passed!, passMark: attempt.passMark, correctCount: attempt.correctCount!, submittedAt: attempt.submittedAt,
        submittedBy: attempt.submittedBy!, policy: attempt.reviewPolicy,
        review: showKey ? paper.map((q) => ({ id: q.questionId, correct: q.correct, isCorrect: q.isCorrect === true, explanation: q.explanation })) : null,
      },
    };
  }
}

function closedMessage(reason: ExamClosedReason): string {
  return {
    EXAM_NOT_CONFIGURED: 'This course has no exam',
    EXAM_LESSONS_INCOMPLETE: 'Finish the lessons first',
    EXAM_ALREADY_CERTIFIED: 'You hold a valid certificate; the exam opens again in the renewal window',
    EXAM_NO_ATTEMPTS_LEFT: 'No exam attempts left in this certification cycle',
  }[reason];
}

function timeUpOrSubmitted(attempt: ExamAttempt): ConflictError {
  return attempt.submittedBy === 'deadline'
    ? new ConflictError('The time limit has passed; the exam was submitted as it stood', [], 'EXAM_TIME_UP')
    : new ConflictError('This exam has been submitted', [], 'EXAM_SUBMITTED');
}
