// When an assignment is due for one learner. Pure: local dates 'YYYY-MM-DD' in the bank's zone.
import { addDaysToLocalDate, localDateOf } from './calendar.js';

export interface DueRule { dueDate: string | null; dueDays: number | null; dueBasis: 'assignment' | 'hire' }

/**
 * A fixed date applies to everyone. "N days after assignment" counts from the day the learner was
 * enrolled (a transfer enrolled later gets the same N days). "N days after hire" counts from the
 * hire date; staff hired long before the assignment (hire + N already past when enrolled) get N
 * days from enrolment instead of being overdue on day one.
 */
export function dueDateFor(rule: DueRule, hiredAt: string | null, enrolledAt: Date, timeZone: string): string | null {
  if (rule.dueDate !== null) return rule.dueDate;
  if (rule.dueDays === null) return null;
  const enrolledOn = localDateOf(enrolledAt, timeZone);
  const fromEnrolment = addDaysToLocalDate(enrolledOn, rule.dueDays);
  if (rule.dueBasis === 'assignment' || hiredAt === null) return fromEnrolment;
  const fromHire = addDaysToLocalDate(hiredAt.slice(0, 10), rule.dueDays);
  return fromHire >= enrolledOn ? fromHire : fromEnrolment;
}
