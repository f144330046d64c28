/**
 * Download names for exports: '<code>-<branch name>-<report>-<as-of>.<ext>', e.g.
 * '310000-上海分行-认证明细-2026-06-01.csv'. The Content-Disposition header carries an ASCII
 * fallback (filename=) for old clients and the real name as RFC 5987 UTF-8 (filename*=), which
 * every current browser and Excel's downloader prefer. Pure.
 */
import type { Locale } from '../config.js';
import type { ReportKind } from './export-columns.js';
import type { ReportFormat } from './report-writer.js';

const REPORT_WORDS: Record<Locale, Record<ReportKind, string>> = {
  'zh-CN': { certifications: '认证明细', branches: '机构合规汇总' },
  en: { certifications: 'certifications', branches: 'branch-compliance' },
};

// Characters no file system or header should see in a name (control characters included).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;

export interface ExportNaming { report: ReportKind; branchCode: string; branchName: string; asOf: string; format: ReportFormat; locale: Locale }

export function exportFileName(naming: ExportNaming): string {
  const parts = [naming.branchCode, naming.branchName, REPORT_WORDS[naming.locale][naming.report], naming.asOf];
  return `${parts.map((p) => p.replace(UNSAFE, '_').trim()).join('-')}.${naming.format}`;
}

/** 'attachment; filename="…"; filename*=UTF-8''…' */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}

export function asciiFileName(naming: ExportNaming): string {
  const code = naming.branchCode.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${code}-${REPORT_WORDS.en[naming.report]}-${naming.asOf}.${naming.format}`;
}

/** RFC 5987 attr-char: encodeURIComponent leaves ' ( ) * ! unescaped, which the grammar does not allow. */
export function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
