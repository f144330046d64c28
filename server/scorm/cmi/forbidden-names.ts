/** Names that would reach Object.prototype if ever used as a property key: refused everywhere. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
