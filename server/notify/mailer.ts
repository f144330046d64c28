/**
 * Sending e-mail. The reminder job sees only `Mailer`; the SMTP one is nodemailer on the
 * configured server (smtp:// or smtps:// URL, credentials in the URL).
 */
import nodemailer from 'nodemailer';
import type { MailContent } from './notify-messages.js';

export interface MailMessage extends MailContent { to: string }

export interface Mailer {
  /** Resolves once the server accepted the message; rejects when it refused or was unreachable. */
  send(message: MailMessage): Promise<void>;
  /** Where mail goes, without credentials (for logs). */
  readonly description: string;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  const url = new URL(smtpUrl);
  return {
    description: `${url.protocol}//${url.host}`,
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html });
    },
    close: () => transport.close(),
  };
}
