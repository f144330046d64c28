import { expect } from 'chai';
import { DEFAULT_CERTIFICATION_POLICY } from '../../server/certification/status-rules.js';
import { silentLogger } from '../../server/logger.js';
import { resolveAsOf } from '../../server/reports/as-of.js';
import { countStatus, emptyTally } from '../../server/reports/branch-tally.js';
import { DashboardService } from '../../server/reports/dashboard.service.js';
import type { ReportBranch, ReportsRepository } from '../../server/reports/reports.repository.js';
import type { ReportsService, SubtreeSummary } from '../../server/reports/reports.service.js';
import { makeClock } from '../helpers/test-app.js';

const ROOT: ReportBranch = { id: 1, code: 'HO', name: '总行', parentId: null, parentCode: null, path: '/1/', depth: 0 };

/** A reports service whose summaries (past dates: walked, kept) finish when the test says so. */
function fakes() {
  const clock = makeClock('2026-06-01T02:00:00Z');
  const pending: Array<(summary: SubtreeSummary) => void> = [];
  const reports = {
    findVisibleBranch: async () => ROOT,
    resolveAsOf: (date: string | null) => resolveAsOf(date, clock.now(), 'Asia/Shanghai'),
    summarise: () => new Promise<SubtreeSummary>((resolve) => pending.push(resolve)),
  };
  const repository = { listStaffPage: async () => [], listFactsOfUsers: () => [] };
  const dashboard = new DashboardService({
    reports: reports as unknown as ReportsService, repository: repository as unknown as ReportsRepository,
    policy: DEFAULT_CERTIFICATION_POLICY, now: clock.now, logger: silentLogger(), freshForMs: 60_000, waitMs: 20,
    snapshot: () => Promise.reject(new Error('today is read from the tallies, not kept')),
  });
  const summary = (certified: number): SubtreeSummary => {
    const tally = emptyTally();
    for (let i = 0; i < certified; i++) countStatus(tally, 'certified');
    return { root: ROOT, asOf: reports.resolveAsOf(PAST), computedAt: clock.now(), branches: [ROOT], totals: new Map([[1, tally]]), children: new Map(), courses: [] };
  };
  return { clock, pending, dashboard, summary };
}

const actor = { id: 1, scopes: null };
const PAST = '2026-05-01';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('dashboard summaries', () => {
  it('shows "being computed" when a summary takes longer than the wait, then the figures without computing again', async () => {
    const { pending, dashboard, summary } = fakes();
    const first = await dashboard.branchPage(actor, 'HO', PAST, null);
    expect(first.figures).to.equal(null);
    expect(pending).to.have.length(1);
    pending[0](summary(3));
    await new Promise((resolve) => setImmediate(resolve));
    const second = await dashboard.branchPage(actor, 'HO', PAST, null);
    expect(second.figures).to.include({ certified: 3, assigned: 3 });
    expect(pending).to.have.length(1);
  });

  it('serves a stale summary while a fresh one is computed', async () => {
    const { clock, pending, dashboard, summary } = fakes();
    const waiting = dashboard.branchPage(actor, 'HO', PAST, null);
    await until(() => pending.length === 1);
    pending[0](summary(1));
    expect((await waiting).figures).to.include({ certified: 1 });
    clock.advance(61_000);
    const stale = await dashboard.branchPage(actor, 'HO', PAST, null);
    expect(stale.figures).to.include({ certified: 1 });
    expect(pending).to.have.length(2);
    pending[1](summary(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await dashboard.branchPage(actor, 'HO', PAST, null)).figures).to.include({ certified: 2 });
    expect(pending).to.have.length(2);
  });
});
