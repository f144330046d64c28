/**
 * The in-app reminders at the top of the employee home (the same events the e-mails announce):
 * a missed due date, one coming within `dueSoonDays`, a certificate expiring or expired, and a
 * revoked one. Pure: built from the home cards, most urgent first (the cards' order).
 */
import type { HomeCourse } from './employee-home.service.js';

export type ReminderKind = 'overdue' | 'dueSoon' | 'expiring' | 'expired' | 'revoked';

export interface HomeReminder {
  kind: ReminderKind; code: string; title: string; titleEn: string | null;
  /** The date the reminder is about (due, expiry or revocation) and the local days to it (negative: past). */
  date: string; daysLeft: number | null;
}

type ReminderFacts = Pick<HomeCourse, 'code' | 'title' | 'titleEn' | 'status' | 'dueDate' | 'daysLeft' | 'certificate' | 'lapsed' | 'revoked'>;

export function homeReminders(courses: readonly ReminderFacts[], dueSoonDays: number): HomeReminder[] {
  const reminders: HomeReminder[] = [];
  for (const c of courses) {
    const about = { code: c.code, title: c.title, titleEn: c.titleEn };
    if (c.status === 'overdue' && c.dueDate) reminders.push({ ...about, kind: 'overdue', date: c.dueDate, daysLeft: c.daysLeft });
    else if (c.status === 'expiring' && c.certificate) reminders.push({ ...about, kind: 'expiring', date: c.certificate.expiryDate, daysLeft: c.certificate.daysLeft });
    else if (c.status === 'expired' && c.lapsed) reminders.push({ ...about, kind: 'expired', date: c.lapsed.expiryDate, daysLeft: null });
    else if (c.dueDate && c.daysLeft !== null && c.daysLeft >= 0 && c.daysLeft <= dueSoonDays) {
      reminders.push({ ...about, kind: 'dueSoon', date: c.dueDate, daysLeft: c.daysLeft });
    }
    if (c.revoked && c.status !== 'overdue') reminders.push({ ...about, kind: 'revoked', date: c.revoked.on, daysLeft: null });
  }
  return reminders;
}
