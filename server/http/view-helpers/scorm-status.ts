// Usage: {{scormStatus "completion" completionStatus}} or {{scormStatus "success" successStatus}} — an
// attempt's SCORM status word ('completed', 'failed', 'not attempted') in the reader's language.
import type { HelperOptions } from 'handlebars';

export function scormStatus(kind: unknown, value: unknown, options: HelperOptions): string {
  const root = options.data.root as { t: (key: string, vars?: object) => string };
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  return root.t(`ux.scorm.${kind === 'success' ? 'success' : 'completion'}.${text}`, { defaultValue: text });
}
