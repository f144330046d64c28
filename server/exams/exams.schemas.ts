import { z } from 'zod';
import { REVIEW_POLICIES } from './exam.types.js';
import { mapHeaders, EN_HEADERS } from './bank-columns.js';
import { readQuestionRow } from './question-rows.js';
import { ValidationError } from '../errors.js';
import type { QuestionContent } from './question.types.js';

export const bankCodeSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Letters, digits, - and _ (at most 40)');

export const createBankSchema = z.object({
  code: bankCodeSchema,
  title: z.string().trim().min(1).max(200),
});

const shortText = (max: number) => z.string().max(max);

/** A question as JSON (API): options as a list, answer as letters (true/false: A = 对, B = 错). */
export const questionJsonSchema = z.object({
  type: z.enum(['single', 'multiple', 'true_false']),
  stem: shortText(2000),
  options: z.array(shortText(500)).max(8).default([]),
  answer: z.array(z.string().regex(/^[A-H]$/)).max(8),
  explanation: shortText(2000).default(''),
  tags: z.array(shortText(50)).max(10).default([]),
  difficulty: z.number().int().min(1).max(5).nullable().default(null),
});

/**
 * The trainer's question form: fields named like the English template headers, read by the same
 * row reader as an import (so a form and a file are judged alike).
 */
export function questionFromForm(body: Record<string, unknown>): QuestionContent {
  const fields = EN_HEADERS.map(([field]) => field);
  const cells = fields.map((f) => (typeof body[f] === 'string' ? (body[f] as string).slice(0, 2100) : ''));
  const result = readQuestionRow(0, cells, mapHeaders(fields));
  if (!result.ok) throw new ValidationError('The question is not valid', result.problems.map((p) => ({ code: p.code, message: p.message, path: p.column })));
  return result.question;
}

const ruleSchema = z.object({
  count: z.number().int().min(1).max(200),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  difficulties: z.array(z.number().int().min(1).max(5)).max(5).default([]),
});

export const examSettingsSchema = z.object({
  bankCode: bankCodeSchema,
  rules: z.array(ruleSchema).min(1).max(10),
  shuffleQuestions: z.boolean().default(true),
  shuffleOptions: z.boolean().default(true),
  passMark: z.number().min(0).max(100),
  timeLimitMinutes: z.number().int().min(1).max(600),
  attemptsPerCycle: z.number().int().min(1).max(100).nullable().default(null),
  reviewPolicy: z.enum(REVIEW_POLICIES).default('score_only'),
  requiresLessons: z.boolean().default(true),
  isEnabled: z.boolean().default(true),
});
export type ExamSettingsBody = z.infer<typeof examSettingsSchema>;

export const MAX_FORM_RULES = 5;

const splitList = (value: unknown): string[] => (typeof value === 'string' ? value.slice(0, 1000).split(/[;；,，、\s]+/u).map((s) => s.trim()).filter(Boolean) : []);
const numberOrNull = (value: unknown): number | null | unknown => (typeof value === 'string' && value.trim() === '' ? null : typeof value === 'string' ? Number(value) : value);

/** The settings form: rules as rule<i>Count / rule<i>Tags / rule<i>Difficulties, check boxes as 'on'. */
export function examSettingsFromForm(body: Record<string, unknown>): unknown {
  const rules = [];
  for (let i = 0; i < MAX_FORM_RULES; i += 1) {
    const count = body[`rule${i}Count`];
    if (typeof count !== 'string' || count.trim() === '') continue;
    rules.push({ count: Number(count), tags: splitList(body[`rule${i}Tags`]), difficulties: splitList(body[`rule${i}Difficulties`]).map(Number) });
  }
  return {
    bankCode: body.bankCode, rules, shuffleQuestions: body.shuffleQuestions === 'on', shuffleOptions: body.shuffleOptions === 'on',
    passMark: numberOrNull(body.passMark), timeLimitMinutes: numberOrNull(body.timeLimitMinutes), attemptsPerCycle: numberOrNull(body.attemptsPerCycle),
    reviewPolicy: body.reviewPolicy, requiresLessons: body.requiresLessons === 'on', isEnabled: body.isEnabled === 'on',
  };
}

export const answerBodySchema = z.object({
  answer: z.array(z.string().min(1).max(20)).max(8),
}).strict();

export const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
