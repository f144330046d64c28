import { z } from 'zod';
import { emptyToNull } from '../http/validate.js';
import { ROLES } from './users.repository.js';

const optionalText = (max: number) => z.preprocess(emptyToNull, z.string().trim().max(max).nullable().default(null));
// DATE_INVALID: the message beside the field reads in the user's language (errors.fields.DATE_INVALID).
const isoDate = z.string().max(32).refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))
  && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), { message: 'Use a real date YYYY-MM-DD', params: { code: 'DATE_INVALID' } });

export const userFormSchema = z.object({
  username: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'Letters, digits and . _ @ - only'),
  employeeNo: optionalText(32),
  name: z.string().trim().min(1).max(100),
  email: z.preprocess(emptyToNull, z.email().max(200).nullable().default(null)),
  branchCode: optionalText(32),
  position: optionalText(100),
  hiredAt: z.preprocess(emptyToNull, isoDate.nullable().default(null)),
  status: z.enum(['active', 'left']).default('active'),
  password: z.preprocess(emptyToNull, z.string().min(10, 'At least 10 characters').max(200).nullable().default(null)),
});
export type UserForm = z.infer<typeof userFormSchema>;

export const branchFormSchema = z.object({
  code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, _ and - only'),
  name: z.string().trim().min(1).max(100),
  parentCode: optionalText(32),
});
export type BranchForm = z.infer<typeof branchFormSchema>;

export const roleGrantSchema = z.object({
  role: z.enum(ROLES as [string, ...string[]]),
  scopeBranchCode: optionalText(32),
  // A whole-bank hr grant must be asked for explicitly: a forgotten scope field must not grant it.
  wholeBank: z.preprocess((v) => v === '1' || v === 'on' || v === true, z.boolean()).default(false),
});

export const listQuerySchema = z.object({
  q: z.preprocess(emptyToNull, z.string().trim().max(100).nullable().default(null)),
  after: z.coerce.number().int().min(0).optional(),
});

export { isoDate };
