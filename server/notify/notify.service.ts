/**
 * The reminder job (DESIGN §5, issue 6): as of a day, walks the active learners with assigned
 * courses a page at a time, computes each enrollment's status with the same rules as reports, and
 *   - e-mails each learner their new due-soon, overdue and expiring reminders (one mail per run);
 *   - e-mails each hr user a digest of their branch subtree, once per local day, when someone
 *     there is overdue or expiring.
 * Every reminder is sent once: its dedupe key is claimed in notifications_sent before sending and
 * given back when sending fails, so a re-run sends nothing twice and a failure is retried next run.
 */
import { loopBudget } from '../shared/loop-budget.js';
import type { Locale } from '../config.js';
import type { Logger } from '../logger.js';
import type { Translator } from '../i18n/i18n.js';
import type { CertificationPolicy } from '../certification/status-rules.js';
import type { CertificationStore } from '../certification/certification.repository.js';
import { resolveAsOf, type AsOf } from '../reports/as-of.js';
import { statusOfEnrollment } from '../reports/enrollment-status.js';
import { FACT, type CertificationFacts, type ReportsStore } from '../reports/reports.repository.js';
import { isWithin } from '../shared/branch-path.js';
import { needsAttention, ScopeDigests } from './hr-digest.js';
import type { Mailer, MailMessage } from './mailer.js';
import { digestMail, reminderMail, trainerReminderMail, type CourseReminder, type DigestSection } from './notify-messages.js';
import type { HrGrant, Learner, NotifyCourse, NotifyStore } from './notify.repository.js';
import { digestKey, reminderFor, reminderKey, REMINDER_KINDS, type ReminderKind } from './reminders.js';

export interface NotifyRunOptions {
  /** Local date 'YYYY-MM-DD' to run as of; today (by the clock) when omitted. */
  asOfDate?: string | null;
  /** Work out what would be sent; claim and send nothing (works without a mail server). */
  dryRun?: boolean;
  /** Aborting stops the run between two mails (shutdown). */
  signal?: AbortSignal;
}

export interface NotifySummary {
  asOfDate: string;
  dryRun: boolean;
  /** No mail server configured: nothing was looked at or sent. */
  mailDisabled: boolean;
  learnersChecked: number;
  /** Reminders sent (in a dry run: that would be sent), by kind. */
  reminders: Record<ReminderKind, number>;
  reminderMails: number;
  digests: number;
  /** Reminders found again that an earlier run already sent. */
  alreadySent: number;
  /** People who had something to receive but no e-mail address. */
  skippedNoEmail: number;
  /** Mails the server refused or that could not be delivered; their reminders stay due for the next run. */
  failed: number;
  /** Stopped early: aborted, or the mail server kept failing. */
  stopped: boolean;
}

interface PendingReminder extends CourseReminder { key: string }

interface HrRecipient {
  userId: number; name: string; email: string | null; locale: Locale | null;
  scopes: Array<Pick<HrGrant, 'scopeCode' | 'scopeName' | 'scopePath'>>;
}

// One batch is read and walked through the status rules without a turn in between: 500 learners
// (5,000 enrollments) measured up to 121 ms of CPU on a busy machine (bench:stall), 200 stays well inside the budget.
const LEARNERS_PER_BATCH = 200;
/** After this many failed mails in a row the server is taken to be down and the run stops. */
const MAX_FAILURES_IN_A_ROW = 5;

export class NotifyService {
  constructor(private readonly deps: {
    reports: ReportsStore; notify: NotifyStore; certification: CertificationStore;
    policy: CertificationPolicy; translator: Translator; defaultLocale: Locale;
    /** Null when no mail server is configured. */
    mailer: Mailer | null;
    /** Base of links in mails (no trailing slash); null: mails carry no link. */
    publicUrl: string | null;
    dueSoonDays: number;
    now: () => Date; logger: Logger;
    batchSize?: number;
  }) {}

  get isMailEnabled(): boolean {
    return this.deps.mailer !== null;
  }

