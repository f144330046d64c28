/**
 * The words of reminder and digest e-mails, in the recipient's language, as plain text and simple
 * HTML (every value escaped). Pure: the caller passes the translation function and the facts.
 */
import type { TFunction } from 'i18next';
import { CERTIFICATION_STATUSES } from '../certification/status-rules.js';
import type { DigestEntry, DigestList, ScopeDigest } from './hr-digest.js';
import { REMINDER_KINDS, type Reminder } from './reminders.js';

export interface MailContent { subject: string; text: string; html: string }

export interface CourseReminder extends Reminder { courseTitle: string }

export interface DigestSection {
  /** Null for the whole bank. */
  scope: { code: string; name: string } | null;
  digest: ScopeDigest;
}

/** One e-mail listing an employee's new reminders, most pressing first. `link` opens their home. */
export function reminderMail(t: TFunction, recipient: { name: string }, reminders: readonly CourseReminder[], link: string | null): MailContent {
  const lines = [...reminders].sort(byUrgency).map((r) => reminderLine(t, r));
  const greeting = t('notify.reminder.greeting', { name: recipient.name });
  const intro = t('notify.reminder.intro');
  const footer = t('notify.footer');
  const text = [greeting, '', intro, '', ...lines.map((l) => `- ${l}`), '', ...(link ? [t('notify.reminder.open', { url: link }), ''] : []), footer].join('\n');
  const html = page([
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(t('notify.reminder.openLink'))}</a></p>` : '',
    `<p style="color:#666">${escapeHtml(footer)}</p>`,
  ]);
  return { subject: t('notify.reminder.subject', { count: reminders.length }), text, html };
}

/** A reminder a trainer sends by hand from the learner list: one course, its due date when there is one. */
export function trainerReminderMail(t: TFunction, recipient: { name: string }, course: { title: string; dueDate: string | null }, link: string | null): MailContent {
  const greeting = t('notify.reminder.greeting', { name: recipient.name });
  const line = course.dueDate ? t('learnerList.mail.lineDue', { course: course.title, date: course.dueDate }) : t('learnerList.mail.line', { course: course.title });
  const footer = t('notify.footer');
  const text = [greeting, '', line, '', ...(link ? [t('notify.reminder.open', { url: link }), ''] : []), footer].join('\n');
  const html = page([
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(line)}</p>`,
    link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(t('notify.reminder.openLink'))}</a></p>` : '',
    `<p style="color:#666">${escapeHtml(footer)}</p>`,
  ]);
  return { subject: t('learnerList.mail.subject', { course: course.title }), text, html };
}

/** An hr user's digest: one section per scope they hold. `link` opens the compliance overview. */
export function digestMail(t: TFunction, recipient: { name: string }, localDate: string, sections: readonly DigestSection[], link: string | null): MailContent {
  let overdue = 0;
  let expiring = 0;
  for (const s of sections) {
    overdue += s.digest.overdue.total;
    expiring += s.digest.expiring.total;
  }
  const greeting = t('notify.digest.greeting', { name: recipient.name });
  const intro = t('notify.digest.intro', { date: localDate });
  const footer = t('notify.footer');
  const text: string[] = [greeting, '', intro];
  const html: string[] = [`<p>${escapeHtml(greeting)}</p>`, `<p>${escapeHtml(intro)}</p>`];
  for (const { scope, digest } of sections) {
    const title = scope ? t('notify.digest.scope', { name: scope.name, code: scope.code }) : t('notify.digest.wholeBank');
    const counts = CERTIFICATION_STATUSES.map((s) => [t(`status.${s}`), digest.counts[s]] as const);
    text.push('', `== ${title} ==`, `${t('notify.digest.counts')}: ${counts.map(([label, n]) => `${label} ${n}`).join(', ')}`);
    html.push(`<h2>${escapeHtml(title)}</h2>`, `<table><caption>${escapeHtml(t('notify.digest.counts'))}</caption>`
      + `${counts.map(([label, n]) => `<tr><th scope="row" style="text-align:left">${escapeHtml(label)}</th><td>${n}</td></tr>`).join('')}</table>`);
    for (const [kind, list] of [['overdue', digest.overdue], ['expiring', digest.expiring]] as const) {
      if (list.total === 0) continue;
      const heading = t(`notify.digest.${kind}List`, { total: list.total });
      const entries = list.shown.map((e) => digestLine(t, kind, e));
      const more = moreLine(t, list);
      text.push('', heading, ...entries.map((l) => `- ${l}`), ...(more ? [more] : []));
      html.push(`<h3>${escapeHtml(heading)}</h3><ul>${entries.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>${more ? `<p>${escapeHtml(more)}</p>` : ''}`);
    }
  }
  if (link) {
    text.push('', t('notify.digest.open', { url: link }));
    html.push(`<p><a href="${escapeHtml(link)}">${escapeHtml(t('notify.digest.openLink'))}</a></p>`);
  }
  text.push('', footer);
  html.push(`<p style="color:#666">${escapeHtml(footer)}</p>`);
  return { subject: t('notify.digest.subject', { date: localDate, overdue, expiring }), text: text.join('\n'), html: page(html) };
}

function reminderLine(t: TFunction, r: CourseReminder): string {
  const key = r.kind === 'due_soon' && r.daysLeft === 0 ? 'notify.reminder.dueToday' : `notify.reminder.${r.kind}`;
  return t(key, { course: r.courseTitle, date: r.deadline, days: r.daysLeft, count: r.daysLeft });
}

function digestLine(t: TFunction, kind: 'overdue' | 'expiring', e: DigestEntry): string {
  return t(`notify.digest.${kind}Entry`, {
    employeeNo: e.employeeNo ?? '-', name: e.name, branch: e.branchName ?? '-', course: e.courseTitle, date: e.deadline,
  });
}

function moreLine(t: TFunction, list: DigestList): string | null {
  const hidden = list.total - list.shown.length;
  return hidden > 0 ? t('notify.digest.more', { count: hidden }) : null;
}

function byUrgency(a: Reminder, b: Reminder): number {
  const kind = REMINDER_KINDS.indexOf(a.kind) - REMINDER_KINDS.indexOf(b.kind);
  return kind !== 0 ? kind : a.deadline.localeCompare(b.deadline);
}

function page(parts: string[]): string {
  return `<!doctype html><html><body style="font-family:sans-serif">${parts.join('')}</body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
