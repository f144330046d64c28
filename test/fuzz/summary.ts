import type { FuzzReport } from './engine.js';

/** The figures of a fuzz run, and the first stalls and violations with what was running. */
export function summarise(r: FuzzReport, seconds: number): string {
  const fiveXX = r.violations.filter((v) => v.problem.startsWith('answered 5')).length;
  const lines = [
    `seed ${r.seed}: ${r.counts.commits} commit bodies, ${r.counts.zips} zips, ${r.counts.forms} form bodies in ${seconds.toFixed(0)} s (${JSON.stringify(r.seconds)})`,
    `5xx: ${fiveXX}; stalls > 50 ms: ${r.stalls.length} (latest timer ${r.maxLateMs} ms, CPU-confirmed stalls only count); other violations: ${r.violations.length - fiveXX}`,
    `statuses: ${JSON.stringify(r.statuses)}`,
    ...r.stalls.slice(0, 20).map((s) => `  stall ${s.lateMs} ms (${s.cpuMs} ms CPU) during ${s.label}`),
    ...r.violations.slice(0, 40).map((v) => `  ${v.phase} #${v.index} ${v.problem} — ${v.label.slice(0, 200)}`),
  ];
  return lines.join('\n');
}
