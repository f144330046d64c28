import { expect } from 'chai';
import { buildTestApp, createBranch, type TestContext } from '../../helpers/test-app.js';
import { runImportRosterCommand } from '../../../server/org/roster/roster.cli.js';
import { EMPLOYEE_HEADER, csv, dbFingerprint, rosterService, writeFile } from './roster-support.js';

describe('lms import-roster', () => {
  let ctx: TestContext;
  let output: { out: string[]; err: string[] };

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null, '总行');
    await createBranch(ctx.app, 'GD', 'HO', '广东省分行');
    output = { out: [], err: [] };
  });
  afterEach(() => ctx.close());

  const lms = (args: string[]) => runImportRosterCommand({ services: { roster: rosterService(ctx.app) } }, args, {
    log: (line) => output.out.push(line), error: (line) => output.err.push(line),
  });
  const count = () => (ctx.app.lms.db.prepare("SELECT COUNT(*) AS n FROM users WHERE employee_no LIKE '80%'").get() as { n: number }).n;

  it('prints a dry run with errors by row and column, exits 1 and writes nothing', async () => {
    const file = writeFile(ctx.dataDir, 'staff.csv', csv([EMPLOYEE_HEADER, ['800001', '甲', '', 'GD', '', '2024-01-01', ''], ['800002', '乙', '', 'GD', '', '2024-04-31', '']]));
    const before = dbFingerprint(ctx.app);
    expect(await lms([file])).to.equal(1);
    expect(output.out.join('\n')).to.contain('create 1');
    expect(output.err).to.include('  row 3, column hired_at: 2024-04-31 is not a real calendar date');
    expect(await lms([file, '--apply'])).to.equal(1);
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);
    expect(await lms([file, '--apply', '--valid-only', '--effective-date', '2026-05-01'])).to.equal(0);
    expect(count()).to.equal(1);
  });

  it('applies a clean file only with --apply, and a second run finds nothing to do', async () => {
    const file = writeFile(ctx.dataDir, 'staff.csv', csv([EMPLOYEE_HEADER, ['800003', '丙', '', 'GD', '', '2024-01-01', '']]));
    expect(await lms([file])).to.equal(0);
    expect(count()).to.equal(0);
    expect(await lms([file, '--apply'])).to.equal(0);
    expect(count()).to.equal(1);
    output.out = [];
    expect(await lms([file, '--apply'])).to.equal(0);
    expect(output.out.join('\n')).to.contain('unchanged 1');
  });

  it('exits 2 for bad arguments, a missing file and a file that is not a roster', async () => {
    expect(await lms([])).to.equal(2);
    expect(await lms(['/no/such/file.csv'])).to.equal(2);
    expect(await lms(['x.csv', '--effective-date', '2026-02-30'])).to.equal(2);
    expect(await lms([writeFile(ctx.dataDir, 'x.csv', 'a,b\n1,2\n')])).to.equal(2);
    expect(output.err.join('\n')).to.contain('row 1');
  });
});
