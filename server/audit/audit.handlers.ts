import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AUDIT_ACTIONS, isAuditAction } from './audit-actions.js';
import type { AuditLogService } from './audit-log.service.js';
import { actionLabel, auditEntriesView } from './audit-view-model.js';
import { emptyToNull, fieldErrors, toProblems } from '../http/validate.js';
import { isoDate } from '../org/org.schemas.js';

const text = (max: number) => z.preprocess((v) => (typeof v === 'string' ? emptyToNull(v) : null), z.string().trim().max(max).nullable());
const day = z.preprocess((v) => (typeof v === 'string' ? emptyToNull(v) : null), isoDate.nullable());

export const auditQuerySchema = z.object({
  person: text(64),
  action: text(64).refine((v) => v === null || isAuditAction(v), { message: 'Unknown action', params: { code: 'INVALID_VALUE' } }),
  from: day,
  to: day,
  before: z.preprocess((v) => (typeof v === 'string' && v !== '' ? Number(v) : null), z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable()),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'The start date is after the end date', path: ['to'], params: { code: 'DATE_RANGE' } });

export function auditHandlers(deps: { auditLog: AuditLogService }) {
  const page: RequestHandler = async (req, res) => {
    const t = res.locals.t;
    const raw = Object.fromEntries(['person', 'action', 'from', 'to', 'before'].map((k) => [k, typeof req.query[k] === 'string' ? req.query[k] : '']));
    const parsed = auditQuerySchema.safeParse(raw);
    const actions = AUDIT_ACTIONS.map((code) => ({ code, label: actionLabel(code, t), selected: code === raw.action }));
    if (!parsed.success) {
      res.status(422).render('audit/log', { title: t('ux.audit.title'), values: raw, errors: fieldErrors(toProblems(parsed.error), t), actions, events: [] });
      return;
    }
    const result = await deps.auditLog.page(parsed.data);
    const q = parsed.data;
    res.render('audit/log', {
      title: t('ux.audit.title'), values: raw, errors: result.isPersonUnknown ? { person: t('ux.audit.personUnknown') } : {}, actions,
      events: auditEntriesView(result.entries, t), person: result.person,
      next: result.nextBefore === null ? null : { person: q.person, action: q.action, from: q.from, to: q.to, before: result.nextBefore },
      isFirstPage: q.before === null,
      first: { person: q.person, action: q.action, from: q.from, to: q.to },
    });
  };
  return { page };
}
