/**
 * The crash suite's engine (npm run test:crash, and a small run inside npm test): the real
 * server on a temp data folder, learners committing as fast as it answers, SIGKILL at random
 * moments, restarts, and after every kill a ledger check — every commit answered success is in
 * the database (the stored counter of each learner is at least the last one acknowledged) and
 * `PRAGMA integrity_check` says ok. Then a disk-full case on a size-limited tmpfs: commits are
 * refused with a clear error while the disk is full, nothing acknowledged is lost, and commits
 * succeed again once space returns.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLms } from '../../server/app.js';
import { silentLogger } from '../../server/logger.js';
import { createBranch, createUser, TEST_PASSWORD } from '../helpers/test-app.js';
import { publishCourse, sample } from '../helpers/launch.js';
import { CrashServer, freePort, SESSION_SECRET } from './crash-server.js';
import { counterOf, emptyLedger, launchLearner, startLearners, type Ledger } from './learners.js';

export interface CrashOptions {
  learners: number;
  kills: number;
  /** Seed of the kill moments (printed, so a run can be repeated). */
  seed: number;
  /** Each kill comes this long after the server answered its health check (uniformly at random). */
  upMs: [number, number];
  /** The disk-full case: how long the disk stays full, and how long to wait for commits once space returns. */
  diskFull: { fullMs: number; recoverMs: number } | null;
  log: (line: string) => void;
}

export interface DatabaseCheck {
  integrity: string;
  /** Learners whose stored counter is below the last one the server acknowledged. */
  lost: Array<{ learner: string; acked: number; stored: number }>;
}

export interface DiskFullReport {
  /** tmpfs (a real size-limited filesystem) — the only mechanism used. */
  mechanism: string;
  refusedWhileFull: Record<string, number>;
  acknowledgedWhileFull: number;
  acknowledgedAfterSpaceReturned: number;
  check: DatabaseCheck;
  serverSurvived: boolean;
}

export interface CrashReport {
  seed: number;
  learners: number;
  kills: number;
  acknowledged: number;
  unanswered: number;
  refusals: Record<string, number>;
  checks: DatabaseCheck[];
  /** Acknowledged commits missing at the worst check: the sum of each learner's shortfall (must be 0). */
  lost: number;
  diskFull: DiskFullReport | null;
  seconds: number;
}

const COURSE = 'CRASH';

/** mulberry32: a small seeded generator, so kill moments can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A data folder with a branch, a trainer, the learners and the golf 2004 sample published (cheap password hashes). */
async function prepareDataDir(dataDir: string, learners: string[]): Promise<void> {
  const app = createLms({ dataDir, sessionSecret: SESSION_SECRET, logger: silentLogger(), passwordCost: { N: 1024, r: 8, p: 1 } });
  try {
    await createBranch(app, 'HO', null);
    await createUser(app, { username: 'crash-trainer', roles: ['trainer'], branch: 'HO' });
    for (const username of learners) await createUser(app, { username, roles: ['employee'], branch: 'HO' });
    await publishCourse(app, 'crash-trainer', COURSE, sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
  } finally {
    app.lms.close();
  }
}

/**
 * Reads a database the way the server would find it after the kill: a copy of the file and its
 * WAL (SQLite recovers the copy), so the server itself still restarts on the crashed files.
 */
export function checkDatabase(dataDir: string, acked: Map<string, number>): DatabaseCheck {
  const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-crash-check-'));
  try {
    for (const suffix of ['', '-wal']) {
      const from = path.join(dataDir, `lms.db${suffix}`);
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(copyDir, `lms.db${suffix}`));
    }
    const db = new Database(path.join(copyDir, 'lms.db'));
    try {
      const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
      const rows = db.prepare(`SELECT u.username, st.location FROM sco_states st JOIN attempts a ON a.id = st.attempt_id
        JOIN enrollments e ON e.id = a.enrollment_id JOIN users u ON u.id = e.user_id`).all() as Array<{ username: string; location: string | null }>;
      const stored = new Map<string, number>();
      for (const row of rows) stored.set(row.username, Math.max(stored.get(row.username) ?? 0, counterOf(row.location)));
      const lost = [...acked].filter(([learner, n]) => (stored.get(learner) ?? 0) < n)
        .map(([learner, n]) => ({ learner, acked: n, stored: stored.get(learner) ?? 0 }));
      return { integrity, lost };
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(copyDir, { recursive: true, force: true });
  }
}

const toRecord = (map: Map<string, number>) => Object.fromEntries([...map].sort());

function diff(after: Map<string, number>, before: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of after) if (value - (before.get(key) ?? 0) > 0) out[key] = value - (before.get(key) ?? 0);
  return out;
}

/** Fills a filesystem until it refuses another byte. */
function fillDisk(file: string): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 16, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          fs.writeSync(fd, chunk);
          written += size;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
    fs.fsyncSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

function mountTmpfs(dir: string, bytes: number): void {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(bytes / 4096) * 4096},mode=0700`, 'lms-crash-disk', dir], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`the disk-full case needs a size-limited filesystem: \`mount -t tmpfs\` failed (${stderr || String(error)}); run it as root (CI does), or pass --no-disk-full`, { cause: error });
  }
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/**
 * The disk-full case. The data folder (WAL checkpointed away, as after a clean stop) moves to a
 * tmpfs a few MB larger than it; the server starts there; the rest of the disk is filled before
 * the next commit, so the WAL cannot grow. (A WAL that already grew would take commits into its
 * existing pages: those would be stored, not refused.)
 */
