/**
 * Stands in for a repository that has no PostgreSQL implementation yet: every method call fails
 * with an error naming it (a 500 on the route that needs it), so the ported areas can run and be
 * tested on PostgreSQL while the rest is written. The list is logged at startup (pg-repositories.ts).
 */
export function notPorted<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      if (typeof property === 'symbol' || property === 'then') return undefined;
      return () => { throw new Error(`PostgreSQL: ${name}.${property} has no PostgreSQL implementation yet`); };
    },
  });
}
