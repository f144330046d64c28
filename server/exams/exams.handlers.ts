import type { Request, RequestHandler, Response } from 'express';
import { AppError, NotFoundError } from '../errors.js';
import { fieldErrors, parseInput } from '../http/validate.js';
import type { BankService } from './bank.service.js';
import type { ExamService, LearnerAttemptView } from './exam.service.js';
import { answerBodySchema, examSettingsFromForm, examSettingsSchema, MAX_FORM_RULES, positiveId } from './exams.schemas.js';
import type { ExamSettings } from './exam.types.js';

const idParam = (value: unknown, what: string): number => {
  const parsed = positiveId.safeParse(value);
  if (!parsed.success) throw new NotFoundError(`No such ${what}`);
  return parsed.data;
};
const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
const fixed2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

function settingsJson(exam: ExamSettings, bankCode: string | null) {
  const { courseId: _courseId, bankId: _bankId, ...rest } = exam;
  return { bankCode, ...rest };
}

/** Learner pages and API, trainer settings, papers and item analysis. */
export function examsHandlers(deps: { exams: ExamService; banks: BankService }) {
  const { exams, banks } = deps;
  const code = (req: Request) => String(req.params.code);
  const t = (res: Response) => res.locals.t;
  const examUrl = (res: Response, courseCode: string, rest = '') => `${res.locals.baseUrl}/learn/${encodeURIComponent(courseCode)}/exam${rest}`;

  // ---- learner JSON API ----
  const startApi: RequestHandler = async (req, res) => {
    const { created, view } = await exams.start(req.user!, code(req));
    res.status(created ? 201 : 200).json(view);
  };
  const getAttemptApi: RequestHandler = async (req, res) => {
    res.json(await exams.view(req.user!, idParam(req.params.attemptId, 'exam attempt')));
  };
  const answerApi: RequestHandler = async (req, res) => {
    const attemptId = idParam(req.params.attemptId, 'exam attempt');
    const questionId = idParam(req.params.questionId, 'question');
    const body = parseInput(answerBodySchema, req.body, 'The answer must be {"answer": [optionId, …]}');
    res.json(await exams.saveAnswer(req.user!, attemptId, questionId, body.answer));
  };
  const submitApi: RequestHandler = async (req, res) => {
    const view = await exams.submit(req.user!, idParam(req.params.attemptId, 'exam attempt'));
    res.json({ ...view, ...view.result });
  };

  // ---- learner pages ----
  /** The exam's page: the running paper, or the start screen with past attempts. */
  const examPage: RequestHandler = async (req, res) => {
    const course = await exams.course(code(req));
    const state = await exams.availability(req.user!.id, course);
    if (!state.exam) throw new NotFoundError('This course has no exam');
    if (state.running) {
      const view = await exams.view(req.user!, state.running.id);
      res.render('exams/take', {
        title: t(res)('exams.take.title', { course: course.title }), course, exam: state.exam, attempt: view, pageData: { attemptId: view.attemptId, deadline: view.deadline, serverNow: exams.now().toISOString() },
        words: Object.fromEntries(['saving', 'saved', 'failed', 'timeUp', 'confirm', 'left', 'submitted'].map((k) => [k, t(res)(`exams.take.${k}`)])),
        questions: view.questions.map((q, i) => ({ ...q, number: i + 1, inputType: q.type === 'multiple' ? 'checkbox' : 'radio',
          options: q.options.map((o) => ({ ...o, isChecked: q.answer?.includes(o.id) ?? false })) })),
      });
      return;
    }
    res.render('exams/start', {
      title: t(res)('exams.start.title', { course: course.title }), course, exam: state.exam, used: state.used, allowed: state.allowed,
      closedReason: state.closedReason, questionCount: state.exam.rules.reduce((n, r) => n + r.count, 0),
      attempts: state.attempts.filter((a) => a.submittedAt).reverse(), error: typeof req.query.error === 'string' ? req.query.error.slice(0, 40) : null,
    });
  };

  const startPage: RequestHandler = async (req, res) => {
    try {
      await exams.start(req.user!, code(req));
      res.redirect(examUrl(res, code(req)));
    } catch (error) {
      if (error instanceof AppError && error.status === 409) return res.redirect(examUrl(res, code(req), `?error=${encodeURIComponent(error.code)}`));
      throw error;
    }
  };

  /** The no-script path: the whole paper posted at once; every answer is saved, then the paper submitted. */
  const submitPage: RequestHandler = async (req, res) => {
    const attemptId = idParam(req.params.attemptId, 'exam attempt');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const view = await exams.view(req.user!, attemptId);
    if (view.status === 'running') {
      for (const q of view.questions) {
        const given = body[`q${q.id}`];
        const answer = (Array.isArray(given) ? given : given === undefined ? [] : [given]).filter((v): v is string => typeof v === 'string').slice(0, 8);
        if (answer.length === 0 && !q.answer) continue;
        await exams.saveAnswer(req.user!, attemptId, q.id, answer).catch((error: unknown) => {
          if (!(error instanceof AppError) || error.status !== 409) throw error; // time up: submitted as it stood
        });
      }
      await exams.submit(req.user!, attemptId);
    }
    // The course's result page: pass or fail, attempts left, the certificate, and a link to this paper's review.
    res.redirect(`${res.locals.baseUrl}/learn/${encodeURIComponent(code(req))}/result`);
  };

  const resultPage: RequestHandler = async (req, res) => {
    const course = await exams.course(code(req));
    const view = await exams.view(req.user!, idParam(req.params.attemptId, 'exam attempt'));
    if (view.status === 'running') return res.redirect(examUrl(res, course.code));
    res.render('exams/result', { title: t(res)('exams.result.title', { course: course.title }), course, attempt: view, review: reviewModel(view) });
  };

  // ---- trainer ----
  const renderSettings = async (req: Request, res: Response, state: { values?: Record<string, unknown>; errors?: Record<string, string> } = {}) => {
    const { course, exam, bank } = await exams.settings(code(req));
    const values = state.values ?? (exam ? formValues(exam, bank?.code ?? '') : { shuffleQuestions: 'on', shuffleOptions: 'on', requiresLessons: 'on', isEnabled: 'on', passMark: '80', timeLimitMinutes: '30', reviewPolicy: 'after_submit', rule0Count: '10' });
    res.render('exams/settings', {
      title: t(res)('exams.settings.title', { course: course.title }), course, exam, banks: await banks.listBanks(), values, errors: state.errors ?? {},
      ruleIndexes: Array.from({ length: MAX_FORM_RULES }, (_, i) => i), saved: req.query.saved === '1',
    });
  };
  const settingsPage: RequestHandler = async (req, res) => renderSettings(req, res);
  const saveSettingsPage: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await exams.saveSettings(req.user!, code(req), parseInput(examSettingsSchema, examSettingsFromForm(body)));
      res.redirect(`${res.locals.baseUrl}/trainer/courses/${encodeURIComponent(code(req))}/exam?saved=1`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error;
      res.status(422);
      await renderSettings(req, res, { values: body, errors: fieldErrors(error.problems.map((p) => ({ ...p, path: formPath(p.path) })), t(res)) });
    }
  };

  const settingsApi: RequestHandler = async (req, res) => {
    const { exam, bank } = await exams.settings(code(req));
    if (!exam) throw new NotFoundError('This course has no exam');
    res.json(settingsJson(exam, bank?.code ?? null));
  };
  const saveSettingsApi: RequestHandler = async (req, res) => {
    const saved = await exams.saveSettings(req.user!, code(req), parseInput(examSettingsSchema, req.body));
    res.json(settingsJson(saved, String((req.body as { bankCode: string }).bankCode)));
  };

  const analysisData = async (req: Request) => {
    const { course, items, tags } = await exams.itemAnalysis(code(req));
    return {
      course,
      items: items.map((i) => ({
        questionId: i.questionId, stem: i.stem, type: i.type, status: i.status, tags: i.tags, answer: i.answerLetters,
        options: i.options.map((text, n) => ({ letter: String.fromCharCode(65 + n), text, isCorrect: i.answer.includes(String.fromCharCode(65 + n)) })),
        shown: i.shown, answered: i.answered, correct: i.correct, facilityPercent: percent(i.facility), discrimination: fixed2(i.discrimination),
        isWeak: i.discrimination !== null && i.discrimination < 0.2, topWrong: i.topWrong,
      })),
      tags: tags.map((tg) => ({ ...tg, facilityPercent: percent(tg.facility) })),
      method: 'point-biserial',
    };
  };
  const analysisPage: RequestHandler = async (req, res) => {
    const data = await analysisData(req);
    res.render('exams/analysis', { title: t(res)('exams.analysis.title', { course: data.course.title }), ...data });
  };
  const analysisApi: RequestHandler = async (req, res) => {
    const { course: _course, ...data } = await analysisData(req);
    res.json(data);
  };

  const papersData = async (req: Request) => {
    const learner = typeof req.query.learner === 'string' && req.query.learner.trim() !== '' ? req.query.learner.trim().slice(0, 64) : null;
    const { course, attempts } = await exams.papersForTrainer(code(req), learner);
    return {
      course, learner,
      attempts: attempts.map((a) => ({
        id: a.id, number: a.number, userName: a.userName, employeeNo: a.employeeNo, startedAt: a.startedAt, deadline: a.deadline, submittedAt: a.submittedAt,
        submittedBy: a.submittedBy, score: a.score, passed: a.passed, passMark: a.passMark,
        paper: a.paper.map((q) => ({
          questionId: q.questionId, versionId: q.versionId, type: q.type, stem: q.stem, isCorrect: q.isCorrect, answeredAt: q.answeredAt,
          options: q.options.map((o) => ({ id: o.id, letter: o.letter, text: o.text, isChosen: q.answer?.includes(o.id) ?? false, isCorrect: q.correct.includes(o.id) })),
        })),
      })),
    };
  };
  const papersPage: RequestHandler = async (req, res) => {
    const data = await papersData(req);
    res.render('exams/papers', { title: t(res)('exams.papers.title', { course: data.course.title }), ...data });
  };
  const papersApi: RequestHandler = async (req, res) => {
    const { course: _course, ...data } = await papersData(req);
    res.json(data);
  };

  return {
    startApi, getAttemptApi, answerApi, submitApi, examPage, startPage, submitPage, resultPage,
    settingsPage, saveSettingsPage, settingsApi, saveSettingsApi, analysisPage, analysisApi, papersPage, papersApi,
  };
}

