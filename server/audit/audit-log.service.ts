import type { AuditStore } from './audit.repository.js';
import type { UsersStore } from '../org/users.repository.js';
import { addDaysToLocalDate, startOfLocalDay } from '../certification/calendar.js';

export interface AuditLogQuery { person: string | null; action: string | null; from: string | null; to: string | null; before: number | null }

export interface PersonRef { id: number; name: string; employeeNo: string | null }

export interface AuditLogEntry {
  id: number; at: string; action: string;
  /** null: the system (a scheduled job, the CLI). */
  actor: PersonRef | { id: number; name: null; employeeNo: null } | null;
  /** `user:26` becomes the person; other subjects keep their kind and reference (`course`, `3`). */
  subject: { kind: string; ref: string; person: PersonRef | null };
}

export interface AuditLogPage { entries: AuditLogEntry[]; nextBefore: number | null; person: PersonRef | null; isPersonUnknown: boolean }

const PAGE_SIZE = 50;

/** The readable audit log: people by name, a person/action/date filter, one bounded page at a time. */
export class AuditLogService {
  constructor(private readonly deps: { audit: AuditStore; users: UsersStore; timeZone: string }) {}

  async page(query: AuditLogQuery, pageSize = PAGE_SIZE): Promise<AuditLogPage> {
    let person: PersonRef | null = null;
    if (query.person) {
      const user = (await this.deps.users.findByUsername(query.person)) ?? (await this.deps.users.findByEmployeeNo(query.person));
      if (!user) return { entries: [], nextBefore: null, person: null, isPersonUnknown: true };
      person = { id: user.id, name: user.name, employeeNo: user.employeeNo };
    }
    const { timeZone } = this.deps;
    const fromId = query.from ? await this.deps.audit.firstIdAtOrAfter(startOfLocalDay(query.from, timeZone).toISOString()) : undefined;
    const toId = query.to ? (await this.deps.audit.firstIdAtOrAfter(startOfLocalDay(addDaysToLocalDate(query.to, 1), timeZone).toISOString())) - 1 : undefined;
    const events = await this.deps.audit.search({
      userId: person?.id ?? null, action: query.action, fromId, toId, before: query.before ?? undefined, limit: pageSize + 1,
    });
    const shown = events.slice(0, pageSize);
    const ids = shown.flatMap((e) => [e.actorId, userIdOf(e.subject)]).filter((id): id is number => id !== null);
    const names = await this.deps.users.namesByIds(ids);
    const ref = (id: number): PersonRef | null => { const n = names.get(id); return n ? { id, ...n } : null; };
    const entries = shown.map((e): AuditLogEntry => {
      const [kind, ...rest] = e.subject.split(':');
      const subjectUser = userIdOf(e.subject);
      return {
        id: e.id, at: e.at, action: e.action,
        actor: e.actorId === null ? null : ref(e.actorId) ?? { id: e.actorId, name: null, employeeNo: null },
        subject: { kind: rest.length ? kind : '', ref: rest.length ? rest.join(':') : e.subject, person: subjectUser === null ? null : ref(subjectUser) },
      };
    });
    return { entries, nextBefore: events.length > pageSize ? shown[shown.length - 1].id : null, person, isPersonUnknown: false };
  }
}

function userIdOf(subject: string): number | null {
  const match = /^user:(\d{1,15})$/.exec(subject);
  return match ? Number(match[1]) : null;
}
