/**
 * SQL written with SQLite's `@name` parameters (fragments shared with a SQLite repository) as
 * PostgreSQL's `$n`, each name numbered once. Only for SQL the repositories write: no `@` in literals.
 */
export function named(sql: string, values: Record<string, unknown>): { text: string; values: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/@(\w+)/g, (_match, name: string) => {
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, values: order.map((name) => values[name]) };
}