  async run(options: NotifyRunOptions = {}): Promise<NotifySummary> {
    const { logger, policy } = this.deps;
    const asOf = resolveAsOf(options.asOfDate ?? null, this.deps.now(), policy.timeZone);
    const run = new Run(asOf, options.dryRun ?? false, options.signal);
    if (!this.deps.mailer && !run.summary.dryRun) {
      run.summary.mailDisabled = true;
      logger.warn('[notify] mail is disabled (no SMTP server configured: LMS_SMTP_URL); no reminders sent');
      return run.summary;
    }
    const courses = new Map((await this.deps.notify.listCourses()).map((c) => [c.id, c]));
    const hrRecipients = hrRecipientsOf(await this.deps.notify.listHrGrants());
    const digests = new ScopeDigests();
    for (const r of hrRecipients) for (const s of r.scopes) digests.register(s.scopePath);

    // The job shares the loop with requests: a turn for them at least every slice, whether or not
    // anything was mailed (claims and a stub mailer resolve within the same turn).
    const budget = loopBudget();
    let after = 0;
    for (;;) {
      if (run.isStopped()) break;
      const turn = budget.checkpoint();
      if (turn) await turn;
      const learners = await this.deps.notify.listLearners(after, this.deps.batchSize ?? LEARNERS_PER_BATCH);
      if (learners.length === 0) break;
      after = learners[learners.length - 1].id;
      run.summary.learnersChecked += learners.length;
      const due = await this.walkBatch(learners, asOf, courses, digests);
      for (const learner of learners) {
        const reminders = due.get(learner.id);
        if (!reminders || run.isStopped()) continue;
        await this.sendReminders(run, learner, reminders);
        const turn = budget.checkpoint();
        if (turn) await turn;
      }
    }
    for (const recipient of hrRecipients) {
      if (run.isStopped()) break;
      const sections: DigestSection[] = recipient.scopes.map((s) => ({
        scope: s.scopePath === null ? null : { code: s.scopeCode!, name: s.scopeName! },
        digest: digests.get(s.scopePath),
      }));
      if (!sections.some((s) => needsAttention(s.digest))) continue;
      await this.sendDigest(run, recipient, sections);
      const turn = budget.checkpoint();
      if (turn) await turn;
    }
    logger.info({ ...run.summary, mailer: this.deps.mailer?.description ?? null }, `[notify] run as of ${asOf.date} finished`);
    return run.summary;
  }

  /**
   * The statuses of one page of learners: fills the hr digests and returns each learner's
   * reminders (courses they can open only): one read, then computation.
   */
  private async walkBatch(learners: Learner[], asOf: AsOf, courses: Map<number, NotifyCourse>, digests: ScopeDigests): Promise<Map<number, PendingReminder[]>> {
    const { policy, dueSoonDays } = this.deps;
    const byId = new Map(learners.map((l) => [l.id, l]));
    const due = new Map<number, PendingReminder[]>();
    const facts = await this.deps.reports.listFactsOfUsers(learners.map((l) => l.id), asOf, null);
    for (const tuples of enrollmentsOf(facts)) {
      const first = tuples[0];
      const learner = byId.get(first[FACT.userId])!;
      const course = courses.get(first[FACT.courseId])!;
      const result = statusOfEnrollment(tuples, false, asOf.end, policy);
      if (!result.isCounted) continue;
      const listed = result.status === 'overdue' ? result.dueDate : result.status === 'expiring' ? result.expiryDate : null;
      digests.add(learner.branchPath, result.status, listed === null ? null : {
        employeeNo: learner.employeeNo, name: learner.name, branchName: learner.branchName, courseTitle: course.title, deadline: listed,
      });
      const reminder = course.isPublished ? reminderFor(result, dueSoonDays) : null;
      if (!reminder) continue;
      let list = due.get(learner.id);
      if (!list) due.set(learner.id, (list = []));
      list.push({ ...reminder, courseTitle: course.title, key: reminderKey(first[FACT.enrollmentId], reminder) });
    }
    return due;
  }

  private async sendReminders(run: Run, learner: Learner, reminders: PendingReminder[]): Promise<void> {
    const { summary } = run;
    if (!learner.email) {
      summary.skippedNoEmail++;
      return;
    }
    const fresh = await this.claim(run, learner.id, reminders.map((r) => ({ key: r.key, kind: r.kind, item: r })));
    summary.alreadySent += reminders.length - fresh.length;
    if (fresh.length === 0) return;
    const content = reminderMail(this.translate(learner.locale), learner, fresh, this.link('/me'));
    if (await this.deliver(run, { to: learner.email, ...content }, fresh.map((r) => r.key))) {
      summary.reminderMails++;
      for (const r of fresh) summary.reminders[r.kind]++;
    }
  }

  private async sendDigest(run: Run, recipient: HrRecipient, sections: DigestSection[]): Promise<void> {
    const { summary } = run;
    if (!recipient.email) {
      summary.skippedNoEmail++;
      return;
    }
    const key = digestKey(recipient.userId, run.asOf.date);
    if ((await this.claim(run, recipient.userId, [{ key, kind: 'hr_digest', item: key }])).length === 0) return;
    const content = digestMail(this.translate(recipient.locale), recipient, run.asOf.date, sections, this.link('/hr'));
    if (await this.deliver(run, { to: recipient.email, ...content }, [key])) summary.digests++;
  }

