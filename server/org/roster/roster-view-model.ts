/** A run's report as the roster page shows it, in the request's language. Pure. */
import { CHANGE_ACTIONS, type ChangeAction, type RosterReport } from './roster-report.js';

type Translate = (key: string, vars?: object) => string;

const ACTIONS_BY_KIND: Record<'branches' | 'employees', readonly ChangeAction[]> = {
  branches: ['create', 'update', 'move'],
  employees: ['create', 'update', 'transfer', 'leave'],
};

export function reportViewModel(report: RosterReport, t: Translate) {
  const actions = report.kind ? ACTIONS_BY_KIND[report.kind] : CHANGE_ACTIONS;
  return {
    kind: report.kind,
    kindLabel: report.kind ? t(`roster.kinds.${report.kind}`) : '',
    fileName: report.fileName,
    fileFormat: report.fileType === 'xlsx' ? 'XLSX' : `CSV ${report.encoding === 'gb18030' ? 'GBK' : 'UTF-8'}`,
    effectiveDate: report.effectiveDate,
    validOnly: report.validOnly,
    rowCount: report.rowCount,
    validRowCount: report.validRowCount,
    invalidRowCount: report.invalidRowCount,
    counts: [...actions, 'unchanged' as const].map((action) => ({ action, label: t(`roster.actions.${action}`), count: report.counts[action] })),
    changes: report.changes.map((change) => ({
      row: change.row, key: change.key, name: change.name,
      actions: change.actions.map((action) => ({ action, label: t(`roster.actions.${action}`) })),
      fields: change.fields.map((f) => ({ field: f.field, label: t(`ux.roster.fields.${f.field}`), from: shownValue(f.field, f.from, t), to: shownValue(f.field, f.to, t) })),
    })),
    changeCount: report.changeCount,
    hiddenChanges: report.changeCount - report.changes.length,
    errors: report.errors.map((e) => ({
      row: e.row, column: e.column, columnLabel: e.column ? t(`ux.roster.fields.${e.column}`) : '',
      message: t(`roster.errors.${e.code}`, { ...e.params, defaultValue: t(`ux.roster.errors.${e.code}`, { ...e.params, defaultValue: e.message }) }),
    })),
    errorCount: report.errorCount,
    hiddenErrors: report.errorCount - report.errors.length,
    isFileRejected: report.isFileRejected,
    applied: report.applied,
    canApply: !report.isFileRejected && report.changeCount > 0,
  };
}

/** A value as people read it: statuses in words, an empty value as a dash. */
function shownValue(field: string, value: string | null, t: Translate): string {
  if (value === null || value === '') return '—';
  if (field === 'status') return t(`ux.roster.status.${value}`);
  return value;
}
