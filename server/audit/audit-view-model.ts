/** Audit log entries as the page shows them, in the request's language. Pure. */
import type { AuditLogEntry, PersonRef } from './audit-log.service.js';

type Translate = (key: string, vars?: object) => string;

export interface AuditRowView { id: number; at: string; actor: string; action: string; actionCode: string; subject: string }

export function auditEntriesView(entries: readonly AuditLogEntry[], t: Translate): AuditRowView[] {
  const person = (p: PersonRef | { id: number; name: null }) => (p.name === null ? t('ux.audit.unknownPerson', { id: p.id })
    : (p as PersonRef).employeeNo ? `${p.name}（${(p as PersonRef).employeeNo}）` : p.name);
  return entries.map((e) => ({
    id: e.id,
    at: e.at,
    actor: e.actor === null ? t('ux.audit.system') : person(e.actor),
    action: actionLabel(e.action, t),
    actionCode: e.action,
    subject: e.subject.person ? person(e.subject.person)
      : e.subject.kind ? `${t(`ux.audit.subjects.${e.subject.kind}`, { defaultValue: e.subject.kind })} ${e.subject.ref}` : e.subject.ref,
  }));
}

export function actionLabel(action: string, t: Translate): string {
  return t(`ux.audit.actions.${action}`, { defaultValue: action });
}
