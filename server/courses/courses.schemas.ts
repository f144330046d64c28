import { z } from 'zod';
import { emptyToNull } from '../http/validate.js';
import { COURSE_CODE_MAX, COURSE_CODE_PATTERN } from './course-code.js';

const optionalNumber = (schema: z.ZodNumber) => z.preprocess((v) => (emptyToNull(v) === null ? null : v), z.coerce.number().pipe(schema).nullable().default(null));

/** Length first, then the pattern: no regex ever runs over a long input. */
export const courseCodeSchema = z.string().trim()
  .refine((code) => code.length <= COURSE_CODE_MAX && COURSE_CODE_PATTERN.test(code), { params: { code: 'COURSE_CODE_INVALID' }, message: 'Course code: 1–32 letters, digits, _ or -, starting with a letter or digit' });

export const courseMetadataSchema = z.object({
  code: courseCodeSchema.optional(),
  title: z.string().trim().min(1).max(200),
  titleEn: z.preprocess(emptyToNull, z.string().trim().max(200).nullable().default(null)),
  description: z.string().trim().max(4000).default(''),
  validityMonths: z.coerce.number().int().min(1).max(120),
  passMark: optionalNumber(z.number().min(0).max(100)),
  attemptsLimit: optionalNumber(z.number().int().min(1).max(100)),
  completionRule: z.enum(['rollup', 'all_scos']).default('rollup'),
  countedAttempt: z.enum(['last', 'highest']).default('last'),
});

export const uploadFieldsSchema = z.object({
  code: z.preprocess(emptyToNull, courseCodeSchema.nullable().default(null)),
});

export const publishSchema = z.object({
  version: z.preprocess(emptyToNull, z.coerce.number().int().min(1).nullable().default(null)),
});

/** A course's English title and description for en readers; blank clears one (the Chinese text is shown). */
export const courseEnglishSchema = z.object({
  titleEn: z.preprocess(emptyToNull, z.string().trim().max(200).nullable().default(null)),
  descriptionEn: z.preprocess(emptyToNull, z.string().trim().max(4000).nullable().default(null)),
});
