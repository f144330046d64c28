// Small helpers to build the nested JSON that scorm-again's loadFromJSON walks.

export type JsonTree = { [key: string]: string | JsonTree | JsonTree[] };

/** Sets target.a.b.c = value for dottedPath "a.b.c"; undefined values are not set. */
export function setPath(target: JsonTree, dottedPath: string, value: string | undefined): void {
  if (value === undefined) return;
  const [head, ...rest] = dottedPath.split('.');
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = typeof target[head] === 'object' && !Array.isArray(target[head]) ? (target[head] as JsonTree) : {};
  target[head] = child;
  setPath(child, rest.join('.'), value);
}

type Loose = { [key: string]: string | undefined | Loose | JsonTree[] };

/** Drops undefined and "" values and empty objects / arrays (loadFromJSON would skip "" anyway). */
export function compact(tree: Loose): JsonTree {
  const result: JsonTree = {};
  for (const [key, value] of Object.entries(tree)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) result[key] = value;
    } else if (typeof value === 'object') {
      const child = compact(value);
      if (Object.keys(child).length > 0) result[key] = child;
    } else {
      result[key] = value;
    }
  }
  return result;
}
