/**
 * View models for the learner's pages (home cards, result page, certificates): the title in the
 * reader's language, deadlines as countdowns, the next action. Pure; templates only print them.
 */
import type { Locale } from '../config.js';
import type { HomeCourse } from './employee-home.service.js';
import type { HomeReminder } from './reminders.js';
import { cardActions, type CardActions } from './card-actions.js';
import { countdown } from './countdown.js';

/** The English title for en readers when the course has one, else the Chinese one. */
export function localTitle(course: { title: string; titleEn: string | null }, locale: Locale): string {
  return locale === 'en' && course.titleEn ? course.titleEn : course.title;
}

export type CardView = HomeCourse & CardActions & {
  displayTitle: string; displayDescription: string;
  dueCountdown: ReturnType<typeof countdown>; expiryCountdown: ReturnType<typeof countdown>;
  isDueSoon: boolean; isDuePast: boolean;
};

export function cardView(course: HomeCourse, examLink: 'start' | 'resume' | null, locale: Locale, options: { dueSoonDays: number; onResultPage?: boolean }): CardView {
  const daysLeft = course.daysLeft;
  return {
    ...course,
    ...cardActions(course, examLink, { onResultPage: options.onResultPage }),
    displayTitle: localTitle(course, locale),
    displayDescription: locale === 'en' && course.descriptionEn ? course.descriptionEn : course.description,
    dueCountdown: countdown(daysLeft),
    expiryCountdown: countdown(course.certificate?.daysLeft ?? null),
    isDuePast: daysLeft !== null && daysLeft < 0,
    isDueSoon: daysLeft !== null && daysLeft >= 0 && daysLeft <= options.dueSoonDays,
  };
}

export function reminderView(reminder: HomeReminder, locale: Locale) {
  return { ...reminder, displayTitle: localTitle(reminder, locale), when: countdown(reminder.daysLeft), isAlert: reminder.kind === 'overdue' || reminder.kind === 'expired' || reminder.kind === 'revoked' };
}

/** The result page's headline: what happened, in one word the template turns into a sentence. */
export type Outcome = 'passed' | 'failed' | 'lessonsDone' | 'inProgress' | 'notStarted' | 'expired';

export function outcomeOf(course: Pick<HomeCourse, 'status' | 'progress' | 'exam' | 'attempts'>, examLink: 'start' | 'resume' | null): Outcome {
  if (course.status === 'certified' || course.status === 'expiring') return 'passed';
  if (course.status === 'expired') return 'expired';
  if (course.status === 'failed') return 'failed';
  if (course.exam?.last && !course.exam.last.passed && examLink !== 'resume') return 'failed';
  if (course.exam && course.progress === 100 && examLink === 'start') return 'lessonsDone';
  if (course.progress === null && !course.exam?.used) return 'notStarted';
  return 'inProgress';
}
