import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { buildTestApp, type TestContext } from '../../helpers/test-app.js';
import { runCli } from '../../helpers/run-cli.js';
import { PROJECT_ROOT } from '../../../server/config.js';
import { BRANCH_HEADER, EMPLOYEE_HEADER, csv } from './roster-support.js';

const EMPLOYEES = 415_000;
const PROVINCES = 30;
const CITIES_PER_PROVINCE = 10;
const OUTLETS_PER_CITY = 5;
// The import runs as `npm run lms -- import-roster` does, in a process of its own, so the figure is
// the importer's own peak and not whatever else the test runner holds.
const RSS_LIMIT_MB = 512;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟'];

/** Writes a bank-sized employee file row by row, as an HR system export would be. */
async function writeEmployeeFile(file: string, outletCodes: string[]): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(csv([EMPLOYEE_HEADER]));
  for (let i = 0; i < EMPLOYEES; i++) {
    const no = String(1_000_000 + i);
    const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length];
    const hiredAt = `${2000 + (i % 25)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const line = `${no},${name},e${no}@bank.example,${outletCodes[i % outletCodes.length]},柜员,${hiredAt},在职\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Runs `lms import-roster FILE --apply` as a child process, sampling its peak RSS (VmHWM) from /proc. */
async function importInChild(dataDir: string, file: string): Promise<{ code: number | null; stdout: string; seconds: number; peakMb: number }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/cli.ts'), 'import-roster', file, '--apply'], {
    cwd: PROJECT_ROOT, env: { ...process.env, LMS_DATA_DIR: dataDir, LMS_LOG_LEVEL: 'silent' },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  let peakKb = 0;
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch { /* the process has just exited */ }
  };
  const sampler = setInterval(sample, 100);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(sampler);
  return { code, stdout, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: peakKb / 1024 };
}

describe('roster import at bank scale', function () {
  this.timeout(600_000);
  let ctx: TestContext;

  beforeEach(() => { ctx = buildTestApp(); });
  afterEach(() => ctx.close());

  it(`imports ${EMPLOYEES.toLocaleString('en')} employees in one go through the CLI, its process staying under ${RSS_LIMIT_MB} MB`, async () => {
    const dir = path.join(ctx.dataDir, 'scale');
    fs.mkdirSync(dir);
    const branchRows: string[][] = [BRANCH_HEADER, ['HO', '总行', '']];
    const outlets: string[] = [];
    for (let p = 0; p < PROVINCES; p++) {
      branchRows.push([`P${p}`, `省分行${p}`, 'HO']);
      for (let c = 0; c < CITIES_PER_PROVINCE; c++) {
        branchRows.push([`P${p}-C${c}`, `市分行${p}-${c}`, `P${p}`]);
        for (let o = 0; o < OUTLETS_PER_CITY; o++) {
          outlets.push(`P${p}-C${c}-O${o}`);
          branchRows.push([`P${p}-C${c}-O${o}`, `网点${p}-${c}-${o}`, `P${p}-C${c}`]);
        }
      }
    }
    const branchFile = path.join(dir, 'branches.csv');
    fs.writeFileSync(branchFile, csv(branchRows));
    const employeeFile = path.join(dir, 'employees.csv');
    await writeEmployeeFile(employeeFile, outlets);

    const branches = runCli(ctx.dataDir, ['import-roster', branchFile, '--apply']);
    expect(branches.status, branches.stdout + branches.stderr).to.equal(0);

    const first = await importInChild(ctx.dataDir, employeeFile);
    console.log(`      ${EMPLOYEES} employees imported in ${first.seconds.toFixed(1)} s, importer peak RSS ${first.peakMb.toFixed(0)} MB`);
    expect(first.code, first.stdout).to.equal(0);
    expect(first.stdout).to.include(`create ${EMPLOYEES}`);
    expect(first.peakMb).to.be.above(0).and.below(RSS_LIMIT_MB);

    const db = ctx.app.lms.db;
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM users WHERE employee_no IS NOT NULL')).to.equal(EMPLOYEES);
    expect(count('SELECT COUNT(*) AS n FROM user_branch_history')).to.equal(EMPLOYEES);
    expect(count("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'user.create'")).to.equal(EMPLOYEES);
    expect(db.prepare("SELECT name, hired_at FROM users WHERE employee_no = '1000007'").get()).to.deep.equal({ name: `${SURNAMES[7]}${GIVEN[49 % GIVEN.length]}`, hired_at: '2007-08-08' });

    // The same file again, now compared against 415,000 existing employees: nothing to do.
    const auditEvents = count('SELECT COUNT(*) AS n FROM audit_events');
    const again = await importInChild(ctx.dataDir, employeeFile);
    console.log(`      re-import (no-op) in ${again.seconds.toFixed(1)} s, importer peak RSS ${again.peakMb.toFixed(0)} MB`);
    expect(again.code, again.stdout).to.equal(0);
    expect(again.stdout).to.match(new RegExp(`unchanged ${EMPLOYEES}\\b`));
    expect(count('SELECT COUNT(*) AS n FROM audit_events')).to.equal(auditEvents);
    expect(again.peakMb).to.be.above(0).and.below(RSS_LIMIT_MB);
  });
});
