/**
 * "As of" for reports: a local calendar date in the configured zone, read as its last instant
 * (a report for 2026-03-31 sees everything that happened that day). Past dates place employees
 * in the branch user_branch_history gives for that instant; today and later use the roster as
 * it is now. Pure: no database, no Express.
 */
import { endOfLocalDay, localDateOf } from '../certification/calendar.js';

export type Placement = 'current' | 'history';

export interface AsOf {
  /** 'YYYY-MM-DD' in the configured zone. */
  date: string;
  /** Last instant of that local day. */
  end: Date;
  /** The same instant as stored timestamps are written (ISO-8601 UTC), for comparisons in SQL. */
  endIso: string;
  placement: Placement;
}

export function resolveAsOf(date: string | null, now: Date, timeZone: string): AsOf {
  const today = localDateOf(now, timeZone);
  const chosen = date ?? today;
  const end = endOfLocalDay(chosen, timeZone); // throws RangeError for a date that does not exist
  return { date: chosen, end, endIso: end.toISOString(), placement: chosen < today ? 'history' : 'current' };
}
