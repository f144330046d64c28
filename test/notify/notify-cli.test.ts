import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.js';
import { runCli } from '../helpers/run-cli.js';
import { databaseEnvOf } from '../helpers/test-database.js';
import { startInbox, type Inbox } from './smtp-inbox.js';
import { buildNotifyScenario, type NotifyScenario } from './notify-scenario.js';

/**
 * Like runCli, but without blocking this process: the SMTP server the command talks to lives here.
 */
function runCliAsync(dataDir: string, args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/cli.ts'), ...args], {
      cwd: PROJECT_ROOT, env: { ...process.env, LMS_DATA_DIR: dataDir, LMS_LOG_LEVEL: 'silent', ...databaseEnvOf(dataDir), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('lms notify (command line)', function () {
  this.timeout(120_000);
  let inbox: Inbox;
  let s: NotifyScenario;

  beforeEach(async () => {
    inbox = await startInbox();
    s = await buildNotifyScenario();
  });
  afterEach(async () => {
    s.ctx.close();
    await inbox.close();
  });

  it('sends the reminders through the configured SMTP server, once', async () => {
    const env = { LMS_SMTP_URL: inbox.url, LMS_PUBLIC_URL: 'https://lms.bank.test/', LMS_MAIL_FROM: 'lms@bank.test' };
    // The command runs on the real clock: pin the day the scenario is written for.
    const first = await runCliAsync(s.ctx.dataDir, ['notify', '--as-of', '2026-06-01'], env);
    expect(first.status, first.stderr).to.equal(0);
    expect(first.stdout).to.contain('Sent 3 reminder e-mails (1 overdue, 1 due soon, 1 expiring) and 3 hr digests.');
    expect(first.stdout).to.contain('skipped for lack of an e-mail address: 1.');
    const recipients = inbox.messages.flatMap((m) => m.to).sort();
    expect(recipients).to.deep.equal(['ann@bank.test', 'bo@bank.test', 'cai@bank.test', 'hrall@bank.test', 'hrgd@bank.test', 'hrzj@bank.test']);
    expect(inbox.to('ann@bank.test')[0].text).to.contain('https://lms.bank.test/me');

    const second = await runCliAsync(s.ctx.dataDir, ['notify', '--as-of', '2026-06-01'], env);
    expect(second.status, second.stderr).to.equal(0);
    expect(second.stdout).to.contain('Sent 0 reminder e-mails');
    expect(inbox.messages).to.have.length(6);
  });

  it('exits 1 when the server refuses, leaving the reminders for the next run', async () => {
    inbox.isRefusing = true;
    const refused = await runCliAsync(s.ctx.dataDir, ['notify', '--as-of', '2026-06-01'], { LMS_SMTP_URL: inbox.url });
    expect(refused.status).to.equal(1);
    expect(refused.stdout).to.match(/\d+ e-mails failed and will be retried/);
    inbox.isRefusing = false;
    const retried = await runCliAsync(s.ctx.dataDir, ['notify', '--as-of', '2026-06-01'], { LMS_SMTP_URL: inbox.url });
    expect(retried.status, retried.stderr).to.equal(0);
    expect(inbox.messages).to.have.length(6);
  });

  it('without a mail server says so and exits 0; a dry run works anyway; bad arguments exit 2', () => {
    const disabled = runCli(s.ctx.dataDir, ['notify'], { LMS_SMTP_URL: '' });
    expect(disabled.status, disabled.stderr).to.equal(0);
    expect(disabled.stdout).to.contain('Mail is disabled');

    // On 2026-06-06 Ann's course (due 06-05) is overdue too.
    const dry = runCli(s.ctx.dataDir, ['notify', '--dry-run', '--as-of', '2026-06-06'], { LMS_SMTP_URL: '' });
    expect(dry.status, dry.stderr).to.equal(0);
    expect(dry.stdout).to.contain('Would send 3 reminder e-mails (2 overdue, 0 due soon, 1 expiring)');
    const recorded = s.ctx.app.lms.db.prepare('SELECT COUNT(*) AS n FROM notifications_sent').get() as { n: number };
    expect(recorded.n).to.equal(0);

    expect(runCli(s.ctx.dataDir, ['notify', '--as-of', '1 June']).status).to.equal(2);
    expect(runCli(s.ctx.dataDir, ['notify', '--as-of', '2026-02-30']).status).to.equal(2);
    expect(runCli(s.ctx.dataDir, ['notify', '--loud']).status).to.equal(2);
  });
});
