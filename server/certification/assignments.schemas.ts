import { z } from 'zod';
import { emptyToNull } from '../http/validate.js';
import { isLocalDate } from './calendar.js';

const positions = z.preprocess((v) => {
  if (typeof v === 'string') return v.split(/[,，\n]/).map((p) => p.trim()).filter(Boolean);
  return v ?? [];
}, z.array(z.string().trim().min(1).max(100)).max(100));

const booleanField = z.preprocess((v) => (v === 'true' || v === 'on' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean());

/** POST /api/assignments and the assignment form: which course, who (branch subtree and/or positions), when due. */
export const assignmentSchema = z.object({
  course: z.string().trim().min(1).max(32),
  branch: z.preprocess(emptyToNull, z.string().trim().max(32).nullable().default(null)),
  includeSubBranches: z.preprocess((v) => v ?? true, booleanField),
  positions,
  dueDate: z.preprocess(emptyToNull, z.string().refine(isLocalDate, { message: 'Use a real date YYYY-MM-DD', params: { code: 'DATE_INVALID' } }).nullable().default(null)),
  dueDays: z.preprocess(emptyToNull, z.coerce.number().int().min(1).max(3650).nullable().default(null)),
  dueBasis: z.preprocess(emptyToNull, z.enum(['assignment', 'hire']).nullable().default(null)).transform((v) => v ?? 'assignment'),
}).superRefine((value, ctx) => {
  if ((value.dueDate === null) === (value.dueDays === null)) {
    ctx.addIssue({ code: 'custom', path: ['dueDate'], params: { code: 'DUE_CHOICE' }, message: 'Give either a due date (dueDate) or a number of days (dueDays), not both' });
  }
  if (value.branch === null && value.positions.length === 0 && value.includeSubBranches === false) {
    ctx.addIssue({ code: 'custom', path: ['branch'], params: { code: 'BRANCH_OR_POSITIONS' }, message: 'Choose a branch or positions' });
  }
});

export type AssignmentInput = z.infer<typeof assignmentSchema>;

/** Why a retake is granted or a certificate revoked: kept in the audit trail, so required. */
export const reasonField = z.string().trim().refine((r) => r.length >= 1 && r.length <= 500, { message: 'Give a reason of 1 to 500 characters', params: { code: 'REASON_REQUIRED' } });
export const retakeSchema = z.object({ reason: reasonField });
