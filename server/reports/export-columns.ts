/**
 * The export contract (issue 7): column names and order are what integrations rely on. CSV and
 * XLSX header rows and JSON keys are exactly these names; the localized labels only describe them
 * (XLSX summary sheet, screens).
 */
import type { CertificationStatus } from '../certification/status-rules.js';
import { statusLabels } from '../i18n/i18n.js';
import type { Locale } from '../config.js';

export type ReportKind = 'certifications' | 'branches';

/**
 * How a value is typed where the format has types (XLSX):
 * text    always a string cell, even when it looks like a number ('000123' stays '000123');
 * number  a number cell when given a number;
 * date    'YYYY-MM-DD' becomes a date cell, any other string stays text;
 * ratio   a fraction 0–1 shown as a percentage (CSV and JSON carry the plain fraction).
 */
export type ColumnKind = 'text' | 'number' | 'date' | 'ratio';

export interface ColumnSpec {
  key: string;
  kind: ColumnKind;
  /** XLSX width in characters. */
  width: number;
  labels: Record<Locale, string>;
}

export const CERTIFICATION_COLUMNS = [
  'branch_code',
  'branch_name',
  'employee_no',
  'employee_name',
  'position',
  'course_code',
  'course_title',
  'status',
  'score',
  'completed_at',
  'expires_at',
  'due_at',
  'certificate_serial',
  'attempts',
  'tries',
  'learning_seconds_measured',
  'learning_seconds_scorm',
] as const;

export const BRANCH_COLUMNS = [
  'branch_code',
  'branch_name',
  'parent_code',
  'headcount',
  'assigned',
  'certified',
  'expiring',
  'expired',
  'overdue',
  'in_progress',
  'not_started',
  'compliance_rate',
] as const;

export type CertificationColumn = (typeof CERTIFICATION_COLUMNS)[number];
export type BranchColumn = (typeof BRANCH_COLUMNS)[number];

export type ReportCell = string | number | null;
export type CertificationExportRow = Record<CertificationColumn, ReportCell>;
export type BranchExportRow = Record<BranchColumn, ReportCell>;
/** What the writers accept; a missing key is written as empty / null. */
export type ReportRow = Readonly<Record<string, ReportCell | undefined>>;

/** Cells given in column order must be exactly one per column. */
export function assertWidth(cells: ArrayLike<unknown>, columns: ArrayLike<unknown>): void {
  if (cells.length !== columns.length) throw new RangeError(`Expected ${columns.length} cells, got ${cells.length}`);
}

type SpecFields = Omit<ColumnSpec, 'key'>;

const text = (width: number, zh: string, en: string): SpecFields => ({ kind: 'text', width, labels: { 'zh-CN': zh, en } });
const count = (zh: string, en: string): SpecFields => ({ kind: 'number', width: 12, labels: { 'zh-CN': zh, en } });

const SPECS: Record<CertificationColumn | BranchColumn, SpecFields> = {
  branch_code: text(14, '机构代码', 'Branch code'),
  branch_name: text(28, '机构名称', 'Branch name'),
  parent_code: text(14, '上级机构代码', 'Parent branch code'),
  employee_no: text(14, '员工编号', 'Employee no.'),
  employee_name: text(16, '员工姓名', 'Employee name'),
  position: text(16, '岗位', 'Position'),
  course_code: text(14, '课程代码', 'Course code'),
  course_title: text(32, '课程名称', 'Course title'),
  status: text(13, '认证状态', 'Status'),
  score: { kind: 'number', width: 8, labels: { 'zh-CN': '成绩', en: 'Score' } },
  completed_at: { kind: 'date', width: 20, labels: { 'zh-CN': '完成日期', en: 'Completed' } },
  expires_at: { kind: 'date', width: 12, labels: { 'zh-CN': '到期日期', en: 'Expires' } },
  due_at: { kind: 'date', width: 12, labels: { 'zh-CN': '截止日期', en: 'Due' } },
  certificate_serial: text(18, '证书编号', 'Certificate serial'),
  attempts: count('学习次数', 'Attempts'),
  tries: count('作答次数', 'Tries'),
  learning_seconds_measured: count('实测学习时长（秒）', 'Measured learning time (s)'),
  learning_seconds_scorm: count('课件上报时长（秒）', 'Course-reported time (s)'),
  headcount: count('在职人数', 'Headcount'),
  assigned: count('应训人次', 'Assigned'),
  certified: count('已认证', 'Certified'),
  expiring: count('即将到期', 'Expiring'),
  expired: count('已过期', 'Expired'),
  overdue: count('已逾期', 'Overdue'),
  in_progress: count('学习中', 'In progress'),
  not_started: count('未开始', 'Not started'),
  compliance_rate: { kind: 'ratio', width: 12, labels: { 'zh-CN': '合规率', en: 'Compliance rate' } },
};

export const REPORT_COLUMNS: Record<ReportKind, readonly string[]> = {
  certifications: CERTIFICATION_COLUMNS,
  branches: BRANCH_COLUMNS,
};

export function columnSpecs(kind: ReportKind): ColumnSpec[] {
  return REPORT_COLUMNS[kind].map((key) => ({ key, ...SPECS[key as CertificationColumn | BranchColumn] }));
}

/** Labels for the status values the certification report carries (DESIGN §5): the locale files' `status.*`. */
export const STATUS_LABELS: Record<Locale, Record<CertificationStatus, string>> = statusLabels();
