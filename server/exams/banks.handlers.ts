import fs from 'node:fs';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import { fieldErrors, parseInput } from '../http/validate.js';
import type { PendingRosterUploads } from '../org/roster/pending-uploads.js';
import type { BankService, ImportReport } from './bank.service.js';
import { createBankSchema, positiveId, questionFromForm, questionJsonSchema } from './exams.schemas.js';
import { OPTION_LETTERS, type Question, type QuestionContent } from './question.types.js';
import { TRUE_FALSE_DEFAULT_OPTIONS } from './question-rows.js';

const PAGE_SIZE = 100;
const formatSchema = z.enum(['csv', 'xlsx']);
const languageOf = (req: Request) => (req.query.lang === 'en' ? 'en' : 'zh');
const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

/** A question as the trainer's JSON and form show it. */
function questionJson(q: Question) {
  return {
    id: q.id, status: q.status, version: q.versionNumber, type: q.type, stem: q.stem, options: q.options, answer: q.answer,
    explanation: q.explanation, tags: q.tags, difficulty: q.difficulty, updatedAt: q.updatedAt,
  };
}

function formValues(q: QuestionContent): Record<string, string> {
  const values: Record<string, string> = {
    type: q.type, stem: q.stem, answer: q.type === 'true_false' ? (q.answer[0] === 'A' ? '对' : '错') : q.answer.join(''),
    explanation: q.explanation, tags: q.tags.join(';'), difficulty: q.difficulty === null ? '' : String(q.difficulty),
  };
  OPTION_LETTERS.forEach((l, i) => { values[`option${l}`] = q.type === 'true_false' ? '' : (q.options[i] ?? ''); });
  return values;
}

function contentFromJson(body: unknown): QuestionContent {
  const data = parseInput(questionJsonSchema, body);
  return { ...data, options: data.type === 'true_false' && data.options.length === 0 ? [...TRUE_FALSE_DEFAULT_OPTIONS] : data.options };
}

