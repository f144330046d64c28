/**
 * The dashboard's status tallies kept by triggers must always equal a recount from the records,
 * whatever is written — attempts started, committed, finished and deleted, exam papers opened and
 * submitted, an exam switched on, certificates issued and revoked, people moved between branches
 * and leaving — and the figures resolved from them must be the status rules' own (the walk),
 * for today and later dates, per branch subtree, per course and per person. `rebuild` (the CLI's
 * rebuild-aggregates) repairs a tally that went wrong.
 */
import { expect } from 'chai';
import { addDaysToLocalDate } from '../../server/certification/calendar.js';
import { read, figuresOf } from '../../server/reports/branch-tally.js';
import { BranchSnapshotReader, countsRecord } from '../../server/reports/branch-snapshot.js';
import type { ReportBranch } from '../../server/reports/reports.repository.js';
import { StatusTalliesRepository } from '../../server/reports/status-tallies.repository.js';
import { CERTIFICATION_STATUSES } from '../../server/certification/status-rules.js';
import { runCli } from '../helpers/run-cli.js';
import { createBranch, createUser } from '../helpers/test-app.js';
import { addCourse, assign } from './report-fixtures.js';
import { buildReportScenario, type ReportScenario } from './report-scenario.js';

const OPERATIONS = 1_200;
const CHECK_EVERY = 150;

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

// The scenario's clock is 2026-06-01T02:00Z: every record below happened by then.
const instant = (daysBefore: number, hour = 3) => new Date(Date.UTC(2026, 4, 31 - daysBefore, hour)).toISOString();
const day = (offset: number) => addDaysToLocalDate('2026-06-01', offset);

describe('dashboard status tallies (kept by triggers)', function () {
  this.timeout(300_000);
  let scenario: ReportScenario;
  let tallies: StatusTalliesRepository;
  const branchCodes = ['HO', 'GD', 'GD-GZ', 'ZJ', 'ZJ-HZ', 'ZJ-HZ-1'];

  before(async () => {
    scenario = await buildReportScenario();
    const { app } = scenario.ctx;
    await createBranch(app, 'ZJ-HZ', 'ZJ', '杭州分行');
    await createBranch(app, 'ZJ-HZ-1', 'ZJ-HZ', '西湖支行');
    tallies = new StatusTalliesRepository({ db: app.lms.db });
    await mixedWrites(scenario, random(17), OPERATIONS, async () => {
      expect(await tallies.recountDifferences()).to.deep.equal({ keys: 0, tallies: 0, people: 0 });
    });
  });
  after(() => scenario.ctx.close());

  it('equal a recount from the records after the mix of writes', async () => {
    expect(await tallies.recountDifferences()).to.deep.equal({ keys: 0, tallies: 0, people: 0 });
    expect(await tallies.countTallyRows()).to.be.above(20);
  });

  for (const offset of [0, 1, 20, 31, 45, 400]) {
    it(`give the status rules' figures as of today + ${offset} days, for every subtree, course and person`, async () => {
      const { reports } = scenario.ctx.app.lms.services;
      const reader = new BranchSnapshotReader({ reports: scenario.ctx.app.lms.repositories.reports, tallies, policy: policyOf(scenario) });
      const asOf = reports.resolveAsOf(day(offset));
      for (const code of branchCodes) {
        const branch = await reports.findVisibleBranch({ id: null, scopes: null }, code);
        const walked = await reports.summarise(branch, asOf);
        const snapshot = reader.read(branch, asOf, null);
        const expected = figuresOf(branch, walked.totals.get(branch.id)!, (walked.children.get(branch.id) ?? []).length > 0);
        expect(snapshot.figures, `${code} +${offset}`).to.deep.equal(expected);
        expect(snapshot.children.map((c) => c.code)).to.deep.equal((walked.children.get(branch.id) ?? []).map((c: ReportBranch) => c.code));
        for (const child of snapshot.children) {
          const walkedChild = (walked.children.get(branch.id) ?? []).find((c: ReportBranch) => c.code === child.code)!;
          expect(child, `${child.code} +${offset}`).to.deep.equal(figuresOf(walkedChild, walked.totals.get(walkedChild.id)!, child.hasChildren));
        }
        const walkedCourses = walked.courses.filter((c) => read(c.tally, 'assigned') > 0).map((c) => ({
          code: c.course.code, title: c.course.title, assigned: read(c.tally, 'assigned'),
          counts: countsRecord(CERTIFICATION_STATUSES.map((s) => read(c.tally, s))),
        }));
        expect(snapshot.courses, `${code} courses +${offset}`).to.deep.equal(walkedCourses);
      }
    });
  }

  it('are not vacuous: every status appears somewhere on some date', async () => {
    const { reports } = scenario.ctx.app.lms.services;
    const reader = new BranchSnapshotReader({ reports: scenario.ctx.app.lms.repositories.reports, tallies, policy: policyOf(scenario) });
    const root = await reports.findVisibleBranch({ id: null, scopes: null }, 'HO');
    const seen = new Set<string>();
    for (const offset of [0, 20, 400]) {
      const { figures } = reader.read(root, reports.resolveAsOf(day(offset)), null);
      for (const key of ['certified', 'expiring', 'expired', 'overdue', 'inProgress', 'failed', 'notStarted'] as const) if (figures[key] > 0) seen.add(key);
      expect(figures.people).to.be.above(0);
      expect(figures.peopleCompliant).to.be.above(0);
    }
    expect([...seen].sort()).to.have.length(7);
  });

  it('are repaired by rebuild-aggregates after a tally went wrong', async () => {
    const { db } = scenario.ctx.app.lms;
    const before = db.prepare('SELECT * FROM status_tallies ORDER BY 1, 2, 3, 4, 5, 6').all();
    db.prepare('UPDATE status_tallies SET n = n + 1 WHERE (branch_id, course_id) = (SELECT branch_id, course_id FROM status_tallies LIMIT 1)').run();
    db.prepare('UPDATE person_tallies SET n = n + 2 WHERE branch_id = (SELECT MIN(branch_id) FROM person_tallies)').run();
    expect((await tallies.recountDifferences()).tallies).to.be.above(0);
    expect((await tallies.recountDifferences()).people).to.be.above(0);
    const result = runCli(scenario.ctx.dataDir, ['rebuild-aggregates']);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/status tallies recounted/);
    expect(await tallies.recountDifferences()).to.deep.equal({ keys: 0, tallies: 0, people: 0 });
    expect(db.prepare('SELECT * FROM status_tallies ORDER BY 1, 2, 3, 4, 5, 6').all()).to.deep.equal(before);
  });
});

