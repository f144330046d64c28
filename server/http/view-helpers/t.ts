// Usage: {{t "login.title"}} or {{t "admin.users.count" count=total}} — translates with the request's locale.
import type { HelperOptions } from 'handlebars';

export function t(key: string, options: HelperOptions): string {
  const root = options.data.root as { t: (key: string, vars?: object) => string };
  return root.t(key, options.hash as object);
}