  /** The items whose keys this run may send: claimed now, or (dry run) never sent before. */
  private async claim<T>(run: Run, userId: number, items: Array<{ key: string; kind: string; item: T }>): Promise<T[]> {
    const fresh: T[] = [];
    for (const { key, kind, item } of items) {
      const isFresh = run.summary.dryRun
        ? !(await this.deps.notify.wasSent(key))
        : await this.deps.certification.claimNotification(key, userId, kind);
      if (isFresh) fresh.push(item);
    }
    return fresh;
  }

  /** Sends one mail; on failure gives its keys back so the next run retries. True when sent (or a dry run). */
  private async deliver(run: Run, message: MailMessage, keys: string[]): Promise<boolean> {
    if (run.summary.dryRun) return true;
    try {
      await this.deps.mailer!.send(message);
      run.failuresInARow = 0;
      return true;
    } catch (error) {
      for (const key of keys) await this.deps.certification.releaseNotification(key);
      run.summary.failed++;
      run.failuresInARow++;
      this.deps.logger.warn({ err: error, keys }, '[notify] sending failed; will retry on the next run');
      if (run.failuresInARow >= MAX_FAILURES_IN_A_ROW) {
        run.summary.stopped = true;
        this.deps.logger.error(`[notify] ${run.failuresInARow} mails failed in a row; stopping this run`);
      }
      return false;
    }
  }

  /**
   * Mails one reminder a trainer asked for (not the daily job's; no dedupe: the trainer chose to
   * send it). False when mail is off, the person has no address, or sending failed.
   */
  async sendTrainerReminder(recipient: { name: string; email: string | null; locale: Locale | null }, course: { title: string; dueDate: string | null }): Promise<boolean> {
    if (!this.deps.mailer || !recipient.email) return false;
    const content = trainerReminderMail(this.translate(recipient.locale), recipient, course, this.link('/me'));
    try {
      await this.deps.mailer.send({ to: recipient.email, ...content });
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error }, '[notify] a reminder from the learner list could not be sent');
      return false;
    }
  }

  private translate(locale: Locale | null) {
    return this.deps.translator.forLocale(locale ?? this.deps.defaultLocale);
  }

  private link(path: string): string | null {
    return this.deps.publicUrl === null ? null : `${this.deps.publicUrl}${path}`;
  }
}

class Run {
  readonly summary: NotifySummary;
  failuresInARow = 0;

  constructor(readonly asOf: AsOf, dryRun: boolean, private readonly signal: AbortSignal | undefined) {
    this.summary = {
      asOfDate: asOf.date, dryRun, mailDisabled: false, learnersChecked: 0,
      reminders: Object.fromEntries(REMINDER_KINDS.map((k) => [k, 0])) as Record<ReminderKind, number>,
      reminderMails: 0, digests: 0, alreadySent: 0, skippedNoEmail: 0, failed: 0, stopped: false,
    };
  }

  isStopped(): boolean {
    if (this.signal?.aborted) this.summary.stopped = true;
    return this.summary.stopped;
  }
}

/** Consecutive tuples of one enrollment (the repository groups them). */
function* enrollmentsOf(facts: CertificationFacts[]): Generator<CertificationFacts[]> {
  let start = 0;
  for (let i = 1; i <= facts.length; i++) {
    if (i === facts.length || facts[i][FACT.enrollmentId] !== facts[start][FACT.enrollmentId]) {
      yield facts.slice(start, i);
      start = i;
    }
  }
}

/** One recipient per hr user; a scope inside another of theirs adds nothing and is dropped. */
function hrRecipientsOf(grants: HrGrant[]): HrRecipient[] {
  const byUser = new Map<number, HrRecipient>();
  for (const g of grants) {
    let recipient = byUser.get(g.userId);
    if (!recipient) byUser.set(g.userId, (recipient = { userId: g.userId, name: g.name, email: g.email, locale: g.locale, scopes: [] }));
    recipient.scopes.push({ scopeCode: g.scopeCode, scopeName: g.scopeName, scopePath: g.scopePath });
  }
  for (const recipient of byUser.values()) {
    const { scopes } = recipient;
    recipient.scopes = scopes.filter((s, i) => !scopes.some((other, j) => j !== i && covers(other.scopePath, s.scopePath) && (other.scopePath !== s.scopePath || j < i)));
  }
  return [...byUser.values()];
}

/** Whether scope `outer` contains scope `inner` (null is the whole bank). */
function covers(outer: string | null, inner: string | null): boolean {
  if (outer === null) return true;
  return inner !== null && isWithin(inner, outer);
}
