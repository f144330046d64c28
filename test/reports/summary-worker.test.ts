import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { LmsApp } from '../../server/app.js';
import { DEFAULT_CERTIFICATION_POLICY } from '../../server/certification/status-rules.js';
import { read } from '../../server/reports/branch-tally.js';
import type { ReportBranch } from '../../server/reports/reports.repository.js';
import type { SubtreeSummary } from '../../server/reports/reports.service.js';
import { createSummaryWorker, type Summariser } from '../../server/reports/summary-worker.js';
import { createUser } from '../helpers/test-app.js';
import { startLoopMeter } from '../helpers/main-thread-cpu.js';
import { AuditRepository } from '../../server/audit/audit.repository.js';
import { ReportsService } from '../../server/reports/reports.service.js';
import { addAttempt, addCertificate, assign } from './report-fixtures.js';
import { buildReportScenario, type ReportScenario } from './report-scenario.js';

const GENERATED_PEOPLE = 240;

/** Everything a summary holds but the moment it was stamped. */
function comparable(summary: SubtreeSummary) {
  const { computedAt: _computedAt, ...rest } = summary;
  return rest;
}

/** A seeded spread of statuses over the scenario's branches: due dates past and future, certificates live, expiring and lapsed, attempts of every outcome. */
async function addGeneratedPeople(app: LmsApp): Promise<void> {
  let seed = 14;
  const random = (n: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed % n; };
  const courseIds = (app.lms.db.prepare("SELECT id FROM courses WHERE code IN ('C1', 'C2') ORDER BY code").pluck().all() as number[]);
  const branches = ['HO', 'GD', 'GD-GZ', 'ZJ'];
  for (let i = 0; i < GENERATED_PEOPLE; i++) {
    const user = await createUser(app, { roles: ['employee'], branch: branches[random(branches.length)] });
    for (const courseId of courseIds) {
      if (random(5) === 0) continue;
      const due = `2026-0${1 + random(9)}-1${random(9)}`;
      const enrollment = assign(app, user.id, courseId, random(6) === 0 ? null : due);
      const kind = random(5);
      if (kind === 1) addCertificate(app, { serial: `G-${i}-${courseId}`, userId: user.id, courseId, issuedAt: '2025-06-01T03:00:00.000Z', expiresAt: `2026-0${5 + random(3)}-${10 + random(18)}` });
      if (kind === 2) addCertificate(app, { serial: `G-${i}-${courseId}`, userId: user.id, courseId, issuedAt: '2026-02-01T03:00:00.000Z', expiresAt: '2027-02-01' });
      if (kind === 3) addAttempt(app, enrollment, { startedAt: '2026-05-20T01:00:00.000Z', finishedAt: '2026-05-20T01:30:00.000Z', completion: 'completed', success: 'failed', scoreScaled: 0.4 });
      if (kind === 4) addAttempt(app, enrollment, { startedAt: '2026-05-25T01:00:00.000Z', finishedAt: null, completion: 'incomplete', success: 'unknown' });
    }
  }
}

describe('dashboard summaries in a worker thread', function () {
  this.timeout(120_000);
  let scenario: ReportScenario;
  let worker: Summariser;

  before(async () => {
    scenario = await buildReportScenario();
    await addGeneratedPeople(scenario.ctx.app);
    const { config } = scenario.ctx.app.lms;
    worker = createSummaryWorker({
      databaseFile: config.databaseFile, policy: { ...DEFAULT_CERTIFICATION_POLICY, timeZone: config.timeZone }, now: config.now,
      fallback: () => Promise.reject(new Error('the worker was not ready')),
    });
    await worker.warm();
  });
  after(async () => {
    await worker.close();
    scenario.ctx.close();
  });

  const branch = (code: string) => scenario.ctx.app.lms.services.reports.findVisibleBranch({ id: 1, scopes: null }, code) as Promise<ReportBranch>;

  for (const [code, asOfDate] of [['HO', null], ['GD', null], ['ZJ', null], ['HO', '2026-04-30'], ['GD-GZ', '2026-06-25']] as const) {
    it(`gives the in-process figures for ${code} as of ${asOfDate ?? 'today'}`, async () => {
      const { reports } = scenario.ctx.app.lms.services;
      const root = await branch(code);
      const asOf = reports.resolveAsOf(asOfDate);
      const inProcess = await reports.summarise(root, asOf);
      const fromWorker = await worker.summarise(root, asOf);
      expect(comparable(fromWorker)).to.deep.equal(comparable(inProcess));
      // Not vacuous: the bank's figures count people and enrollments.
      expect(fromWorker.totals.get(root.id)!.some((n) => n > 0)).to.equal(true);
    });
  }

  it('walks the branches export in the worker: the same file as the in-process walk', async () => {
    const { lms } = scenario.ctx.app;
    const { config } = lms;
    const policy = { ...DEFAULT_CERTIFICATION_POLICY, timeZone: config.timeZone };
    const services = (summariseOffLoop?: ReportsService['summarise']) => new ReportsService({
      reports: lms.repositories.reports, audit: new AuditRepository({ db: lms.db, now: config.now }), policy, now: config.now, summariseOffLoop,
    });
    const exportOf = async (service: ReportsService, asOf: string | null) => {
      const prepared = await service.prepareBranchExport({ id: 1, scopes: null }, { rootCode: 'HO', asOf }, 'csv', 'en');
      const chunks: Buffer[] = [];
      await prepared.writeTo(new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk); done(); } }));
      // The rows (the header's generation time aside).
      return Buffer.concat(chunks).toString('utf8').split('\n').filter((line) => /^(HO|GD|ZJ)/.test(line));
    };
    const asked: string[] = [];
    const offLoop = services((root, asOf) => {
      asked.push(`${root.code} ${asOf.date}`);
      return worker.summarise(root, asOf);
    });
    for (const asOf of ['2026-04-30', null]) {
      const rows = await exportOf(offLoop, asOf);
      expect(rows).to.deep.equal(await exportOf(services(), asOf));
      expect(rows.length).to.be.above(3);
    }
    expect(asked).to.deep.equal(['HO 2026-04-30', `HO ${lms.services.reports.resolveAsOf(null).date}`]);
  });

  it('is what the app\'s dashboard serves: the whole-bank page shows the in-process figures', async () => {
    const { dashboard, reports } = scenario.ctx.app.lms.services;
    const root = await branch('HO');
    const expected = await reports.summarise(root, reports.resolveAsOf(null));
    await scenario.ctx.app.lms.warmWorkers(); // else the first request is walked in-process while the worker starts
    const meter = startLoopMeter();
    let page = await dashboard.branchPage({ id: 1, scopes: null }, 'HO', null, null);
    for (let i = 0; i < 200 && page.figures === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      page = await dashboard.branchPage({ id: 1, scopes: null }, 'HO', null, null);
    }
    const { cpuStretchMs } = meter.read();
    meter.stop();
    expect(page.figures).to.not.equal(null);
    expect(page.children.map((c) => [c.code, c.headcount, c.assigned])).to.deep.equal(
      (expected.children.get(root.id) ?? []).map((c) => {
        const t = expected.totals.get(c.id)!;
        return [c.code, read(t, 'headcount'), read(t, 'assigned')];
      }),
    );
    expect(cpuStretchMs).to.be.below(50);
  });
});
