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

const NAME = '\u0000name\u0000';
const USERNAME = '\u0000username\u0000';
const LINK = '\u0000link\u0000';

/**
 * The same mail as passwordLinkMail, translated once and filled in per person: invitation runs
 * send hundreds of thousands, and translating each one costs more than everything else together.
 */
export function passwordLinkMailTemplate(t: TFunction, purpose: TokenPurpose, expiresAt: string) {
  const template = passwordLinkMail(t, purpose, { name: NAME, username: USERNAME }, LINK, expiresAt);
  const fill = (text: string, values: [string, string, string]) =>
    text.replaceAll(NAME, values[0]).replaceAll(USERNAME, values[1]).replaceAll(LINK, values[2]);
  return (recipient: { name: string; username: string }, link: string): MailContent => {
    const plain: [string, string, string] = [recipient.name, recipient.username, link];
    return {
      subject: fill(template.subject, plain),
      text: fill(template.text, plain),
      html: fill(template.html, plain.map(escapeHtml) as [string, string, string]),
    };
  };
}
