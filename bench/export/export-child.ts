/**
 * Runs certification CSV exports through the app's own container and service, in a process of
 * its own so the peak RSS is the export's. Prints one JSON line.
 *
 *   full   DB AS_OF OUT_FILE            the whole bank (the top branch with sub-branches)
 *   single DB AS_OF OUT_FILE CODE       one branch without sub-branches, several times (the first
 *                                       call pays for preparing statements and JIT warm-up)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../server/config.js';
import { buildContainer, type Container } from '../../server/container.js';
import { silentLogger } from '../../server/logger.js';

const [mode, databaseFile, asOf, outFile, code] = process.argv.slice(2);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-bench-export-'));
// The bank's statuses are arranged around AS_OF: the export runs on that day, as exports usually
// run "as of today" (people placed by the roster, not by history).
const today = new Date(`${asOf}T04:00:00Z`);
const container = buildContainer(resolveConfig({
  dataDir, databaseFile, sessionSecret: 'bench-secret-0123456789', logger: silentLogger(), now: () => today,
}));

async function exportOnce(c: Container, branchCode: string, includeSubBranches: boolean): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const prepared = await c.services.reports.prepareCertificationExport(
    { id: null, scopes: null }, { branchCode, includeSubBranches, courseCode: null, status: null, asOf }, 'csv', 'zh-CN');
  const rows = await prepared.writeTo(fs.createWriteStream(outFile));
  return { ms: performance.now() - started, rows };
}

try {
  if (mode === 'full') {
    const top = (await container.repositories.reports.listChildren(null))[0];
    const result = await exportOnce(container, top.code, true);
    console.log(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  } else {
    const runs = [];
    for (let i = 0; i < 7; i++) runs.push(await exportOnce(container, code, false));
    const sorted = runs.slice(1).map((r) => r.ms).sort((a, b) => a - b);
    console.log(JSON.stringify({ firstMs: runs[0].ms, medianMs: sorted[Math.floor(sorted.length / 2)], rows: runs[0].rows }));
  }
} finally {
  container.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
