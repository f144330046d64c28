/** People search for hr and admin, inside what they may see, and the extras of a person's page (issue 17). */
import type { Principal } from '../auth/principal.js';
import { reportingScopes } from '../auth/principal.js';
import { localDateOf } from '../certification/calendar.js';
import type { CoverRow, ExamAttemptRow, PeopleCursor, PeopleStore, PersonHit } from './people.repository.js';

export const PEOPLE_PER_PAGE = 20;

export class PeopleService {
  constructor(private readonly deps: { people: PeopleStore; timeZone: string }) {}

  /** A digit in the text: employee number prefix; otherwise name prefix. */
  async search(actor: Principal, q: string, after: PeopleCursor | null): Promise<{ hits: PersonHit[]; next: PeopleCursor | null; kind: 'number' | 'name' }> {
    const kind = /\d/.test(q) ? 'number' : 'name';
    return { kind, ...await this.deps.people.search(kind, q, reportingScopes(actor), after, PEOPLE_PER_PAGE) };
  }

  /** Exam attempts and the assignment behind each course (the caller has checked the person is in scope). */
  async extras(userId: number): Promise<{ hasExtras: true; examAttempts: ExamAttemptRow[]; covers: Array<CoverRow & { assignedOn: string; dueOn: string | null }> }> {
    const { timeZone } = this.deps;
    // Local dates 'YYYY-MM-DD', as the rest of the person's page shows them.
    const day = (iso: string) => (iso.length === 10 ? iso : localDateOf(new Date(iso), timeZone));
    return {
      hasExtras: true, examAttempts: await this.deps.people.examAttemptsOf(userId),
      covers: (await this.deps.people.coversOf(userId)).map((c) => ({ ...c, assignedOn: day(c.assignedAt), dueOn: c.dueAt === null ? null : day(c.dueAt) })),
    };
  }
}
