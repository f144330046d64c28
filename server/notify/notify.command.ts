/**
 * `lms notify [--as-of YYYY-MM-DD] [--dry-run]` — the daily reminder job run by hand or by cron,
 * the same service the standalone server schedules. Exit 0 when done (or when mail is disabled),
 * 1 when some mails failed (they are retried on the next run), 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Container } from '../container.js';
import type { NotifySummary } from './notify.service.js';

export const NOTIFY_HELP = 'notify [--as-of YYYY-MM-DD] [--dry-run]   e-mails due-soon, overdue and expiring reminders and hr digests (each once)';

const options = z.object({
  'as-of': z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '--as-of must be YYYY-MM-DD').optional(),
  'dry-run': z.boolean().default(false),
});

export async function runNotifyCommand(container: Container, args: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options: { 'as-of': { type: 'string' }, 'dry-run': { type: 'boolean' } } }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: ${NOTIFY_HELP}`);
    return 2;
  }
  const parsed = options.safeParse(values);
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('\n')}\nUsage: ${NOTIFY_HELP}`);
    return 2;
  }
  let summary: NotifySummary;
  try {
    summary = await container.jobs.daily({ asOfDate: parsed.data['as-of'] ?? null, dryRun: parsed.data['dry-run'] });
  } catch (error) {
    if (error instanceof RangeError) {
      console.error(`${error.message}\nUsage: ${NOTIFY_HELP}`);
      return 2;
    }
    throw error;
  }
  if (summary.mailDisabled) {
    console.log('Mail is disabled: set LMS_SMTP_URL (smtp://user:password@host:port) to send reminders. Nothing was sent.');
    return 0;
  }
  console.log(describe(summary));
  return summary.failed > 0 ? 1 : 0;
}

function describe(s: NotifySummary): string {
  const verb = s.dryRun ? 'Would send' : 'Sent';
  const lines = [
    `${s.dryRun ? 'Dry run' : 'Reminders'} as of ${s.asOfDate}: ${s.learnersChecked} learners checked.`,
    `${verb} ${s.reminderMails} reminder e-mails (${s.reminders.overdue} overdue, ${s.reminders.due_soon} due soon, ${s.reminders.expiring} expiring) and ${s.digests} hr digests.`,
    `${s.alreadySent} reminders were sent before; skipped for lack of an e-mail address: ${s.skippedNoEmail}.`,
  ];
  if (s.failed > 0) lines.push(`${s.failed} e-mails failed and will be retried on the next run.`);
  if (s.stopped) lines.push('The run stopped early (the mail server kept failing).');
  return lines.join('\n');
}
