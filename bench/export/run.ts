/**
 * npm run bench:export — the full-bank certification CSV export against the sqlite3 command-line
 * tool writing the same rows (DESIGN §8: ratio ≤ 1.5, peak RSS < 200 MB; one branch < 100 ms).
 *
 *   BENCH_EMPLOYEES  employees (default 415,000)        BENCH_BRANCHES  branches (default 15,500,
 *                                                                        scaled with employees)
 *   BENCH_ROUNDS     runs of each side, the best counts (default 2)
 * The generated database is cached under data/bench/. Both exports run after the file has been
 * read once, so neither pays for the disk; each runs in its own process, the export through the
 * app's own container on the day the bank's statuses are arranged around (BENCH_AS_OF).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.js';
import { CERTIFICATION_BASELINE_SQL } from '../../server/reports/reports.repository.js';
import { subtreeRange } from '../../server/shared/branch-path.js';
import { BENCH_AS_OF, ensureBankDatabase, FULL_BANK, type BankSize } from './generate-bank.js';

function sizeFromEnv(): BankSize {
  const employees = Number(process.env.BENCH_EMPLOYEES ?? FULL_BANK.employees);
  const branches = Number(process.env.BENCH_BRANCHES ?? Math.max(60, Math.round((FULL_BANK.branches * employees) / FULL_BANK.employees)));
  if (!Number.isInteger(employees) || employees < 1 || !Number.isInteger(branches) || branches < 5) {
    throw new Error('BENCH_EMPLOYEES must be ≥ 1 and BENCH_BRANCHES ≥ 5');
  }
  return { employees, branches, courses: FULL_BANK.courses };
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ensureSqliteCli(): void {
  if (hasCommand('sqlite3')) return;
  console.log('sqlite3 not found: installing it with apt-get');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'sqlite3'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

interface Finished { ms: number; stdout: string; maxRssMb: number | null }

/** Runs a command, stdin from a string, stdout to a file or captured; wall time and (with GNU time) peak RSS. */
function run(command: string, args: string[], options: { input?: string; stdoutFile?: string } = {}): Promise<Finished> {
  const useTime = fs.existsSync('/usr/bin/time');
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}`);
  const [file, argv] = useTime ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const out = options.stdoutFile ? fs.openSync(options.stdoutFile, 'w') : 'pipe';
    const started = performance.now();
    const child = spawn(file, argv, { stdio: ['pipe', out, 'inherit'], cwd: PROJECT_ROOT });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stdin?.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (typeof out === 'number') fs.closeSync(out);
      if (code !== 0) return reject(new Error(`${command} exited with ${code}`));
      let maxRssMb: number | null = null;
      if (useTime && fs.existsSync(rssFile)) {
        maxRssMb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) / 1024;
        fs.rmSync(rssFile, { force: true });
      }
      resolve({ ms, stdout, maxRssMb });
    });
  });
}

async function readWholeFile(file: string): Promise<void> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) void chunk;
}

function countLines(file: string): number {
  const text = fs.readFileSync(file);
  let lines = 0;
  for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) lines++;
  return lines;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  const size = sizeFromEnv();
  ensureSqliteCli();
  const database = ensureBankDatabase(PROJECT_ROOT, size, (line) => console.log(line));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-bench-export-'));
  try {
    await readWholeFile(database);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(database, { readonly: true });
    const top = db.prepare('SELECT code, path FROM branches WHERE parent_id IS NULL ORDER BY code LIMIT 1').get() as { code: string; path: string };
    // The outlet with the most people: the slowest single branch.
    const outlet = db.prepare(`SELECT b.code, COUNT(*) AS n FROM branches b JOIN users u ON u.branch_id = b.id
      WHERE b.depth = (SELECT MAX(depth) FROM branches) GROUP BY b.id ORDER BY n DESC LIMIT 1`).get() as { code: string; n: number };
    db.close();

    const range = subtreeRange(top.path);
    const script = ['.mode csv', '.headers on',
      `.parameter set @from '${range.from}'`, `.parameter set @to '${range.to}'`,
      `${CERTIFICATION_BASELINE_SQL};`, ''].join('\n');
    const cliFile = path.join(work, 'sqlite3.csv');
    const lmsFile = path.join(work, 'lms.csv');
    const child = ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/export/export-child.ts')];

    console.log(`export benchmark: ${fmt(size.branches)} branches in 5 levels, ${fmt(size.employees)} employees, ${size.courses} courses, as of ${BENCH_AS_OF}`);
    // Best of BENCH_ROUNDS for each side, alternating, so a neighbour's burst of work on the
    // machine does not decide the ratio.
    const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
    let cli: Finished | null = null;
    let full: { ms: number; rows: number; maxRssMb: number } | null = null;
    let peakRss = 0;
    for (let round = 0; round < rounds; round++) {
      const cliRun = await run('sqlite3', [database], { input: script, stdoutFile: cliFile });
      if (!cli || cliRun.ms < cli.ms) cli = cliRun;
      const lms = await run(process.execPath, [...child, 'full', database, BENCH_AS_OF, lmsFile]);
      const result = JSON.parse(lms.stdout.trim().split('\n').at(-1)!) as { ms: number; rows: number; maxRssMb: number };
      peakRss = Math.max(peakRss, lms.maxRssMb ?? result.maxRssMb);
      if (!full || result.ms < full.ms) full = result;
    }
    const cliRows = countLines(cliFile) - 1;
    console.log(`sqlite3 CLI   : ${fmt(cli!.ms / 1000, 2)} s  ${fmt(cliRows)} rows${cli!.maxRssMb === null ? '' : `, peak RSS ${fmt(cli!.maxRssMb)} MB`}  (best of ${rounds})`);
    console.log(`lms export    : ${fmt(full!.ms / 1000, 2)} s  ${fmt(full!.rows)} rows (leavers left out), peak RSS ${fmt(peakRss)} MB  (best of ${rounds})`);
    const ratio = full!.ms / cli!.ms;
    console.log(`ratio         : ${ratio.toFixed(2)}  (target ≤ 1.5)`);
    console.log(`peak RSS      : ${fmt(peakRss)} MB  (target < 200)`);
    const single = await run(process.execPath, [...child, 'single', database, BENCH_AS_OF, path.join(work, 'one.csv'), outlet.code]);
    const one = JSON.parse(single.stdout.trim().split('\n').at(-1)!) as { firstMs: number; medianMs: number; rows: number };
    console.log(`single branch : ${fmt(one.medianMs, 1)} ms  (${outlet.code}, ${one.rows} rows; first call ${fmt(one.firstMs, 1)} ms)  (target < 100)`);
    const isMet = ratio <= 1.5 && peakRss < 200 && one.medianMs < 100;
    console.log(isMet ? 'targets met' : 'TARGETS MISSED');
    if (!isMet && process.env.BENCH_STRICT === '1') process.exitCode = 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
