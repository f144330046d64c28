/**
 * Materialised paths look like '/1/7/42/'. A subtree is every path in [prefix, upper) where upper
 * swaps the final '/' for '0' (the next character): '/1/2/' matches '/1/2/9/' but never '/1/23/'.
 */
export function subtreeRange(prefix: string): { from: string; to: string } {
  return { from: prefix, to: `${prefix.slice(0, -1)}0` };
}

export function isWithin(path: string, scopePath: string): boolean {
  return path.startsWith(scopePath);
}
