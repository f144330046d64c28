/**
 * npm run bench:stall [-- --scale 0.1] — does any heavy operation stall the server? On the
 * bank-size database (the export bench's bank plus the trainer course's interaction records,
 * see generate-activity.ts) the real app runs in its own process; for each operation this
 * process pings /healthz every 10 ms on its own connection while the server's largest
 * event-loop delay is read from perf_hooks (DESIGN §8: < 50 ms; /healthz p99 < 100 ms).
 *
 * Operations: the trainer's learners page and question analysis for the 415k-learner course
 * (first load, the background status count, the counted page, the next page), the hr dashboard
 * for the whole bank and for a provincial branch (first answer, then until the figures show),
 * the full-bank CSV export, a roster import of every employee, and the daily job (dry run).
 *
 * Growth (issue 14 §4): a sub-branch export and the trainer page on a bank 1/100 the size
 * (the same people per sub-branch) against the full one: the ratio should stay within 1.2.
 *
 *   --scale S   employees and branches × S (default 1: 415,000 and 15,500)
 *   --skip a,b  leave out operations by key (trainer, dashboard, export, roster, daily, growth)
 * A measurement, not a test: it prints the figures and exits 0 whatever they are.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../../server/config.js';
import { FULL_BANK, type BankSize } from '../export/generate-bank.js';
import { BrowserSession } from '../shared/browser-session.js';
import { startChildServer } from '../shared/child-server.js';
import { ensureStallDatabase, TRAINER_COURSE } from './generate-activity.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, skip: { type: 'string', default: '' } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
const skip = new Set(values.skip!.split(',').filter(Boolean));
const log = (line: string) => console.log(line);

function sized(factor: number): BankSize {
  const employees = Math.round(FULL_BANK.employees * factor);
  return { employees, branches: Math.max(60, Math.round(FULL_BANK.branches * factor)), courses: FULL_BANK.courses };
}

interface ServerInfo { port: number; password: string; province: string; pid: number }

interface Measure { name: string; ms: number; loopMaxMs: number; cpuStretchMs: number; healthP50: number; healthP99: number; healthMax: number; pings: number; note: string }

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** VmHWM (peak resident set) of a process, in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

class Stage {
  readonly origin: string;
  readonly measures: Measure[] = [];

  constructor(readonly info: ServerInfo) {
    this.origin = `http://127.0.0.1:${info.port}`;
  }

  async session(username: string): Promise<BrowserSession> {
    const session = new BrowserSession(this.origin);
    await session.signIn(username, this.info.password);
    return session;
  }

  /** Runs `op` while pinging /healthz; records its time, the server's largest loop delay and the pings' latencies. */
  async measure(name: string, op: () => Promise<string | void>): Promise<Measure> {
    await (await fetch(`${this.origin}/__bench/loop`)).json(); // resets the histogram
    const pings: number[] = [];
    let running = true;
    const pinger = (async () => {
      while (running) {
        const started = performance.now();
        const res = await fetch(`${this.origin}/healthz`);
        await res.arrayBuffer();
        pings.push(performance.now() - started);
        await sleep(10);
      }
    })();
    const started = performance.now();
    let note: string;
    try {
      note = (await op()) ?? '';
    } finally {
      running = false;
      await pinger;
    }
    const ms = performance.now() - started;
    const loop = await (await fetch(`${this.origin}/__bench/loop`)).json() as { maxMs: number; maxCpuStretchMs: number };
    pings.sort((a, b) => a - b);
    const m = { name, ms, loopMaxMs: loop.maxMs, cpuStretchMs: loop.maxCpuStretchMs, healthP50: percentile(pings, 50), healthP99: percentile(pings, 99), healthMax: pings.at(-1) ?? Number.NaN, pings: pings.length, note };
    this.measures.push(m);
    console.log(`  ${name.padEnd(44)} ${fmt(ms).padStart(9)} ms   loop max ${fmt(m.loopMaxMs).padStart(6)} ms (CPU ${fmt(m.cpuStretchMs).padStart(6)})   /healthz p50 ${fmt(m.healthP50)} p99 ${fmt(m.healthP99)} max ${fmt(m.healthMax)} ms (${m.pings})${note ? `   ${note}` : ''}`);
    return m;
  }
}