async function runDiskFull(server: CrashServer, dataDir: string, ledger: Ledger, options: CrashOptions, mountDir: string): Promise<DiskFullReport> {
  const { log } = options;
  const size = folderBytes(dataDir) + 8 * 1024 * 1024;
  mountTmpfs(mountDir, size);
  const fullDir = path.join(mountDir, 'data');
  try {
    fs.cpSync(dataDir, fullDir, { recursive: true });
    const db = new Database(path.join(fullDir, 'lms.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    server.useDataDir(fullDir);
    await server.start();
    const filler = path.join(mountDir, 'filler');
    const filled = fillDisk(filler);
    log(`disk full: tmpfs of ${(size / 1048576).toFixed(1)} MB, ${(filled / 1048576).toFixed(1)} MB of filler written`);

    const beforeRefusals = new Map(ledger.refusals);
    const beforeAcks = ledger.acknowledged;
    await sleep(options.diskFull!.fullMs);
    const refusedWhileFull = diff(ledger.refusals, beforeRefusals);
    const acknowledgedWhileFull = ledger.acknowledged - beforeAcks;
    log(`while full: refused ${JSON.stringify(refusedWhileFull)}, acknowledged ${acknowledgedWhileFull}`);

    fs.rmSync(filler);
    const afterSpace = ledger.acknowledged;
    const deadline = Date.now() + options.diskFull!.recoverMs;
    while (ledger.acknowledged - afterSpace < options.learners * 5 && Date.now() < deadline) await sleep(50);
    const acknowledgedAfterSpaceReturned = ledger.acknowledged - afterSpace;
    log(`space back: ${acknowledgedAfterSpaceReturned} commits acknowledged`);
    const serverSurvived = server.unexpectedExit === null;
    await server.kill();
    const check = checkDatabase(fullDir, new Map(ledger.acked));
    log(`after the disk-full case: integrity ${check.integrity}, lost ${check.lost.length}`);
    return { mechanism: `tmpfs (${(size / 1048576).toFixed(1)} MB)`, refusedWhileFull, acknowledgedWhileFull, acknowledgedAfterSpaceReturned, check, serverSurvived };
  } finally {
    await server.kill();
    try { execFileSync('umount', [mountDir], { stdio: 'pipe' }); } catch (error) { log(`umount ${mountDir} failed: ${String(error)}`); }
  }
}

export async function runCrashSuite(options: CrashOptions): Promise<CrashReport> {
  const started = Date.now();
  const { log } = options;
  const random = seeded(options.seed);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-crash-'));
  const dataDir = path.join(workDir, 'data');
  const learners = Array.from({ length: options.learners }, (_, i) => `learner${String(i + 1).padStart(2, '0')}`);
  const server = new CrashServer(await freePort(), dataDir);
  const ledger = emptyLedger();
  const checks: DatabaseCheck[] = [];
  let crowd: ReturnType<typeof startLearners> | null = null;
  try {
    await prepareDataDir(dataDir, learners);
    log(`data folder prepared in ${Date.now() - started} ms`);
    await server.start();
    log(`server started in ${Date.now() - started} ms from the beginning`);
    const launches = [];
    for (const username of learners) launches.push(await launchLearner(server.origin, username, TEST_PASSWORD, COURSE));
    log(`server on ${server.origin}, ${learners.length} learners signed in and launched; seed ${options.seed}`);
    crowd = startLearners(server.port, launches, ledger, new Map());

    for (let kill = 1; kill <= options.kills; kill += 1) {
      const upMs = options.upMs[0] + random() * (options.upMs[1] - options.upMs[0]);
      await sleep(upMs);
      if (server.unexpectedExit) throw new Error(server.unexpectedExit);
      await server.kill();
      const check = checkDatabase(dataDir, new Map(ledger.acked));
      checks.push(check);
      log(`kill ${kill}/${options.kills} after ${Math.round(upMs)} ms: ${ledger.acknowledged} acknowledged so far, integrity ${check.integrity}, lost ${check.lost.length}${check.lost.length ? ` ${JSON.stringify(check.lost.slice(0, 5))}` : ''}`);
      // After the last kill the disk-full case starts the server again, on its small disk.
      if (kill === options.kills && options.diskFull) break;
      const restartAt = Date.now();
      await server.start();
      log(`restarted in ${Date.now() - restartAt} ms`);
    }
    let diskFull: DiskFullReport | null = null;
    if (options.diskFull) {
      if (options.kills === 0) await server.kill();
      diskFull = await runDiskFull(server, dataDir, ledger, options, path.join(workDir, 'disk'));
    } else {
      await sleep(options.upMs[0]);
      await server.kill();
      checks.push(checkDatabase(dataDir, new Map(ledger.acked)));
    }
    await crowd.stop();
    crowd = null;
    const shortfall = (check: DatabaseCheck) => check.lost.reduce((sum, l) => sum + (l.acked - l.stored), 0);
    const lost = Math.max(0, ...checks.map(shortfall), diskFull ? shortfall(diskFull.check) : 0);
    return {
      seed: options.seed, learners: options.learners, kills: options.kills, acknowledged: ledger.acknowledged, unanswered: ledger.unanswered,
      refusals: toRecord(ledger.refusals), checks, lost, diskFull, seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await crowd?.stop();
    await server.kill();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
