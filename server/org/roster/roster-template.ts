/**
 * The roster templates HR downloads: a header row the importer recognises, as UTF-8 CSV with a
 * byte-order mark so Excel opens the Chinese headings correctly. Pure.
 */
import { BRANCH_FIELDS, EMPLOYEE_FIELDS, type RosterField, type RosterKind } from './roster-columns.js';

export type TemplateHeadings = 'zh' | 'en';

/** The first Chinese heading the importer accepts for each column (see ALIASES in roster-columns). */
const CHINESE: Record<RosterField, string> = {
  employee_no: '工号', name: '姓名', email: '邮箱', branch_code: '机构代码', position: '岗位', hired_at: '入职日期', status: '状态',
  branch_name: '机构名称', parent_code: '上级机构代码',
};

export function rosterTemplate(kind: RosterKind, headings: TemplateHeadings): { fileName: string; body: string } {
  const fields: readonly RosterField[] = kind === 'employees' ? EMPLOYEE_FIELDS : BRANCH_FIELDS;
  const names = fields.map((f) => (headings === 'zh' ? CHINESE[f] : f));
  const base = kind === 'employees' ? (headings === 'zh' ? '员工表模板' : 'employees-template') : (headings === 'zh' ? '机构表模板' : 'branches-template');
  return { fileName: `${base}.csv`, body: `\uFEFF${names.join(',')}\r\n` };
}
