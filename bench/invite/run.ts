/**
 * npm run bench:invite — inviting the whole bank (BENCH_PEOPLE, default 415,000 people without a
 * password) through the real service: tokens, hashes, audit rows, mail content in each person's
 * language. The mail server is a stand-in that accepts at once (a real relay's speed is its own),
 * so this measures the LMS side: how long the run takes against a baseline in the same run (bare
 * batched inserts of the same number of token rows, no audit, no mail), and the longest the event
 * loop was held while it ran (budget: 50 ms, DESIGN §8), beside the loop's delay while idle (the
 * machine's own noise).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLms } from '../../server/app.js';
import { silentLogger } from '../../server/logger.js';
import { PasswordTokensRepository } from '../../server/auth/invitations/password-tokens.repository.js';
import { AuditRepository } from '../../server/audit/audit.repository.js';
import { PasswordLinksService } from '../../server/auth/invitations/password-links.service.js';
import { createTranslator } from '../../server/i18n/i18n.js';
import type { Mailer } from '../../server/notify/mailer.js';

const people = Number(process.env.BENCH_PEOPLE ?? 415_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-bench-invite-'));
const app = createLms({ dataDir, sessionSecret: 'bench-secret-0123456789', logger: silentLogger(), passwordCost: { N: 1024, r: 8, p: 1 } });
const { db } = app.lms;

console.log(`seeding ${people.toLocaleString()} people without a password…`);
const insert = db.prepare(`INSERT INTO users (username, employee_no, name, email, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', 'now', 'now')`);
db.transaction(() => { for (let i = 0; i < people; i++) insert.run(`u${i}`, `E${i}`, `员工${i}`, `u${i}@bank.test`); })();

// Baseline: the same number of token rows in batches of 200, nothing else.
db.exec('CREATE TABLE bench_tokens (id INTEGER PRIMARY KEY, user_id INTEGER, token_hash TEXT UNIQUE)');
const bare = db.prepare('INSERT INTO bench_tokens (user_id, token_hash) VALUES (?, ?)');
let started = performance.now();
for (let i = 0; i < people; i += 200) {
  db.transaction(() => { for (let j = i; j < Math.min(people, i + 200); j++) bare.run(j, crypto.createHash('sha256').update(crypto.randomBytes(32)).digest('hex')); })();
}
const baselineMs = performance.now() - started;

let sent = 0;
const mailer: Mailer = { description: 'stand-in', close: () => undefined, send: async () => { sent += 1; } };
const links = new PasswordLinksService({
  tokens: new PasswordTokensRepository({ db, audit: new AuditRepository({ db, now: () => new Date() }), now: () => new Date() }), sessions: app.lms.repositories.userSessions,
  auth: app.lms.services.auth, mailer, translator: createTranslator('zh-CN'), defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai',
  publicUrl: 'https://lms.bank.example', invitationTtlMs: 14 * 86_400_000, resetTtlMs: 7_200_000, now: () => new Date(), logger: silentLogger(),
});
// The machine's own noise: the loop's delay while idle for two seconds (busy machines show it).
const idle = monitorEventLoopDelay({ resolution: 5 });
idle.enable();
await new Promise((resolve) => setTimeout(resolve, 2000));
idle.disable();
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
started = performance.now();
const report = await links.invite({ everyone: true }, null);
const runMs = performance.now() - started;
delay.disable();

console.log(`invited ${report.invited.toLocaleString()} (${sent.toLocaleString()} mails handed to the relay), ${report.failed} failed`);
console.log(`baseline (bare token inserts): ${(baselineMs / 1000).toFixed(1)} s`);
console.log(`invitation run:                ${(runMs / 1000).toFixed(1)} s  ratio ${(runMs / baselineMs).toFixed(2)}  (${Math.round(people / (runMs / 1000)).toLocaleString()} people/s)`);
console.log(`event loop held at most ${(delay.max / 1e6).toFixed(1)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms; budget 50 ms); idle machine: max ${(idle.max / 1e6).toFixed(1)} ms, p99 ${(idle.percentile(99) / 1e6).toFixed(1)} ms`);
app.lms.close();
fs.rmSync(dataDir, { recursive: true, force: true });
