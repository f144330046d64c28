// Usage: {{date hiredAt}} or {{date issuedAt "datetime"}} — shows a UTC timestamp in the app's time zone.
import type { HelperOptions } from 'handlebars';

export function date(value: unknown, ...rest: unknown[]): string {
  const options = rest.pop() as HelperOptions;
  const style = rest[0] === 'datetime' ? 'datetime' : 'date';
  if (typeof value !== 'string' || !value) return '';
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return value;
  const root = options.data.root as { timeZone?: string; locale?: string };
  return new Intl.DateTimeFormat(root.locale ?? 'zh-CN', {
    timeZone: root.timeZone ?? 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    ...(style === 'datetime' ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
  }).format(parsed);
}