function decodeHtml(text: string): string {
  return text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

async function get(session: BrowserSession, url: string): Promise<string> {
  return session.page(url);
}

/** Polls a page until `isReady` says so; returns the last text. */
async function until(session: BrowserSession, url: string, isReady: (html: string) => boolean, timeoutMs = 20 * 60_000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const html = await get(session, url);
    if (isReady(html)) return html;
    if (performance.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** A working copy: the server writes (sessions, audit, the roster import), the cached file stays as generated. */
function workingCopy(file: string): { file: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(path.dirname(file), 'stall-run-'));
  const copy = path.join(dir, 'lms.db');
  fs.copyFileSync(file, copy);
  return { file: copy, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function withServer<T>(dbFile: string, work: (stage: Stage) => Promise<T>): Promise<T> {
  const copy = workingCopy(dbFile);
  const server = await startChildServer<ServerInfo>(path.join(here, 'stall-server.ts'), { env: { BENCH_DB: copy.file }, startTimeoutMs: 300_000 });
  try {
    return await work(new Stage(server.info));
  } finally {
    await server.stop();
    copy.remove();
  }
}

/** A sub-branch (depth 3) whose subtree holds the most people: the issue's ~265-person export. */
function subBranchOf(dbFile: string): { code: string; people: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const row = db.prepare(`SELECT b.code, (SELECT COUNT(*) FROM users u JOIN branches x ON x.id = u.branch_id
      WHERE x.path >= b.path AND x.path < b.path || char(0x10FFFF)) AS people FROM branches b WHERE b.depth = 3 ORDER BY b.id LIMIT 1`).get() as { code: string; people: number };
    return row;
  } finally {
    db.close();
  }
}

interface GrowthSide { exportOnce(): Promise<unknown>; trainerOnce(): Promise<unknown>; people: number }

async function growthSide(stage: Stage, dbFile: string): Promise<GrowthSide> {
  const sub = subBranchOf(dbFile);
  const hr = await stage.session('bench-hr-bank');
  const trainer = await stage.session('bench-trainer');
  await until(trainer, `/trainer/courses/${TRAINER_COURSE}/learners`, (html) => html.includes('data-counted-at'));
  const side = {
    exportOnce: () => get(hr, `/api/reports/certifications?branch=${sub.code}&subBranches=true&format=csv`),
    trainerOnce: () => get(trainer, `/trainer/courses/${TRAINER_COURSE}/learners`),
    people: sub.people,
  };
  await side.exportOnce(); // warm: the first read of a cold file is the disk's, not the app's
  await side.trainerOnce();
  return side;
}

/**
 * Both databases served at once and asked in turn, so the machine's load (shared with other
 * work) weighs on both sides alike; the median of `runs` pairs.
 */
async function growthFigures(smallFile: string, bankFile: string, runs = 9) {
  return withServer(smallFile, (smallStage) => withServer(bankFile, async (bankStage) => {
    const small = await growthSide(smallStage, smallFile);
    const bank = await growthSide(bankStage, bankFile);
    const timed = async (op: () => Promise<unknown>) => {
      const started = performance.now();
      await op();
      return performance.now() - started;
    };
    const samples = { smallExport: [] as number[], bankExport: [] as number[], smallTrainer: [] as number[], bankTrainer: [] as number[] };
    for (let i = 0; i < runs; i++) {
      samples.smallExport.push(await timed(small.exportOnce));
      samples.bankExport.push(await timed(bank.exportOnce));
      samples.smallTrainer.push(await timed(small.trainerOnce));
      samples.bankTrainer.push(await timed(bank.trainerOnce));
    }
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    return {
      people: [small.people, bank.people],
      exportMs: [median(samples.smallExport), median(samples.bankExport)],
      trainerMs: [median(samples.smallTrainer), median(samples.bankTrainer)],
    };
  }));
}

function rosterFile(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true });
  const file = path.join(os.tmpdir(), `bench-roster-${process.pid}.csv`);
  const out = fs.openSync(file, 'w');
  try {
    fs.writeSync(out, 'employee_no,name,branch_code,position,hired_at,status\r\n');
    let lines: string[] = [];
    let n = 0;
    for (const r of db.prepare(`SELECT u.employee_no, u.name, b.code, u.position, u.hired_at, u.status FROM users u JOIN branches b ON b.id = u.branch_id
      WHERE u.employee_no IS NOT NULL ORDER BY u.id`).raw().iterate() as IterableIterator<[string, string, string, string, string, string]>) {
      n++;
      // One in a hundred renamed: the import has changes to write, as a monthly roster does.
      lines.push(`${r[0]},${n % 100 === 0 ? `${r[1]}新` : r[1]},${r[2]},${r[3]},${r[4]},${r[5]}`);
      if (lines.length >= 10_000) {
        fs.writeSync(out, `${lines.join('\r\n')}\r\n`);
        lines = [];
      }
    }
    if (lines.length) fs.writeSync(out, `${lines.join('\r\n')}\r\n`);
  } finally {
    fs.closeSync(out);
    db.close();
  }
  return file;
}

async function heavyOperations(dbFile: string): Promise<Measure[]> {
  return withServer(dbFile, async (stage) => {
    const { info } = stage;
    const [trainer, hrBank, hrProvince] = [await stage.session('bench-trainer'), await stage.session('bench-hr-bank'), await stage.session('bench-hr-province')];
    const learners = `/trainer/courses/${TRAINER_COURSE}/learners`;
    if (!skip.has('trainer')) {
      await stage.measure('trainer page + questions, first load', async () => {
        const html = await get(trainer, learners);
        return html.includes('data-counting') ? 'status counts: being counted' : 'status counts shown';
      });
      await stage.measure('status count in background (until shown)', async () => {
        await until(trainer, learners, (html) => html.includes('data-counted-at'));
      });
      let next = '';
      await stage.measure('trainer page + questions, counted', async () => {
        const html = await get(trainer, learners);
        next = decodeHtml(/rel="next" href="([^"]+)"/.exec(html)?.[1] ?? '');
        return `${[...html.matchAll(/data-question="/g)].length} questions`;
      });
      if (next) await stage.measure('trainer next page (keyset)', async () => { await get(trainer, next); });
    }
    if (!skip.has('dashboard')) {
      const ready = (html: string) => !html.includes('http-equiv="refresh"');
      await stage.measure('hr dashboard, whole bank: first answer', async () => (ready(await get(hrBank, '/hr/branches/HO')) ? 'figures' : 'being computed'));
      await stage.measure('hr dashboard, whole bank: until figures', async () => { await until(hrBank, '/hr/branches/HO', ready); });
      await stage.measure('hr dashboard, whole bank: figures kept', async () => { await get(hrBank, '/hr/branches/HO'); });
      const province = `/hr/branches/${info.province}`;
      await stage.measure('hr dashboard, provincial: first answer', async () => (ready(await get(hrProvince, province)) ? 'figures' : 'being computed'));
      await stage.measure('hr dashboard, provincial: until figures', async () => { await until(hrProvince, province, ready); });
    }
    if (!skip.has('export')) {
      await stage.measure('full-bank export (CSV)', async () => {
        const res = await hrBank.request('/api/reports/certifications?branch=HO&subBranches=true&format=csv');
        let bytes = 0;
        for await (const chunk of res.body!) bytes += (chunk as Uint8Array).length;
        return `${(bytes / 2 ** 20).toFixed(0)} MB, server peak RSS ${peakRssMb(info.pid).toFixed(0)} MB`;
      });
    }
    if (!skip.has('roster')) {
      const file = rosterFile(dbFile);
      await stage.measure('roster import, every employee (1 % renamed)', async () => {
        const res = await fetch(`${stage.origin}/__bench/roster`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ filePath: file }) });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`roster import answered ${res.status}: ${body.slice(0, 300)}`);
        return body.slice(0, 120);
      });
      fs.rmSync(file, { force: true });
    }
    if (!skip.has('daily')) {
      await stage.measure('daily job (dry run)', async () => {
        const res = await fetch(`${stage.origin}/__bench/daily`, { method: 'POST' });
        const summary = await res.json() as { learnersChecked?: number };
        return `${summary.learnersChecked ?? '?'} learners checked`;
      });
    }
    return stage.measures;
  });
}

