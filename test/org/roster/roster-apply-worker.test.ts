import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { expect } from 'chai';
import { buildTestApp, type TestContext } from '../../helpers/test-app.js';
import { startLoopMeter, type LoopMeter } from '../../helpers/main-thread-cpu.js';
import { AuditRepository } from '../../../server/audit/audit.repository.js';
import { dueDateFor } from '../../../server/certification/due-dates.js';
import { RosterImportService } from '../../../server/org/roster/roster-import.service.js';
import { RosterRepository } from '../../../server/org/roster/roster.repository.js';
import { workerRosterApplier, type RosterApplier } from '../../../server/org/roster/roster-applier.js';
import { RosterWriter } from '../../../server/org/roster/roster-writer.js';
import { addCourse } from '../../reports/report-fixtures.js';
import { ADMIN_ACTOR, BRANCH_HEADER, EMPLOYEE_HEADER, csv, writeFile } from './roster-support.js';

const EMPLOYEES = 50_000;
const BUDGET_MS = 50;

async function writeEmployees(file: string, firstNo: number, count: number): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(csv([EMPLOYEE_HEADER]));
  for (let i = 0; i < count; i++) {
    const no = String(firstNo + i);
    if (!out.write(`${no},员工${i},e${no}@bank.example,${i % 2 ? 'GD' : 'ZJ'},柜员,2020-01-01,在职\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Wraps an applier so the meter is read over the apply alone (the planning before it has its own budget). */
function metered(inner: RosterApplier, meter: LoopMeter, readings: Array<{ cpuStretchMs: number; wallMaxMs: number }>): RosterApplier {
  return {
    applyBranches: (ops, context) => inner.applyBranches(ops, context),
    async applyEmployees(stage, skip, context) {
      meter.reset();
      const enrolled = await inner.applyEmployees(stage, skip, context);
      readings.push(meter.read());
      return enrolled;
    },
  };
}

describe('roster import apply off the event loop', function () {
  this.timeout(300_000);
  let ctx: TestContext;
  let meter: LoopMeter;

  beforeEach(() => { ctx = buildTestApp(); meter = startLoopMeter(); });
  afterEach(() => { meter.stop(); ctx.close(); });

  const service = (applier: RosterApplier) => {
    const { db, config } = ctx.app.lms;
    return new RosterImportService({ roster: new RosterRepository({ db }), applier, now: config.now, timeZone: config.timeZone, workDir: path.join(config.dataDir, 'roster-work'), logger: config.logger });
  };
  const run = (roster: RosterImportService, filePath: string) => roster.run({
    filePath, fileName: path.basename(filePath), effectiveDate: null, apply: true, validOnly: false, actor: ADMIN_ACTOR,
  });
  const count = (sql: string) => (ctx.app.lms.db.prepare(sql).pluck().get() as number);

  it(`applies ${EMPLOYEES.toLocaleString('en')} new employees in a worker, the main thread's CPU never held ${BUDGET_MS} ms at a stretch`, async () => {
    const { config } = ctx.app.lms;
    const readings: Array<{ cpuStretchMs: number; wallMaxMs: number }> = [];
    const roster = service(metered(workerRosterApplier({ databaseFile: config.databaseFile, now: config.now }), meter, readings));
    await run(roster, writeFile(ctx.dataDir, 'b.csv', csv([BRANCH_HEADER, ['HO', '总行', ''], ['GD', '广东', 'HO'], ['ZJ', '浙江', 'HO']])));
    const file = path.join(ctx.dataDir, 'staff.csv');
    await writeEmployees(file, 2_000_000, EMPLOYEES);
    const usersBefore = count('SELECT COUNT(*) FROM users');

    const report = await run(roster, file);

    expect([report.applied, report.counts.create]).to.deep.equal([true, EMPLOYEES]);
    expect(count('SELECT COUNT(*) FROM users') - usersBefore).to.equal(EMPLOYEES);
    expect(count("SELECT COUNT(*) FROM users WHERE employee_no >= '2000000' AND branch_id IS NOT NULL")).to.equal(EMPLOYEES);
    expect(count("SELECT COUNT(*) FROM audit_events WHERE action = 'user.create'")).to.equal(EMPLOYEES);
    expect(count("SELECT COUNT(*) FROM audit_events WHERE action = 'roster.import' AND subject = 'roster:employees'")).to.equal(1);
    const [apply] = readings;
    console.log(`      worker apply: longest main-thread CPU stretch ${apply.cpuStretchMs} ms, largest loop delay (wall) ${apply.wallMaxMs.toFixed(0)} ms`);
    expect(apply.cpuStretchMs).to.be.below(BUDGET_MS);
  });

  it('enrolls the new hires an assignment covers, in the worker after the import (as the app wires it)', async () => {
    const { app } = ctx;
    const roster = app.lms.services.roster;
    await run(roster, writeFile(ctx.dataDir, 'b.csv', csv([BRANCH_HEADER, ['HO', '总行', ''], ['GD', '广东', 'HO'], ['ZJ', '浙江', 'HO']])));
    const courseId = addCourse(app, 'C1', '反洗钱');
    const gd = (await app.lms.repositories.branches.findByCode('GD'))!;
    await app.lms.repositories.certification.createAssignment({
      courseId, branchId: gd.id, includeSubBranches: true, positions: [], dueDate: null, dueDays: 30, dueBasis: 'hire', createdBy: null,
    }, () => null);
    const report = await run(roster, writeFile(ctx.dataDir, 'e.csv', csv([EMPLOYEE_HEADER,
      ['700001', '新人甲', '', 'GD', '柜员', '2026-05-10', 'active'], ['700002', '新人乙', '', 'ZJ', '柜员', '2026-05-10', 'active']])));
    expect(report.applied).to.equal(true);
    const enrolled = app.lms.db.prepare(`SELECT u.employee_no, e.due_at, e.source FROM enrollments e JOIN users u ON u.id = e.user_id
      WHERE e.course_id = ? ORDER BY u.employee_no`).all(courseId);
    const due = dueDateFor({ dueDate: null, dueDays: 30, dueBasis: 'hire' }, '2026-05-10', app.lms.config.now(), app.lms.config.timeZone);
    expect(due).to.be.a('string');
    expect(enrolled).to.deep.equal([{ employee_no: '700001', due_at: due, source: 'assignment' }]);
  });

  it('the meter sees the same apply on the main thread hold it (so the check above can fail)', async () => {
    const { db, config } = ctx.app.lms;
    const now = config.now;
    const writer = new RosterWriter({ db, audit: new AuditRepository({ db, now }), now });
    // The writer run inline on the app's connection: how the apply ran before the worker.
    const inline: RosterApplier = {
      applyBranches: async (ops, context) => { writer.applyBranchOps(ops, context); return 0; },
      applyEmployees: async (stage, skip, context) => { writer.applyEmployeeOps(stage.ops(), skip, context); return 0; },
    };
    const readings: Array<{ cpuStretchMs: number; wallMaxMs: number }> = [];
    const roster = service(metered(inline, meter, readings));
    await run(roster, writeFile(ctx.dataDir, 'b.csv', csv([BRANCH_HEADER, ['HO', '总行', ''], ['GD', '广东', 'HO'], ['ZJ', '浙江', 'HO']])));
    const file = path.join(ctx.dataDir, 'staff.csv');
    await writeEmployees(file, 3_000_000, EMPLOYEES / 5);
    const report = await run(roster, file);
    expect(report.applied).to.equal(true);
    expect(readings[0].cpuStretchMs).to.be.above(BUDGET_MS);
  });
});