function policyOf(scenario: ReportScenario) {
  const { config } = scenario.ctx.app.lms;
  return { timeZone: config.timeZone, expiringWindowDays: 30, renewalWindowDays: 60 };
}

/**
 * Random writes the way the app's writers make them: SQL straight into the tables (the tallies'
 * triggers do not care who writes), every timestamp by the scenario's clock.
 */
async function mixedWrites(scenario: ReportScenario, pick: (n: number) => number, count: number, check: () => Promise<void>): Promise<void> {
  const { app } = scenario.ctx;
  const { db } = app.lms;
  const c4 = addCourse(app, 'C4', '考试课程：个人金融信息保护');
  const bankId = Number(db.prepare(`INSERT INTO question_banks (code, title, created_at, updated_at) VALUES ('B1', '题库', ?, ?)`)
    .run(instant(100), instant(100)).lastInsertRowid);
  const courses = db.prepare("SELECT id FROM courses WHERE code IN ('C1', 'C2', 'C4') ORDER BY id").pluck().all() as number[];
  const branches = db.prepare('SELECT id FROM branches ORDER BY id').pluck().all() as number[];
  const codes = db.prepare('SELECT code FROM branches ORDER BY id').pluck().all() as string[];
  const users: number[] = db.prepare('SELECT id FROM users WHERE branch_id IS NOT NULL').pluck().all() as number[];
  for (let i = 0; i < 40; i++) users.push((await createUser(app, { roles: ['employee'], branch: codes[pick(codes.length)] })).id);
  let serial = 0;
  const enrollmentOf = (userId: number, courseId: number) => db.prepare('SELECT id FROM enrollments WHERE user_id = ? AND course_id = ?').pluck().get(userId, courseId) as number | undefined;
  const due = () => [null, day(-40 + pick(80)), `${day(-10 + pick(30))}T15:59:59.999Z`][pick(3)];
  const expiry = () => [day(-60 + pick(500)), day(pick(45))][pick(2)];
  for (let op = 1; op <= count; op++) {
    const userId = users[pick(users.length)];
    const courseId = courses[pick(courses.length)];
    const enrollmentId = enrollmentOf(userId, courseId);
    const kind = pick(14);
    if (enrollmentId === undefined || kind === 0) {
      if (enrollmentId === undefined) assign(app, userId, courseId, due(), instant(200 + pick(30)), pick(8) === 0 ? 'self' : 'assignment');
      else db.prepare('UPDATE enrollments SET due_at = ? WHERE id = ?').run(due(), enrollmentId);
    } else if (kind <= 3) { // an attempt starts, maybe finishes at once
      const number = (db.prepare('SELECT ifnull(MAX(number), 0) FROM attempts WHERE enrollment_id = ?').pluck().get(enrollmentId) as number) + 1;
      const version = db.prepare('SELECT id FROM course_versions WHERE course_id = ?').pluck().get(courseId);
      const started = instant(pick(30), 1 + pick(5));
      const outcome = pick(4);
      db.prepare(`INSERT INTO attempts (enrollment_id, version_id, number, started_at, finished_at, completion_status, success_status, score_scaled)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(enrollmentId, version, number, started, outcome === 0 ? null : started,
        ['incomplete', 'completed', 'completed', 'incomplete'][outcome], ['unknown', 'passed', 'failed', 'unknown'][outcome], outcome === 0 ? null : pick(100) / 100);
    } else if (kind === 4) { // a commit: the newest attempt's statuses change
      db.prepare(`UPDATE attempts SET finished_at = ifnull(finished_at, started_at), completion_status = ?, success_status = ?, total_seconds = total_seconds + 30
        WHERE id = (SELECT id FROM attempts WHERE enrollment_id = ? ORDER BY number DESC LIMIT 1)`)
        .run(['completed', 'incomplete'][pick(2)], ['passed', 'failed', 'unknown'][pick(3)], enrollmentId);
    } else if (kind === 5) { // an attempt removed (a reset)
      db.prepare('DELETE FROM attempts WHERE id = (SELECT id FROM attempts WHERE enrollment_id = ? ORDER BY number DESC LIMIT 1)').run(enrollmentId);
    } else if (kind <= 7) { // a certificate
      db.prepare('INSERT INTO certificates (serial, user_id, course_id, score, issued_at, expires_at) VALUES (?, ?, ?, 90, ?, ?)')
        .run(`T-${++serial}`, userId, courseId, instant(20 + pick(20)), expiry());
    } else if (kind === 8) { // a revocation
      db.prepare(`UPDATE certificates SET revoked_at = ?, revoked_reason = 'test' WHERE id = (SELECT id FROM certificates
        WHERE user_id = ? AND course_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1)`).run(instant(pick(10)), userId, courseId);
    } else if (kind === 9) { // an exam paper opened or submitted (the exam course, switched on once)
      if (op > count / 3) db.prepare(`INSERT INTO course_exams (course_id, bank_id, rules_json, pass_mark, time_limit_minutes, updated_at)
        VALUES (?, ?, '[]', 60, 30, ?) ON CONFLICT (course_id) DO NOTHING`).run(c4, bankId, instant(30));
      const open = db.prepare('SELECT id FROM exam_attempts WHERE user_id = ? AND course_id = ? AND submitted_at IS NULL').pluck().get(userId, c4) as number | undefined;
      if (open !== undefined) {
        const passed = pick(2);
        db.prepare(`UPDATE exam_attempts SET submitted_at = started_at, submitted_by = 'learner', correct_count = ?, score = ?, passed = ? WHERE id = ?`)
          .run(passed ? 9 : 3, passed ? 90 : 30, passed, open);
      } else {
        const number = (db.prepare('SELECT ifnull(MAX(number), 0) FROM exam_attempts WHERE user_id = ? AND course_id = ?').pluck().get(userId, c4) as number) + 1;
        const started = instant(pick(30), 2 + pick(6));
        db.prepare(`INSERT INTO exam_attempts (course_id, user_id, number, started_at, deadline, question_count, pass_mark, review_policy)
          VALUES (?, ?, ?, ?, ?, 10, 60, 'score_only')`).run(c4, userId, number, started, started);
        if (enrollmentOf(userId, c4) === undefined) assign(app, userId, c4, due(), instant(250));
      }
    } else if (kind <= 11) { // a roster move
      db.prepare('UPDATE users SET branch_id = ?, updated_at = ? WHERE id = ?').run(branches[pick(branches.length)], instant(0), userId);
    } else if (kind === 12) { // a leaver (on a past or a coming day), or back at work
      const leaving = pick(3);
      db.prepare('UPDATE users SET status = ?, left_at = ? WHERE id = ?')
        .run(leaving === 2 ? 'active' : 'left', leaving === 2 ? null : leaving === 0 ? day(-pick(20)) : day(1 + pick(40)), userId);
    } else { // the exam switched off and on again
      db.prepare('UPDATE course_exams SET is_enabled = 1 - is_enabled WHERE course_id = ?').run(c4);
    }
    if (op % CHECK_EVERY === 0) await check();
  }
  // Exam courses count only while switched on; end with it on.
  db.prepare('UPDATE course_exams SET is_enabled = 1 WHERE course_id = ?').run(c4);
  // Some people certified in everything they are assigned (per-person compliance), to a far day.
  for (const userId of users.slice(-12)) {
    for (const courseId of db.prepare("SELECT course_id FROM enrollments WHERE user_id = ? AND source <> 'self'").pluck().all(userId) as number[]) {
      db.prepare('INSERT INTO certificates (serial, user_id, course_id, score, issued_at, expires_at) VALUES (?, ?, ?, 95, ?, ?)')
        .run(`T-${++serial}`, userId, courseId, instant(2), day(300 + pick(200)));
    }
  }
  await check();
}
