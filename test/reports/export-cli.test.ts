import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { CERTIFICATION_COLUMNS } from '../../server/reports/export-columns.js';
import { runCli } from '../helpers/run-cli.js';
import { exportAudits } from './report-fixtures.js';
import { buildReportScenario, type ReportScenario } from './report-scenario.js';

describe('lms export (command line)', function () {
  this.timeout(60_000);
  let s: ReportScenario;

  beforeEach(async () => {
    s = await buildReportScenario();
  });
  afterEach(() => s.ctx.close());

  it('writes the same certification CSV as the web, sub-branches only when asked, and audits it', () => {
    const out = path.join(s.ctx.dataDir, 'gd.csv');
    // The command runs on the real clock: pin the date the scenario is written for.
    const own = runCli(s.ctx.dataDir, ['export', '--branch', 'GD', '--as-of', '2026-06-01', '--out', out], { LMS_TIME_ZONE: 'Asia/Shanghai' });
    expect(own.status, own.stderr).to.equal(0);
    const ownRows = parse(fs.readFileSync(out), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(ownRows[0])).to.deep.equal([...CERTIFICATION_COLUMNS]);
    expect(new Set(ownRows.map((r) => r.branch_code))).to.deep.equal(new Set(['GD']));

    const all = runCli(s.ctx.dataDir, ['export', '--branch', 'GD', '--sub-branches', '--as-of', '2026-06-01', '--format', 'json', '--out', out]);
    expect(all.status, all.stderr).to.equal(0);
    const rows = JSON.parse(fs.readFileSync(out, 'utf8')) as Array<Record<string, string>>;
    expect(new Set(rows.map((r) => r.branch_code))).to.deep.equal(new Set(['GD', 'GD-GZ']));
    expect(rows.find((r) => r.employee_name === '张三' && r.course_code === 'C1')!.status).to.equal('expiring');
    expect(all.stderr).to.contain(`Exported ${rows.length} rows`);

    const audits = exportAudits(s.ctx.app);
    expect(audits.map((a) => [a.actor_id, a.subject, a.details.rows])).to.deep.equal([[null, 'branch:GD', ownRows.length], [null, 'branch:GD', rows.length]]);
  });

  it('exports the branch report and explains bad arguments', () => {
    const out = path.join(s.ctx.dataDir, 'branches.csv');
    const ok = runCli(s.ctx.dataDir, ['export', '--branch', 'HO', '--report', 'branches', '--as-of', '2026-05-10', '--out', out]);
    expect(ok.status, ok.stderr).to.equal(0);
    const rows = parse(fs.readFileSync(out), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.branch_code)).to.deep.equal(['HO', 'GD', 'GD-GZ', 'ZJ']);
    expect(runCli(s.ctx.dataDir, ['export']).status).to.equal(2);
    expect(runCli(s.ctx.dataDir, ['export', '--branch', 'HO', '--format', 'pdf']).status).to.equal(2);
    const missing = runCli(s.ctx.dataDir, ['export', '--branch', 'NOWHERE']);
    expect(missing.status).to.equal(1);
    expect(missing.stderr).to.contain('Branch not found');
  });
});
