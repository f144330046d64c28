/**
 * npm run bench:tallies [-- --rows-per-course 2,27] — what the hr dashboard's snapshot read costs
 * at bank scale, without generating a bank's records: the full tree (15,500 branches, as the
 * export bench builds it) and status tallies filled straight in, `rows` tally rows per (branch,
 * course) for 10 courses, spread over expiry and due days around today (27 ≈ one row per
 * enrollment of a 27-person branch: the worst case, every key distinct; the generated bench bank
 * has 2; dues before a certificate's expiry day are dropped, as the keys' view does), the rollups
 * per ancestor recounted from them. Prints the snapshot read's wall and CPU time for the whole bank and one province, and
 * the in-process baseline of reading nothing (one branch) in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { migrate } from '../../server/db/migrate.js';
import { addDaysToLocalDate, localDateOf } from '../../server/certification/calendar.js';
import { DEFAULT_CERTIFICATION_POLICY as policy } from '../../server/certification/status-rules.js';
import { resolveAsOf } from '../../server/reports/as-of.js';
import { BranchSnapshotReader } from '../../server/reports/branch-snapshot.js';
import { ReportsRepository } from '../../server/reports/reports.repository.js';
import { StatusTalliesRepository } from '../../server/reports/status-tallies.repository.js';
import { FULL_BANK, levelSizes } from '../export/generate-bank.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { 'rows-per-course': { type: 'string', default: '2,27' } } });
const COURSES = 10;
const PEOPLE_PER_BRANCH = Math.round(FULL_BANK.employees / FULL_BANK.branches);

async function build(file: string, rowsPerCourse: number): Promise<void> {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  migrate(db, path.join(PROJECT_ROOT, 'migrations'));
  const at = '2025-01-01T00:00:00.000Z';
  const today = localDateOf(new Date(), policy.timeZone);
  const insertBranch = db.prepare('INSERT INTO branches (id, code, name, parent_id, path, depth, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertCourse = db.prepare(`INSERT INTO courses (id, code, title, status, created_at, updated_at) VALUES (?, ?, ?, 'published', ?, ?)`);
  const insertTally = db.prepare(`INSERT INTO status_tallies (branch_id, course_id, expiry, due, progress, left_on, n) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (branch_id, course_id, expiry, due, progress, left_on) DO UPDATE SET n = n + excluded.n`);
  const insertPeople = db.prepare('INSERT INTO person_tallies (branch_id, left_on, has_courses, min_expiry, n) VALUES (?, ?, ?, ?, ?)');
  // Tallies go straight in with the rollups' triggers aside; the rollups are recounted at the end.
  db.prepare(`INSERT INTO status_tallies_rebuilding (since) VALUES ('bench')`).run();
  db.transaction(() => {
    for (let c = 1; c <= COURSES; c++) insertCourse.run(c, `CP${String(c).padStart(3, '0')}`, `课程${c}`, at, at);
    const paths: string[] = [''];
    let id = 0;
    let previous: number[] = [];
    let seed = 7;
    const pick = (n: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed % n; };
    levelSizes(FULL_BANK.branches).forEach((count, depth) => {
      const current: number[] = [];
      for (let i = 0; i < count; i++) {
        id++;
        const parent = depth === 0 ? null : previous[i % previous.length];
        paths[id] = `${parent === null ? '/' : paths[parent]}${id}/`;
        insertBranch.run(id, depth === 0 ? 'HO' : `B${String(id).padStart(5, '0')}`, `机构${id}`, parent, paths[id], depth, at, at);
        current.push(id);
        for (let c = 1; c <= COURSES; c++) {
          let left = PEOPLE_PER_BRANCH;
          for (let r = 0; r < rowsPerCourse && left > 0; r++) {
            const n = r === rowsPerCourse - 1 ? left : Math.max(1, Math.floor(PEOPLE_PER_BRANCH / rowsPerCourse));
            left -= n;
            const kind = pick(4);
            const expiry = kind < 2 ? addDaysToLocalDate(today, -200 + pick(565) + r) : '';
            // Keys without a certificate differ by due day, as enrolments assigned on different days do.
            const dueDay = kind >= 1 ? addDaysToLocalDate(today, -60 + pick(120) + r) : '';
            // As the keys' view keeps it: a due before the certificate's expiry day no longer matters.
            const due = dueDay === '' || (expiry !== '' && dueDay < expiry) ? '' : `${dueDay}T15:59:59.999Z`;
            insertTally.run(id, c, expiry, due, [4, 5, 6][pick(3)], '', n);
          }
        }
        insertPeople.run(id, '', 1, addDaysToLocalDate(today, -100 + pick(300)), PEOPLE_PER_BRANCH);
      }
      previous = current;
    });
  })();
  db.prepare('DELETE FROM status_tallies_rebuilding').run();
  await new StatusTalliesRepository({ db }).rebuildRollups();
  db.close();
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-tallies-'));
console.log(`bench:tallies — ${FULL_BANK.branches.toLocaleString('en')} branches × ${COURSES} courses; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
try {
  for (const rows of values['rows-per-course']!.split(',').map(Number)) {
    const file = path.join(dir, `tallies-${rows}.db`);
    const started = performance.now();
    await build(file, rows);
    const db = new Database(file, { readonly: true });
    db.pragma('cache_size = -32768');
    const reports = new ReportsRepository({ db });
    const reader = new BranchSnapshotReader({ reports, tallies: new StatusTalliesRepository({ db }), policy });
    const tallyRows = db.prepare('SELECT COUNT(*) FROM status_tallies').pluck().get() as number;
    const rollupRows = ['status_expiry_rollups', 'status_due_rollups', 'status_joint_rollups', 'person_rollups']
      .map((table) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number).reduce((a, b) => a + b, 0);
    console.log(`\n${rows} tally rows per (branch, course): ${tallyRows.toLocaleString('en')} rows, ${rollupRows.toLocaleString('en')} rollup rows, built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const asOf = resolveAsOf(null, new Date(), policy.timeZone);
    const ho = (await reports.findBranchByCode('HO'))!;
    const province = reports.childBranches(ho.id)[0];
    const outlet = (await reports.listBranches({ path: province.path, includeSubBranches: true })).at(-1)!;
    for (const [name, branch] of [['one outlet (baseline)', outlet], ['province', province], ['whole bank', ho]] as const) {
      const walls: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < 5; i++) {
        const cpu = process.cpuUsage();
        const t = performance.now();
        reader.read(branch, asOf, '');
        walls.push(performance.now() - t);
        const used = process.cpuUsage(cpu);
        cpus.push((used.user + used.system) / 1000);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      console.log(`  ${name.padEnd(22)} wall median ${median(walls).toFixed(0).padStart(5)} ms (first ${walls[0].toFixed(0)} ms), CPU median ${median(cpus).toFixed(0).padStart(5)} ms`);
    }
    db.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
