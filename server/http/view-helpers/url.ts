// Usage: <a href="{{url "/admin/users/" id}}"> or {{url "/admin/users" q=q after=next}} — prefixes the
// mount path so links stay under it; hash arguments become an encoded query string (empty ones dropped).
import type { HelperOptions } from 'handlebars';

export function url(...args: unknown[]): string {
  const options = args.pop() as HelperOptions;
  const root = options.data.root as { baseUrl: string };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options.hash as Record<string, unknown>)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const search = query.toString();
  return root.baseUrl + args.map(String).join('') + (search ? `?${search}` : '');
}
