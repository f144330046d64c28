/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function, per source file
 * and per package, and total (inclusive) time per function, so "where does the time go" has an
 * answer.
 *
 *   npx tsx bench/shared/profile-summary.ts <file.cpuprofile> [rows=25]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface ProfileSummary {
  totalMs: number;
  selfByFunction: Array<[string, number]>;
  selfByFile: Array<[string, number]>;
  /** node_modules/<package>, server/<area>, node internals, or the file itself. */
  selfByPackage: Array<[string, number]>;
  totalByFunction: Array<[string, number]>;
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/work\/main\//, '');
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

function packageOf(file: string): string {
  const dependency = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (dependency) return dependency[1];
  const area = /^(server|bench|test)\/([^/]+)\//.exec(file);
  if (area) return `${area[1]}/${area[2]}`;
  return file.startsWith('node:') ? 'node (internals)' : file;
}

const sortDesc = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);

export function summariseProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));

  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  const totalByFunction = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    totalMs += ms;
    selfByFunction.set(label(node), (selfByFunction.get(label(node)) ?? 0) + ms);
    const file = shortUrl(node.callFrame.url) || node.callFrame.functionName;
    selfByFile.set(file, (selfByFile.get(file) ?? 0) + ms);
    selfByPackage.set(packageOf(file), (selfByPackage.get(packageOf(file)) ?? 0) + ms);
    // Inclusive: each distinct function on the stack gets the sample once (recursion counts once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = label(byId.get(cur)!);
      if (seen.has(name)) continue;
      seen.add(name);
      totalByFunction.set(name, (totalByFunction.get(name) ?? 0) + ms);
    }
  }
  return {
    totalMs, selfByFunction: sortDesc(selfByFunction), selfByFile: sortDesc(selfByFile), selfByPackage: sortDesc(selfByPackage),
    totalByFunction: sortDesc(totalByFunction),
  };
}

function print(title: string, rows: Array<[string, number]>, totalMs: number, limit: number): void {
  console.log(`\n${title}`);
  for (const [name, ms] of rows.slice(0, limit)) console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${name}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, rows = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [rows]');
  const summary = summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
  console.log(`profile ${file}: ${summary.totalMs.toFixed(0)} ms sampled`);
  print('self time by function', summary.selfByFunction, summary.totalMs, Number(rows));
  print('self time by file', summary.selfByFile, summary.totalMs, Number(rows));
  print('self time by package or server area (native calls count for their JS caller: SQLite work and fsync show under the code that ran them)',
    summary.selfByPackage, summary.totalMs, Number(rows));
  print('total time by function (inclusive)', summary.totalByFunction, summary.totalMs, Number(rows) * 2);
}
