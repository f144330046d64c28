import type { DiskFullReport } from './crash-engine.js';

/** What the disk-full case must show; an empty list when it did. */
export function diskFullProblems(report: DiskFullReport): string[] {
  const problems: string[] = [];
  const refused = Object.entries(report.refusedWhileFull);
  if (!refused.some(([what]) => what === 'HTTP 503 STORAGE_FULL')) problems.push(`no commit was refused with 503 STORAGE_FULL while the disk was full (refusals: ${JSON.stringify(report.refusedWhileFull)})`);
  const unclear = refused.filter(([what]) => what !== 'HTTP 503 STORAGE_FULL').map(([what]) => what);
  if (unclear.length) problems.push(`refusals without the clear storage error while full: ${unclear.join(', ')}`);
  if (!report.serverSurvived) problems.push('the server died while the disk was full');
  if (report.acknowledgedAfterSpaceReturned === 0) problems.push('no commit succeeded after space returned');
  if (report.check.integrity !== 'ok') problems.push(`integrity_check: ${report.check.integrity}`);
  if (report.check.lost.length) problems.push(`acknowledged commits lost: ${JSON.stringify(report.check.lost)}`);
  return problems;
}
