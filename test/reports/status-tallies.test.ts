/**
 * The dashboard's status tallies kept by triggers must always equal a recount from the records,
 * whatever is written — attempts started, committed, finished and deleted, exam papers opened and
 * submitted, an exam switched on, certificates issued and revoked, people moved between branches
 * and leaving, branches moved under another parent — and so must the per-ancestor rollups (migration
 * status_rollups) the subtree figures are read from; the figures resolved from them must be the status rules' own (the walk),
 * for today and later dates, per branch subtree, per course and per person. `rebuild` (the CLI's
 * rebuild-aggregates) repairs a tally that went wrong.
 */
import path from 'node:path';
import { expect } from 'chai';
import { migrate } from '../../server/db/migrate.js';
import { read, figuresOf } from '../../server/reports/branch-tally.js';
import { BranchSnapshotReader, countsRecord } from '../../server/reports/branch-snapshot.js';
import type { ReportBranch } from '../../server/reports/reports.repository.js';
import { StatusTalliesRepository } from '../../server/reports/status-tallies.repository.js';
import { CERTIFICATION_STATUSES } from '../../server/certification/status-rules.js';
import { runCli } from '../helpers/run-cli.js';
import { createBranch, createUser } from '../helpers/test-app.js';
import { addCourse } from './report-fixtures.js';
import { day, instant, random, statusWrites, type TallyWriteStore } from './status-writes.js';
import { buildReportScenario, type ReportScenario } from './report-scenario.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
const OPERATIONS = 1_200;
const CHECK_EVERY = 150;


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
      expect(await tallies.recountDifferences()).to.deep.equal({ keys: 0, tallies: 0, people: 0, rollups: 0 });
    });
  });
  after(() => scenario.ctx.close());

  it('equal a recount from the records after the mix of writes', async () => {
    expect(await tallies.recountDifferences()).to.deep.equal({ keys: 0, tallies: 0, people: 0, rollups: 0 });
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
    db.prepare("UPDATE status_due_rollups SET n = n + 3 WHERE branch_id = (SELECT id FROM branches WHERE code = 'HO')").run();
    expect((await tallies.recountDifferences()).tallies).to.be.above(0);
    expect((await tallies.recountDifferences()).people).to.be.above(0);
    expect((await tallies.recountDifferences()).rollups).to.be.above(0);
    const result = runCli(scenario.ctx.dataDir, ['rebuild-aggregates']);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/status tallies recounted/);
    expect(await tallies.recountDifferences()).to.deep.equal({ keys: 0, tallies: 0, people: 0, rollups: 0 });
    expect(db.prepare('SELECT * FROM status_tallies ORDER BY 1, 2, 3, 4, 5, 6').all()).to.deep.equal(before);
  });

  it('rollups are backfilled by their migration from the tallies already kept', () => {
    const { db } = scenario.ctx.app.lms;
    // The database as it stood before the rollups' migration, with its tallies …
    const objects = db.prepare(`SELECT type, name FROM sqlite_master WHERE name LIKE '%rollup%' OR name = 'branch_ancestors' ORDER BY type = 'trigger' DESC`)
      .all() as Array<{ type: string; name: string }>;
    expect(objects.filter((o) => o.type !== 'trigger').map((o) => o.name).sort())
      .to.deep.equal(['branch_ancestors', 'person_rollups', 'status_due_rollups', 'status_expiry_rollups', 'status_joint_rollups']);
    expect(objects.filter((o) => o.type === 'trigger')).to.have.length.above(3);
    for (const { type, name } of objects) db.exec(`DROP ${type.toUpperCase()} ${name}`);
    db.prepare(`DELETE FROM schema_migrations WHERE name = 'status_rollups'`).run();
    // … migrated again: the backfill recounts the rollups from them.
    expect(migrate(db, MIGRATIONS).applied).to.have.length(1);
    expect(db.prepare('SELECT COUNT(*) FROM status_due_rollups').pluck().get()).to.be.above(20);
    expect(db.prepare('SELECT COUNT(*) FROM status_joint_rollups').pluck().get(), 'leavers and same-day keys kept whole').to.be.above(0);
    return tallies.recountDifferences().then((differences) => expect(differences).to.deep.equal({ keys: 0, tallies: 0, people: 0, rollups: 0 }));
  });
});

function policyOf(scenario: ReportScenario) {
  const { config } = scenario.ctx.app.lms;
  return { timeZone: config.timeZone, expiringWindowDays: 30, renewalWindowDays: 60 };
}

/** The scenario's people and courses, plus an exam course, a bank and 40 people in random branches; then the shared random writes. */
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
  const store: TallyWriteStore = {
    run: async (sql, ...params) => { db.prepare(sql).run(...params); },
    column: (sql, ...params) => db.prepare(sql).pluck().all(...params),
  };
  await statusWrites(store, { users, courses, branches, examCourse: c4, bankId }, { pick, count, checkEvery: CHECK_EVERY, check });
}
