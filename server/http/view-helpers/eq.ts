// Usage: {{#if (eq status "published")}}…{{/if}} — strict equality for templates.
export function eq(a: unknown, b: unknown): boolean {
  return a === b;
}
