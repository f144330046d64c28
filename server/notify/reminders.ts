/**
 * Which reminder, if any, an employee gets for one assigned course, read from the status the
 * status rules computed (never re-derived here). Pure.
 *
 *   overdue    the due date has passed without a certificate
 *   expiring   the valid certificate is inside the expiring window
 *   due_soon   not certified, due within `dueSoonDays` local days (0 = due today)
 *
 * Each reminder is sent once per deadline: its dedupe key names the enrollment, the kind and the
 * deadline date, so a new due date or the next certificate's expiry is a new reminder.
 */
import type { CertificationStatusResult } from '../certification/status-rules.js';

export const REMINDER_KINDS = ['overdue', 'due_soon', 'expiring'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export interface Reminder {
  kind: ReminderKind;
  /** Local date 'YYYY-MM-DD': the due date, or the certificate's expiry date. */
  deadline: string;
  /** Local days from the as-of date to the deadline (negative once passed). */
  daysLeft: number;
}

type StatusView = Pick<CertificationStatusResult, 'status' | 'isCounted' | 'dueDate' | 'expiryDate' | 'daysLeft'>;

export function reminderFor(result: StatusView, dueSoonDays: number): Reminder | null {
  if (!result.isCounted || result.daysLeft === null) return null;
  const { status, daysLeft } = result;
  if (status === 'overdue' && result.dueDate !== null) return { kind: 'overdue', deadline: result.dueDate, daysLeft };
  if (status === 'expiring' && result.expiryDate !== null) return { kind: 'expiring', deadline: result.expiryDate, daysLeft };
  if (status === 'certified' || result.dueDate === null) return null;
  return daysLeft >= 0 && daysLeft <= dueSoonDays ? { kind: 'due_soon', deadline: result.dueDate, daysLeft } : null;
}

export function reminderKey(enrollmentId: number, reminder: Reminder): string {
  return `reminder:${reminder.kind}:${enrollmentId}:${reminder.deadline}`;
}

/** One hr digest per user and local day. */
export function digestKey(userId: number, localDate: string): string {
  return `hr-digest:${userId}:${localDate}`;
}
