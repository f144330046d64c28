/**
 * The course aggregates kept by triggers must always equal a from-scratch recount (the full scans
 * they replace), whatever order records are written, rewritten, edited and deleted in — and the
 * migration's backfill and `rebuild` must produce the same figures.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../server/db/migrate.js';
import { CourseAggregatesRepository } from '../../server/reports/course-aggregates.repository.js';
import { runCli } from '../helpers/run-cli.js';
import { buildTestApp } from '../helpers/test-app.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
const RESPONSES = ['a', 'b', 'c', 'd', null];
const RESULTS = ['correct', 'wrong', 'incorrect', 'unanticipated', 'neutral', '0.5', null];

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface World { db: Database.Database; courses: number[]; scos: number[]; attempts: number[]; enrollments: number[] }

/** Two courses, each with two versions sharing SCO identifiers, learners enrolled in both. */
function seed(db: Database.Database): World {
  const at = '2026-01-01T00:00:00.000Z';
  const world: World = { db, courses: [], scos: [], attempts: [], enrollments: [] };
  for (let c = 1; c <= 2; c++) {
    const courseId = Number(db.prepare(`INSERT INTO courses (code, title, status, created_at, updated_at) VALUES (?, ?, 'published', ?, ?)`).run(`C${c}`, `课程${c}`, at, at).lastInsertRowid);
    world.courses.push(courseId);
    for (let v = 1; v <= 2; v++) {
      const versionId = Number(db.prepare(`INSERT INTO course_versions (course_id, number, scorm_version, title, manifest_json, sha256, size_bytes, storage_dir, uploaded_at)
        VALUES (?, ?, '2004-4th', 't', '{}', '', 0, '', ?)`).run(courseId, v, at).lastInsertRowid);
      for (const identifier of ['sco-a', 'sco-b']) {
        world.scos.push(Number(db.prepare(`INSERT INTO scos (version_id, identifier, title, href, position) VALUES (?, ?, 't', 'x.html', 0)`)
          .run(versionId, identifier).lastInsertRowid));
      }
    }
  }
  for (let u = 1; u <= 6; u++) {
    const userId = Number(db.prepare(`INSERT INTO users (username, employee_no, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`)
      .run(`u${u}`, `E${u}`, `学员${u}`, at, at).lastInsertRowid);
    for (const courseId of world.courses) {
      world.enrollments.push(Number(db.prepare(`INSERT INTO enrollments (user_id, course_id, assigned_at, source) VALUES (?, ?, ?, 'assignment')`)
        .run(userId, courseId, at).lastInsertRowid));
    }
  }
  return world;
}

function versionOfEnrollment(db: Database.Database, enrollmentId: number): number {
  return (db.prepare(`SELECT v.id FROM course_versions v JOIN enrollments e ON e.course_id = v.course_id WHERE e.id = ? ORDER BY v.id LIMIT 1`).get(enrollmentId) as { id: number }).id;
}

/** Random attempts, commits (delete a SCO's records, write them again), single edits and deletions. */
function churn(world: World, rnd: () => number, steps: number): void {
  const { db } = world;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const scosOf = (attemptId: number) => db.prepare(`SELECT s.id FROM scos s JOIN course_versions v ON v.id = s.version_id
    JOIN enrollments e ON e.course_id = v.course_id JOIN attempts a ON a.enrollment_id = e.id WHERE a.id = ?`).pluck().all(attemptId) as number[];
  const insert = db.prepare(`INSERT INTO interactions (attempt_id, sco_id, idx, interaction_id, response, result, recorded_at) VALUES (?, ?, ?, ?, ?, ?, 'x')`);
  for (let step = 0; step < steps; step++) {
    const roll = rnd();
    if (roll < 0.15 || world.attempts.length === 0) {
      const enrollmentId = pick(world.enrollments);
      const number = (db.prepare('SELECT COUNT(*) FROM attempts WHERE enrollment_id = ?').pluck().get(enrollmentId) as number) + 1;
      const finished = rnd() < 0.5;
      world.attempts.push(Number(db.prepare(`INSERT INTO attempts (enrollment_id, version_id, number, started_at, finished_at, score_scaled) VALUES (?, ?, ?, 'x', ?, ?)`)
        .run(enrollmentId, versionOfEnrollment(db, enrollmentId), number, finished ? 'y' : null, rnd() < 0.8 ? Math.round(rnd() * 1000) / 1000 : null).lastInsertRowid));
    } else if (roll < 0.25) {
      db.prepare('UPDATE attempts SET finished_at = ?, score_scaled = ? WHERE id = ?')
        .run(rnd() < 0.7 ? 'z' : null, rnd() < 0.8 ? Math.round(rnd() * 1000) / 1000 - 0.1 : null, pick(world.attempts));
    } else if (roll < 0.6) {
      // What the commit path does: clear the SCO's records and write the whole list again.
      const attemptId = pick(world.attempts);
      const scoId = pick(scosOf(attemptId));
      db.transaction(() => {
        db.prepare('DELETE FROM interactions WHERE attempt_id = ? AND sco_id = ?').run(attemptId, scoId);
        const count = Math.floor(rnd() * 8);
        for (let idx = 0; idx < count; idx++) insert.run(attemptId, scoId, idx, pick(['q1', 'q2', 'q3']), pick(RESPONSES), pick(RESULTS));
      })();
    } else if (roll < 0.75) {
      const attemptId = pick(world.attempts);
      const scoId = pick(scosOf(attemptId));
      // Any free index: journaled records may arrive below the current answer as well as above it.
      const idx = Math.floor(rnd() * 12);
      const isFree = db.prepare('SELECT 1 FROM interactions WHERE attempt_id = ? AND sco_id = ? AND idx = ?').get(attemptId, scoId, idx) === undefined;
      if (isFree) insert.run(attemptId, scoId, idx, pick(['q1', 'q2', 'q3']), pick(RESPONSES), pick(RESULTS));
    } else if (roll < 0.87) {
      const row = db.prepare('SELECT attempt_id, sco_id, idx FROM interactions ORDER BY random() LIMIT 1').get() as { attempt_id: number; sco_id: number; idx: number } | undefined;
      if (row) db.prepare('DELETE FROM interactions WHERE attempt_id = ? AND sco_id = ? AND idx = ?').run(row.attempt_id, row.sco_id, row.idx);
    } else {
      const row = db.prepare('SELECT attempt_id, sco_id, idx FROM interactions ORDER BY random() LIMIT 1').get() as { attempt_id: number; sco_id: number; idx: number } | undefined;
      if (row) {
        db.prepare('UPDATE interactions SET interaction_id = ?, response = ?, result = ? WHERE attempt_id = ? AND sco_id = ? AND idx = ?')
          .run(pick(['q1', 'q2', 'q3']), pick(RESPONSES), pick(RESULTS), row.attempt_id, row.sco_id, row.idx);
      }
    }
  }
}