/** Review rows for the result page: each question with the learner's choices and, per policy, the key. */
function reviewModel(view: LearnerAttemptView) {
  const review = new Map((view.result?.review ?? []).map((r) => [r.id, r]));
  return view.questions.map((q, i) => {
    const r = review.get(q.id);
    return {
      number: i + 1, stem: q.stem, isCorrect: r?.isCorrect ?? null, explanation: r?.explanation ?? '', hasKey: r !== undefined,
      options: q.options.map((o) => ({ text: o.text, isChosen: q.answer?.includes(o.id) ?? false, isCorrect: r ? r.correct.includes(o.id) : false })),
    };
  });
}

function formValues(exam: ExamSettings, bankCode: string): Record<string, unknown> {
  const values: Record<string, unknown> = {
    bankCode, passMark: String(exam.passMark), timeLimitMinutes: String(exam.timeLimitMinutes),
    attemptsPerCycle: exam.attemptsPerCycle === null ? '' : String(exam.attemptsPerCycle), reviewPolicy: exam.reviewPolicy,
    shuffleQuestions: exam.shuffleQuestions ? 'on' : '', shuffleOptions: exam.shuffleOptions ? 'on' : '',
    requiresLessons: exam.requiresLessons ? 'on' : '', isEnabled: exam.isEnabled ? 'on' : '',
  };
  exam.rules.forEach((r, i) => {
    values[`rule${i}Count`] = String(r.count);
    values[`rule${i}Tags`] = r.tags.join('; ');
    values[`rule${i}Difficulties`] = r.difficulties.join(', ');
  });
  return values;
}

/** 'rules.1.count' → 'rule1Count', so the error shows beside its form field. */
function formPath(path: string): string {
  const m = /^rules\.(\d+)\.(count|tags|difficulties)/.exec(path);
  if (m) return `rule${m[1]}${m[2][0].toUpperCase()}${m[2].slice(1)}`;
  return path === 'rules' ? 'rule0Count' : path;
}
