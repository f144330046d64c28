// Usage: {{date hiredAt}}, {{date issuedAt "datetime"}} or {{date recordedAt "seconds"}} — shows a UTC timestamp in the app's time zone.
import type { HelperOptions } from 'handlebars';

export function date(value: unknown, ...rest: unknown[]): string {
  const options = rest.pop() as HelperOptions;
  const style = rest[0] === 'datetime' || rest[0] === 'seconds' ? rest[0] : 'date';
  if (typeof value !== 'string' || !value) return '';
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return value;
  const root = options.data.root as { timeZone?: string; locale?: string };
  return new Intl.DateTimeFormat(root.locale ?? 'zh-CN', {
    timeZone: root.timeZone ?? 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    ...(style !== 'date' ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
    ...(style === 'seconds' ? { second: '2-digit' } : {}),
  }).format(parsed);
}