async function expectMaintainedEqualsRecount(world: World, aggregates: CourseAggregatesRepository, label: string): Promise<void> {
  for (const courseId of world.courses) {
    expect(await aggregates.scoreCounts(courseId), `${label}: scores of course ${courseId}`).to.deep.equal(await aggregates.recountScoreCounts(courseId));
    expect(await aggregates.questionTallies(courseId), `${label}: questions of course ${courseId}`).to.deep.equal(await aggregates.recountQuestionTallies(courseId));
  }
}

describe('course aggregates (score distribution and question tallies kept by triggers)', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-aggregates-'));
  });
  afterEach(() => {
    if (db?.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('equal a from-scratch recount after every batch of random writes, rewrites, edits and deletions', async () => {
    db = new Database(path.join(dir, 'lms.db'));
    db.pragma('synchronous = OFF'); // thousands of tiny transactions; durability is not what is tested
    migrate(db, MIGRATIONS);
    const world = seed(db);
    const aggregates = new CourseAggregatesRepository({ db });
    const rnd = random(20261207);
    let answered = 0;
    for (let batch = 0; batch < 40; batch++) {
      churn(world, rnd, 25);
      await expectMaintainedEqualsRecount(world, aggregates, `batch ${batch}`);
      answered += (await aggregates.questionTallies(world.courses[0])).length;
    }
    expect(answered, 'the walk did answer questions').to.be.greaterThan(0);
    expect((await aggregates.scoreCounts(world.courses[0])).length + (await aggregates.scoreCounts(world.courses[1])).length, 'and finish scored attempts').to.be.greaterThan(0);
  });

  it('are backfilled by the migration and recounted by rebuild to the same figures', async () => {
    // The database as it was before the aggregates migration, with records in it.
    const before = path.join(dir, 'before');
    fs.mkdirSync(before);
    const files = fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort();
    const aggregatesFile = files.find((f) => f.endsWith('_course_aggregates.sql'))!;
    for (const file of files.slice(0, files.indexOf(aggregatesFile))) fs.copyFileSync(path.join(MIGRATIONS, file), path.join(before, file));
    db = new Database(path.join(dir, 'lms.db'));
    db.pragma('synchronous = OFF');
    migrate(db, before);
    const world = seed(db);
    // No triggers yet: records written now reach the aggregates only through the backfill.
    churn(world, random(7), 300);
    for (const file of files.slice(files.indexOf(aggregatesFile))) fs.copyFileSync(path.join(MIGRATIONS, file), path.join(before, file));
    migrate(db, before);
    const aggregates = new CourseAggregatesRepository({ db });
    expect((await aggregates.questionTallies(world.courses[0])).length, 'backfilled').to.be.greaterThan(0);
    await expectMaintainedEqualsRecount(world, aggregates, 'after the backfill');
    expect(db.prepare(`SELECT COUNT(*) FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.learner_no IS NOT u.employee_no`).pluck().get()).to.equal(0);

    churn(world, random(8), 200);
    db.prepare(`UPDATE question_tallies SET answered = answered + 5`).run(); // drifted figures …
    db.prepare(`UPDATE users SET employee_no = 'X' || employee_no WHERE id = 1`).run();
    await aggregates.rebuild(); // … are recounted
    await expectMaintainedEqualsRecount(world, aggregates, 'after rebuild');
    expect(db.prepare(`SELECT learner_no FROM enrollments WHERE user_id = 1`).pluck().all()).to.deep.equal(['XE1', 'XE1']);
  });
});

describe('lms rebuild-aggregates', () => {
  it('recounts drifted figures in the data folder', async function () {
    this.timeout(180_000); // a child process with its own tsx start-up, on a shared machine
    const ctx = buildTestApp();
    try {
      const world = seed(ctx.app.lms.db);
      churn(world, random(11), 150);
      const aggregates = ctx.app.lms.repositories.courseAggregates;
      const expected = await aggregates.recountQuestionTallies(world.courses[0]);
      ctx.app.lms.db.prepare('DELETE FROM question_tallies').run();
      expect(await aggregates.questionTallies(world.courses[0])).to.deep.equal([]);
      const result = runCli(ctx.dataDir, ['rebuild-aggregates']);
      expect(result.status, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/Course aggregates recounted/);
      expect(await aggregates.questionTallies(world.courses[0])).to.deep.equal(expected);
    } finally {
      ctx.close();
    }
  });
});
