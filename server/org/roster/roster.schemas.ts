import { z } from 'zod';
import { emptyToNull } from '../../http/validate.js';
import { parseRosterDate } from './roster-values.js';

const effectiveDate = z.preprocess(emptyToNull, z.string().trim().nullable().default(null)
  .refine((v) => v === null || v.length <= 32 && /^\d{4}-\d{2}-\d{2}$/.test(v) && 'date' in parseRosterDate(v), { message: 'Use a real date YYYY-MM-DD', params: { code: 'DATE_INVALID' } }));
// An unchecked checkbox sends nothing; a checked one sends its value.
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === true, z.boolean());

export const previewFieldsSchema = z.object({ effectiveDate, validOnly: checkbox });

export const applyFieldsSchema = z.object({
  uploadId: z.string().regex(/^[0-9a-f]{32}$/),
  effectiveDate,
  validOnly: checkbox,
});
