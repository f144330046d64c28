/**
 * npm run bench:tally-writes — what keeping the dashboard's rollups costs a writer: CPU per
 * certificate issued and per revocation (each refreshes one status key, its tallies and, with the
 * rollups, every ancestor's rollups) on a 5-level branch path, with the rollups' triggers and,
 * in the same run on a copy of the same file, without them (the baseline). Alternating rounds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../server/db/migrate.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const PEOPLE = 2_000;
const ROUNDS = 4;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-tally-writes-'));

function seed(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db, path.join(PROJECT_ROOT, 'migrations'));
  const at = '2026-01-01T00:00:00.000Z';
  db.transaction(() => {
    let parent: number | null = null;
    let branchPath = '/';
    for (let depth = 0; depth < 5; depth++) {
      const id: number = Number(db.prepare('INSERT INTO branches (code, name, parent_id, path, depth, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(`B${depth}`, `机构${depth}`, parent, `/tmp-${depth}/`, depth, at, at).lastInsertRowid);
      branchPath = `${branchPath}${id}/`;
      db.prepare('UPDATE branches SET path = ? WHERE id = ?').run(branchPath, id);
      parent = id;
    }
    db.prepare(`INSERT INTO courses (id, code, title, status, created_at, updated_at) VALUES (1, 'C1', '课程', 'published', ?, ?)`).run(at, at);
    for (let i = 1; i <= PEOPLE; i++) {
      db.prepare('INSERT INTO users (id, username, name, branch_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(i, `u${i}`, `员工${i}`, parent, at, at);
      db.prepare(`INSERT INTO enrollments (user_id, course_id, due_at, assigned_at, source) VALUES (?, 1, ?, ?, 'assignment')`)
        .run(i, `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`, at);
    }
  })();
  db.close();
}

function cpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** CPU per write: every person certified (to one of 300 days), then every certificate revoked. */
function measure(file: string, round: number): { issue: number; revoke: number } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const issue = db.prepare(`INSERT INTO certificates (serial, user_id, course_id, score, issued_at, expires_at) VALUES (?, ?, 1, 90, ?, ?)`);
  const revoke = db.prepare(`UPDATE certificates SET revoked_at = ?, revoked_reason = 'bench' WHERE serial = ?`);
  let t = cpuMs();
  for (let i = 1; i <= PEOPLE; i++) {
    const day = new Date(Date.UTC(2026, 6, 1 + ((i * 7 + round) % 300))).toISOString().slice(0, 10);
    issue.run(`R${round}-${i}`, i, '2026-06-01T02:00:00.000Z', day);
  }
  const issued = (cpuMs() - t) / PEOPLE;
  t = cpuMs();
  for (let i = 1; i <= PEOPLE; i++) revoke.run('2026-06-02T02:00:00.000Z', `R${round}-${i}`);
  const revoked = (cpuMs() - t) / PEOPLE;
  db.close();
  return { issue: issued, revoke: revoked };
}

try {
  const withRollups = path.join(dir, 'with.db');
  const without = path.join(dir, 'without.db');
  seed(withRollups);
  fs.copyFileSync(withRollups, without);
  const plain = new Database(without);
  for (const name of plain.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%rollup%'`).pluck().all() as string[]) {
    plain.exec(`DROP TRIGGER ${name}`);
  }
  plain.close();
  console.log(`bench:tally-writes — ${PEOPLE.toLocaleString('en')} people in an outlet 5 levels down; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const results: Record<string, Array<{ issue: number; revoke: number }>> = { without: [], with: [] };
  for (let round = 0; round < ROUNDS; round++) {
    results.without.push(measure(without, round));
    results.with.push(measure(withRollups, round));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [name, runs] of Object.entries(results)) {
    console.log(`  ${`${name} rollups`.padEnd(16)} certificate issued ${(median(runs.map((r) => r.issue)) * 1000).toFixed(0).padStart(4)} µs CPU, revoked ${(median(runs.map((r) => r.revoke)) * 1000).toFixed(0).padStart(4)} µs CPU (medians of ${ROUNDS})`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
