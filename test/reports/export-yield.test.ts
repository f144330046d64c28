/**
 * Exports give other requests a turn by time, whether or not the client keeps up (issue 14: with
 * a client that keeps up, awaiting `drain` resolved within the same turn and the row counter was
 * reset, so a full-bank export held the loop for up to 1.35 s).
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { ReportsService } from '../../server/reports/reports.service.js';
import { loopBudget } from '../../server/shared/loop-budget.js';
import { DEFAULT_CERTIFICATION_POLICY } from '../../server/certification/status-rules.js';
import { buildTestApp, type TestContext } from '../helpers/test-app.js';
import { addCourse } from './report-fixtures.js';

/** A client that always keeps up: every write is taken at once, yet a full buffer still asks for `drain` (emitted on nextTick). */
function keepingUpClient(): Writable & { bytes: number } {
  const sink = new Writable({ highWaterMark: 1, write(chunk: Buffer, _encoding, done) { sink.bytes += chunk.length; done(); } }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

describe('export turns for other requests', () => {
  let ctx: TestContext;
  afterEach(() => ctx.close());

  it('yields between reads even when every write drains at once', async () => {
    ctx = buildTestApp();
    const { db } = ctx.app.lms;
    const at = '2026-01-01T00:00:00.000Z';
    const courses = [addCourse(ctx.app, 'C1', '消费者权益保护'), addCourse(ctx.app, 'C2', '反洗钱基础')];
    const BRANCHES = 60;
    db.transaction(() => {
      db.prepare(`INSERT INTO branches (code, name, parent_id, path, depth, created_at, updated_at) VALUES ('HO', '总行', NULL, '/1/', 0, ?, ?)`).run(at, at);
      for (let b = 0; b < BRANCHES; b++) {
        const id = Number(db.prepare(`INSERT INTO branches (code, name, parent_id, path, depth, created_at, updated_at) VALUES (?, ?, 1, ?, 1, ?, ?)`).run(`B${b}`, `网点${b}`, `tmp${b}`, at, at).lastInsertRowid);
        db.prepare('UPDATE branches SET path = ? WHERE id = ?').run(`/1/${id}/`, id);
        for (let p = 0; p < 8; p++) {
          const userId = Number(db.prepare(`INSERT INTO users (username, employee_no, name, branch_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
            .run(`u${b}-${p}`, `E${b * 100 + p}`, `员工${b}-${p}`, id, at, at).lastInsertRowid);
          for (const courseId of courses) db.prepare(`INSERT INTO enrollments (user_id, course_id, assigned_at, due_at, source) VALUES (?, ?, ?, '2026-12-31', 'assignment')`).run(userId, courseId, at);
        }
      }
    })();
    const { reports, audit } = ctx.app.lms.repositories;
    // A slice of 0 ms: every read is followed by a turn, so the count below does not depend on this machine's speed.
    const service = new ReportsService({ reports, audit, policy: DEFAULT_CERTIFICATION_POLICY, now: ctx.clock.now, sliceMs: 0 });
    const prepared = await service.prepareCertificationExport({ id: null, scopes: null },
      { branchCode: 'HO', includeSubBranches: true, courseCode: null, status: null, asOf: null }, 'csv', 'zh-CN');

    let turns = 0;
    let running = true;
    const tick = () => { turns++; if (running) setImmediate(tick); };
    setImmediate(tick);
    const client = keepingUpClient();
    const rows = await prepared.writeTo(client);
    running = false;

    expect(rows).to.equal(BRANCHES * 8 * 2);
    expect(client.bytes).to.be.greaterThan(64 * 1024); // several batches asked for `drain`
    expect(turns, 'other work ran between the branches read').to.be.at.least(BRANCHES);
  });
});

describe('loop budget', () => {
  it('gives a turn once the slice is spent, and not before', async () => {
    let now = 0;
    const budget = loopBudget({ sliceMs: 10, now: () => now });
    now = 9;
    expect(budget.checkpoint()).to.equal(undefined);
    now = 10;
    let ranBefore = false;
    setImmediate(() => { ranBefore = true; });
    await budget.checkpoint();
    expect(ranBefore, 'a macrotask ran before the work went on').to.equal(true);
    expect(budget.turns).to.equal(1);
    now = 15;
    expect(budget.checkpoint(), 'the slice starts again after a turn').to.equal(undefined);
  });
});
