/**
 * Invitations and password resets for local accounts: one-time links by e-mail. A token is 32
 * random bytes shown once in the link; only its SHA-256 is stored. Large invitation runs (the
 * whole bank) go in batches that yield to the event loop between them.
 */
import crypto from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Mailer } from '../../notify/mailer.js';
import type { Translator } from '../../i18n/i18n.js';
import type { Locale } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { AuthService } from '../auth.service.js';
import type { UserSessionsStore } from '../user-sessions.repository.js';
import type { InviteScope, PasswordTokensStore, Recipient, TokenPurpose } from './password-tokens.repository.js';
import { passwordLinkMailTemplate } from './password-link-mail.js';
import { parseLocale } from '../../i18n/i18n.js';
import { ConflictError, ValidationError } from '../../errors.js';

/** People per transaction (each one token row and one audit row). */
const BATCH = 100;
const SEND_CONCURRENCY = 4;

export interface InviteReport { invited: number; failed: number }

export interface PasswordLinksDeps {
  tokens: PasswordTokensStore; sessions: UserSessionsStore; auth: AuthService;
  mailer: Mailer | null; translator: Translator; defaultLocale: Locale; timeZone: string;
  /** Where the LMS is opened (links in mail); null: no links can be sent. */
  publicUrl: string | null;
  invitationTtlMs: number; resetTtlMs: number; now: () => Date; logger: Logger;
}

export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export class PasswordLinksService {
  /** Reset requests: a few per address and per hour, so the form cannot flood a mailbox. */
  private readonly perEmail = new RateLimiterMemory({ keyPrefix: 'reset-mail', points: 3, duration: 3600 });
  private readonly perIp = new RateLimiterMemory({ keyPrefix: 'reset-ip', points: 30, duration: 3600 });

  constructor(private readonly deps: PasswordLinksDeps) {}

  get canSend(): boolean {
    return Boolean(this.deps.mailer && this.deps.publicUrl);
  }

  /**
   * Invites everyone in scope who has no password yet and has an address (skipping those with an
   * open invitation unless `resend`). Pages through the roster by id, one transaction and a few
   * concurrent sends per batch, yielding between batches.
   */
  async invite(scope: InviteScope, actorId: number | null, options: { resend?: boolean; onProgress?: (r: InviteReport) => void } = {}): Promise<InviteReport> {
    this.assertCanSend();
    const report: InviteReport = { invited: 0, failed: 0 };
    let after = 0;
    for (;;) {
      const page = await this.deps.tokens.listInvitable(scope, { after, limit: BATCH, resend: options.resend ?? false });
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      const sent = await this.issueAndSend('invite', page, actorId);
      report.invited += sent;
      report.failed += page.length - sent;
      options.onProgress?.(report);
      await yieldToLoop();
      if (page.length < BATCH) break;
    }
    this.deps.logger.info({ ...report, actorId }, '[auth] invitations sent');
    return report;
  }

  /**
   * A forgotten-password request. Always answers the same way (the caller shows one message), and
   * does the work after answering, so neither the words nor the timing tell whether the address is known.
   */
  requestReset(email: string, ip: string): void {
    const address = email.trim().toLowerCase();
    if (!this.canSend || !address || address.length > 254) return;
    setImmediate(() => {
      void this.sendReset(address, ip).catch((error: unknown) => this.deps.logger.warn({ err: error }, '[auth] reset mail failed'));
    });
  }

  /** Whether a link is still good, for showing the form (does not use it). */
  async checkToken(token: string): Promise<{ username: string; purpose: TokenPurpose } | null> {
    if (!isTokenShaped(token)) return null;
    return this.deps.tokens.findLive(hashToken(token));
  }

  /** Sets the password from a link (single use) and ends the person's other sessions. */
  async setPassword(token: string, password: string, currentSid: string | null): Promise<{ userId: number; purpose: TokenPurpose }> {
    if (password.length < 10 || password.length > 200) {
      throw new ValidationError('At least 10 characters', [{ code: 'PASSWORD_LENGTH', message: 'At least 10 characters', path: 'password' }]);
    }
    const hash = await this.deps.auth.hashPassword(password);
    const used = isTokenShaped(token) ? await this.deps.tokens.usePassword(hashToken(token), hash) : null;
    if (!used) throw new ConflictError('This link has expired or was already used', [], 'LINK_INVALID');
    await this.deps.sessions.endSessionsOf(used.userId, currentSid);
    return used;
  }

  private async sendReset(address: string, ip: string): Promise<void> {
    try {
      await Promise.all([this.perEmail.consume(address), this.perIp.consume(ip)]);
    } catch {
      return; // over the limit: silently nothing, the answer was already given
    }
    const people = await this.deps.tokens.findByEmail(address);
    if (people.length) await this.issueAndSend('reset', people, null);
  }

  /** Tokens for a batch in one transaction, then the mails; the number accepted by the server. */
  private async issueAndSend(purpose: TokenPurpose, people: Recipient[], actorId: number | null): Promise<number> {
    const { tokens, now } = this.deps;
    const expiresAt = new Date(now().getTime() + (purpose === 'invite' ? this.deps.invitationTtlMs : this.deps.resetTtlMs));
    const issued = people.map((person) => ({ person, token: crypto.randomBytes(32).toString('base64url') }));
    await tokens.issue(purpose, issued.map(({ person, token }) => ({ userId: person.id, tokenHash: hashToken(token) })), expiresAt, { actorId });
    let sent = 0;
    const templates = new Map<Locale, ReturnType<typeof passwordLinkMailTemplate>>();
    for (let i = 0; i < issued.length; i += SEND_CONCURRENCY) {
      const results = await Promise.allSettled(issued.slice(i, i + SEND_CONCURRENCY).map(({ person, token }) => this.send(purpose, person, token, expiresAt, templates)));
      for (const [j, r] of results.entries()) {
        if (r.status === 'fulfilled') sent += 1;
        // Never the link: it is a password in all but name.
        else this.deps.logger.warn({ userId: issued[i + j].person.id, purpose, err: r.reason }, '[auth] could not send a password link');
      }
      // A relay that answers at once would otherwise keep the whole batch in one turn of the loop.
      await yieldToLoop();
    }
    return sent;
  }

  /** `templates` keeps the batch's mail per language, translated once. */
  private async send(purpose: TokenPurpose, person: Recipient, token: string, expiresAt: Date, templates: Map<Locale, ReturnType<typeof passwordLinkMailTemplate>>): Promise<void> {
    const locale = parseLocale(person.locale) ?? this.deps.defaultLocale;
    let mail = templates.get(locale);
    if (!mail) {
      const at = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: this.deps.timeZone }).format(expiresAt);
      mail = passwordLinkMailTemplate(this.deps.translator.forLocale(locale), purpose, at);
      templates.set(locale, mail);
    }
    await this.deps.mailer!.send({ to: person.email, ...mail(person, `${this.deps.publicUrl}/password/set?token=${token}`) });
  }

  assertCanSend(): void {
    if (!this.deps.mailer) throw new ConflictError('No mail server is configured (smtpUrl / LMS_SMTP_URL)', [], 'MAIL_NOT_CONFIGURED');
    if (!this.deps.publicUrl) throw new ConflictError('Links need the LMS address (publicUrl / LMS_PUBLIC_URL)', [], 'PUBLIC_URL_MISSING');
  }
}

function isTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
