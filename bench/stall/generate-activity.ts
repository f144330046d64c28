/**
 * bench:stall's database: the export bench's bank (branches, employees, enrollments, attempts,
 * certificates) plus what learners leave behind in the course the trainer looks at — a SCO and
 * QUESTIONS interaction records per attempt of course CP001, journaled (some questions answered
 * twice), written through the app's schema with its triggers on, as commits would write them.
 *
 * The issue's bank has 40 M interactions over ten courses; only the trainer's course is read by
 * the operations measured, so by default only its attempts get records (≈ 4 M at full size; the
 * other courses' would add file size, not work). Cached under data/bench/ like the bank.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ensureBankDatabase, type BankSize } from '../export/generate-bank.js';

const ACTIVITY_VERSION = 'stall-v1';
export const TRAINER_COURSE = 'CP001';
const QUESTIONS = 10;
const RESPONSES = ['a', 'b', 'c', 'd'];

export function ensureStallDatabase(projectRoot: string, size: BankSize, log: (line: string) => void): string {
  const bank = ensureBankDatabase(projectRoot, size, log);
  const hash = crypto.createHash('sha256').update(`${ACTIVITY_VERSION} ${path.basename(bank)} ${QUESTIONS}`).digest('hex').slice(0, 12);
  const file = path.join(path.dirname(bank), `stall-${size.employees}-${hash}.db`);
  if (fs.existsSync(file)) return file;
  const partial = `${file}.partial`;
  fs.copyFileSync(bank, partial);
  const started = performance.now();
  const interactions = addActivity(partial);
  fs.renameSync(partial, file);
  log(`added ${interactions.toLocaleString('en')} interaction records in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path.relative(projectRoot, file)}`);
  return file;
}

function addActivity(file: string): number {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const course = db.prepare('SELECT id FROM courses WHERE code = ?').get(TRAINER_COURSE) as { id: number };
  const version = db.prepare('SELECT id FROM course_versions WHERE course_id = ?').get(course.id) as { id: number };
  const scoId = Number(db.prepare(`INSERT INTO scos (version_id, identifier, title, href, position) VALUES (?, 'exam', '测验', 'index.html', 0)`)
    .run(version.id).lastInsertRowid);
  const insert = db.prepare(`INSERT INTO interactions (attempt_id, sco_id, idx, interaction_id, type, response, correct_response, result, recorded_at)
    VALUES (?, ?, ?, ?, 'choice', ?, 'a', ?, ?)`);
  const attempts = db.prepare(`SELECT a.id, a.started_at FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
    WHERE e.course_id = ? AND a.id > ? ORDER BY a.id LIMIT 20000`);
  let written = 0;
  for (let after = 0; ;) {
    const batch = attempts.all(course.id, after) as Array<{ id: number; started_at: string }>;
    if (batch.length === 0) break;
    db.transaction(() => {
      for (const attempt of batch) {
        let idx = 0;
        for (let q = 1; q <= QUESTIONS; q++) {
          const tries = (attempt.id + q) % 7 === 0 ? 2 : 1; // a journaled retry now and then
          for (let t = 0; t < tries; t++) {
            const response = RESPONSES[(attempt.id * 31 + q * 7 + t) % (q <= 3 ? 2 : RESPONSES.length)];
            insert.run(attempt.id, scoId, idx++, `q${String(q).padStart(2, '0')}`, response, response === 'a' ? 'correct' : 'incorrect', attempt.started_at);
            written++;
          }
        }
      }
    })();
    after = batch.at(-1)!.id;
  }
  db.close();
  return written;
}