const size = sized(scale);
log(`bench:stall — ${size.employees.toLocaleString('en')} employees, ${size.branches.toLocaleString('en')} branches, ${size.courses} courses (scale ${scale}); ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const bankFile = ensureStallDatabase(PROJECT_ROOT, size, log);
log(`database ${path.relative(PROJECT_ROOT, bankFile)} (${(fs.statSync(bankFile).size / 2 ** 30).toFixed(2)} GB)\n`);

const heavy = ['trainer', 'dashboard', 'export', 'roster', 'daily'].some((key) => !skip.has(key));
const measures = heavy ? await heavyOperations(bankFile) : [];
const worst = measures.reduce((a, b) => (b.loopMaxMs > a.loopMaxMs ? b : a), measures[0]);
const worstCpu = measures.reduce((a, b) => (b.cpuStretchMs > a.cpuStretchMs ? b : a), measures[0]);
if (worstCpu) log(`\nlongest CPU stretch between two turns: ${fmt(worstCpu.cpuStretchMs)} ms (${worstCpu.name})`);
if (worst) log(`largest event-loop delay (wall): ${fmt(worst.loopMaxMs)} ms (${worst.name}); target < 50 ms. Worst /healthz p99: ${fmt(Math.max(...measures.map((m) => m.healthP99)))} ms; target < 100 ms`);

if (!skip.has('growth')) {
  const smallFile = ensureStallDatabase(PROJECT_ROOT, sized(scale / 100), log);
  const g = await growthFigures(smallFile, bankFile);
  log(`\ngrowth, median of 9 interleaved pairs (a bank of ${sized(scale / 100).employees.toLocaleString('en')} employees → this one, both served at once):`);
  log(`  sub-branch export (${g.people[0]} → ${g.people[1]} people): ${fmt(g.exportMs[0])} → ${fmt(g.exportMs[1])} ms, ratio ${(g.exportMs[1] / g.exportMs[0]).toFixed(2)} (target ≤ 1.2)`);
  log(`  trainer page (course of ${sized(scale / 100).employees.toLocaleString('en')} → ${size.employees.toLocaleString('en')}): ${fmt(g.trainerMs[0])} → ${fmt(g.trainerMs[1])} ms, ratio ${(g.trainerMs[1] / g.trainerMs[0]).toFixed(2)} (target ≤ 1.2)`);
}
