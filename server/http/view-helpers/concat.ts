// Usage: {{t (concat "roles." role)}} — joins strings to build a translation key.
export function concat(...args: unknown[]): string {
  return args.slice(0, -1).map(String).join('');
}