export function banksHandlers(deps: { banks: BankService; uploads: PendingRosterUploads }) {
  const { banks, uploads } = deps;
  const code = (req: Request) => String(req.params.code);
  const questionId = (req: Request) => {
    const parsed = positiveId.safeParse(req.params.questionId);
    if (!parsed.success) throw new NotFoundError('No such question');
    return parsed.data;
  };
  const t = (res: Response) => res.locals.t;
  const bankUrl = (res: Response, bankCode: string, rest = '') => `${res.locals.baseUrl}/trainer/question-banks/${encodeURIComponent(bankCode)}${rest}`;

  // ---- pages ----
  const renderList = async (res: Response, state: { values?: unknown; errors?: Record<string, string> } = {}) => {
    res.render('exams/banks', { title: t(res)('exams.banks.title'), banks: await banks.listBanks(), values: state.values ?? {}, errors: state.errors ?? {} });
  };
  const listPage: RequestHandler = async (_req, res) => renderList(res);

  const createPage: RequestHandler = async (req, res) => {
    try {
      const data = parseInput(createBankSchema, req.body);
      await banks.createBank(req.user!, data);
      res.redirect(bankUrl(res, data.code));
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 422 && error.status !== 409)) throw error;
      res.status(error.status);
      await renderList(res, { values: req.body, errors: fieldErrors(error.problems.length ? error.problems : [{ code: error.code, message: error.message, path: 'code' }], t(res)) });
    }
  };

  const bankPage: RequestHandler = async (req, res) => {
    const after = positiveId.optional().catch(undefined).parse(req.query.after);
    const { bank, questions } = await banks.questions(code(req), { after, limit: PAGE_SIZE + 1 });
    const page = questions.slice(0, PAGE_SIZE);
    res.render('exams/bank', {
      title: bank.title, bank, notice: typeof req.query.notice === 'string' ? req.query.notice.slice(0, 40) : null,
      questions: page.map((q) => ({ ...q, answerText: q.type === 'true_false' ? (q.answer[0] === 'A' ? '对' : '错') : q.answer.join(''), tagText: q.tags.join('、') })),
      next: questions.length > PAGE_SIZE ? page.at(-1)!.id : null, isFirst: after === undefined,
    });
  };

  const renderQuestionForm = async (req: Request, res: Response, state: { question?: Question; values: Record<string, unknown>; errors?: Record<string, string> }) => {
    const bank = await banks.bank(code(req));
    res.render('exams/question-form', {
      title: t(res)(state.question ? 'exams.question.editTitle' : 'exams.question.newTitle'), bank, question: state.question ?? null,
      values: state.values, errors: state.errors ?? {}, letters: OPTION_LETTERS,
    });
  };

  const newQuestionPage: RequestHandler = async (req, res) => renderQuestionForm(req, res, { values: { type: 'single' } });

  const editQuestionPage: RequestHandler = async (req, res) => {
    const { question } = await banks.question(code(req), questionId(req));
    await renderQuestionForm(req, res, { question, values: formValues(question) });
  };

  /** Create (no question id) or edit: the same form, re-rendered beside each field on a problem. */
  const saveQuestionPage: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const id = req.params.questionId === undefined ? null : questionId(req);
    try {
      const content = questionFromForm(body);
      if (id === null) await banks.addQuestion(req.user!, code(req), content);
      else await banks.editQuestion(req.user!, code(req), id, content);
      res.redirect(bankUrl(res, code(req), `?notice=${id === null ? 'added' : 'edited'}`));
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 422 && error.status !== 409)) throw error;
      res.status(error.status);
      const question = id === null ? undefined : (await banks.question(code(req), id)).question;
      await renderQuestionForm(req, res, { question, values: body, errors: fieldErrors(error.problems.length ? error.problems : [{ code: error.code, message: error.message, path: '_form' }], t(res)) });
    }
  };

  const retirePage: RequestHandler = async (req, res) => {
    await banks.retireQuestion(req.user!, code(req), questionId(req));
    res.redirect(bankUrl(res, code(req), '?notice=retired'));
  };

  const importPage: RequestHandler = async (req, res) => {
    const bank = await banks.bank(code(req));
    res.render('exams/import', { title: t(res)('exams.import.title', { bank: bank.title }), bank, report: null, uploadId: null });
  };

  /** Multipart upload → dry run; the file waits (for this user, an hour) for the apply button. */
  const importPreviewPage: RequestHandler = async (req, res) => {
    const bank = await banks.bank(code(req));
    if (!req.file) {
      res.status(422).render('exams/import', { title: t(res)('exams.import.title', { bank: bank.title }), bank, report: null, errors: { file: t(res)('exams.import.noFile') } });
      return;
    }
    const upload = await uploads.keep(req.file.path, req.file.originalname, req.user!.id);
    const report = await runImport(() => banks.importBank({ code: bank.code, bytes: fs.readFileSync(upload.filePath), dryRun: true, actorId: req.user!.id }));
    const canApply = !('error' in report) && report.problems.length === 0;
    if (!canApply) await uploads.remove(upload.id);
    res.status(canApply ? 200 : 422).render('exams/import', {
      title: t(res)('exams.import.title', { bank: bank.title }), bank, report: 'error' in report ? null : report,
      errors: 'error' in report ? { file: report.error } : {}, uploadId: canApply ? upload.id : null, fileName: upload.fileName,
    });
  };

  const importApplyPage: RequestHandler = async (req, res) => {
    const bank = await banks.bank(code(req));
    const uploadId = typeof req.body?.uploadId === 'string' ? req.body.uploadId as string : '';
    const upload = await uploads.find(uploadId, req.user!.id);
    if (!upload) {
      res.status(404).render('exams/import', { title: t(res)('exams.import.title', { bank: bank.title }), bank, report: null, errors: { file: t(res)('exams.import.expired') } });
      return;
    }
    try {
      const report = await banks.importBank({ code: bank.code, bytes: fs.readFileSync(upload.filePath), dryRun: false, actorId: req.user!.id });
      if (report.applied) {
        res.redirect(bankUrl(res, bank.code, `?notice=imported`));
        return;
      }
      res.status(422).render('exams/import', { title: t(res)('exams.import.title', { bank: bank.title }), bank, report, uploadId: null });
    } finally {
      await uploads.remove(upload.id);
    }
  };

  // ---- JSON API ----
  const listApi: RequestHandler = async (_req, res) => {
    res.json({ banks: (await banks.listBanks()).map((b) => ({ code: b.code, title: b.title, questions: b.activeQuestions, updatedAt: b.updatedAt })) });
  };

  const createApi: RequestHandler = async (req, res) => {
    const bank = await banks.createBank(req.user!, parseInput(createBankSchema, req.body));
    res.status(201).json({ code: bank.code, title: bank.title, questions: 0 });
  };

  /** The whole bank with answers (trainers and admin only); ?status=all includes retired questions. */
  const getApi: RequestHandler = async (req, res) => {
    const { bank, questions } = await banks.questions(code(req), { status: req.query.status === 'all' ? null : 'active' });
    res.json({ code: bank.code, title: bank.title, questions: questions.map(questionJson) });
  };

  const addQuestionApi: RequestHandler = async (req, res) => {
    res.status(201).json(questionJson(await banks.addQuestion(req.user!, code(req), contentFromJson(req.body))));
  };

  const editQuestionApi: RequestHandler = async (req, res) => {
    res.json(questionJson(await banks.editQuestion(req.user!, code(req), questionId(req), contentFromJson(req.body))));
  };

  const retireQuestionApi: RequestHandler = async (req, res) => {
    await banks.retireQuestion(req.user!, code(req), questionId(req));
    res.status(204).end();
  };

  /** Multipart `file` (+ `title` for a new bank); `?dryRun=1` reports only. 200 dry run, 201 applied, 422 with every problem. */
  const importApi: RequestHandler = async (req, res) => {
    if (!req.file) throw new ValidationError('No file', [{ code: 'FILE_MISSING', message: 'Send the bank file in the "file" field', path: 'file' }]);
    try {
      const dryRun = ['1', 'true'].includes(String(req.query.dryRun ?? req.body?.dryRun ?? ''));
      const title = typeof req.body?.title === 'string' ? (req.body.title as string).slice(0, 200) : undefined;
      const format = formatSchema.optional().catch(undefined).parse(req.body?.format ?? req.query.format);
      const report = await banks.importBank({ code: parseInput(createBankSchema.shape.code, code(req)), title, bytes: fs.readFileSync(req.file.path), format, dryRun, actorId: req.user!.id });
      res.status(report.problems.length > 0 ? 422 : report.applied ? 201 : 200).json(report);
    } finally {
      await fs.promises.rm(req.file.path, { force: true });
      await fs.promises.rm(req.file.path.replace(/\.upload$/, '.json'), { force: true });
    }
  };

  const exportAny: RequestHandler = async (req, res) => {
    const format = parseInput(formatSchema, req.params.format);
    const { bank, body } = await banks.exportBank(code(req), format, languageOf(req));
    res.type(CONTENT_TYPES[format]).attachment(`${bank.code}.${format}`).send(body);
  };

  const template: RequestHandler = async (req, res) => {
    const format = parseInput(formatSchema, req.params.format);
    const body = await banks.template(format, languageOf(req));
    res.type(CONTENT_TYPES[format]).attachment(`question-bank-template.${format}`).send(body);
  };

  return {
    listPage, createPage, bankPage, newQuestionPage, editQuestionPage, saveQuestionPage, retirePage, importPage, importPreviewPage, importApplyPage,
    listApi, createApi, getApi, addQuestionApi, editQuestionApi, retireQuestionApi, importApi, exportAny, template,
  };
}

async function runImport(run: () => Promise<ImportReport>): Promise<ImportReport | { error: string }> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ValidationError) return { error: error.problems[0]?.message ?? error.message };
    throw error;
  }
}
