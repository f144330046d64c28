/** The words of invitation and reset e-mails, in the recipient's language (pure; values escaped). */
import type { TFunction } from 'i18next';
import type { MailContent } from '../../notify/notify-messages.js';
import { escapeHtml } from '../../notify/notify-messages.js';
import type { TokenPurpose } from './password-tokens.repository.js';

export function passwordLinkMail(t: TFunction, purpose: TokenPurpose, recipient: { name: string; username: string }, link: string, expiresAt: string): MailContent {
  const base = purpose === 'invite' ? 'signin.mail.invite' : 'signin.mail.reset';
  const greeting = t('signin.mail.greeting', { name: recipient.name });
  const body = t(`${base}.body`, { username: recipient.username });
  const expiry = t('signin.mail.expires', { at: expiresAt });
  const ignore = t(`${base}.ignore`);
  const text = [greeting, '', body, '', link, '', expiry, ignore].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif"><p>${escapeHtml(greeting)}</p><p>${escapeHtml(body)}</p>`
    + `<p><a href="${escapeHtml(link)}">${escapeHtml(t(`${base}.button`))}</a></p><p>${escapeHtml(expiry)}</p>`
    + `<p style="color:#666">${escapeHtml(ignore)}</p></body></html>`;
  return { subject: t(`${base}.subject`), text, html };
}
