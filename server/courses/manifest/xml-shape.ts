// Measures an XML text's element count and nesting depth in one linear pass, before any DOM is
// built: a DOM parser and the recursive readers after it must never see a manifest nested 100,000
// deep (stack overflow) or holding millions of elements (seconds of work).

export interface XmlShapeLimits { maxDepth: number; maxElements: number }

export type XmlShape = { ok: true; elements: number; depth: number } | { ok: false; reason: 'too-deep' | 'too-many-elements'; limit: number };

/**
 * Counts start tags and tracks depth; comments, CDATA, processing instructions and declarations are
 * skipped and quoted attribute values may hold '>'. Malformed text is left to the parser to refuse:
 * this only has to be right for what a parser would accept.
 */
export function measureXmlShape(text: string, limits: XmlShapeLimits): XmlShape {
  let elements = 0;
  let depth = 0;
  let deepest = 0;
  let position = text.indexOf('<');
  while (position >= 0 && position < text.length) {
    const next = text[position + 1];
    let end: number;
    if (text.startsWith('<!--', position)) end = after(text, '-->', position + 4);
    else if (text.startsWith('<![CDATA[', position)) end = after(text, ']]>', position + 9);
    else if (next === '?') end = after(text, '?>', position + 2);
    else if (next === '!') end = after(text, '>', position + 2);
    else if (next === '/') {
      end = after(text, '>', position + 2);
      depth = Math.max(0, depth - 1);
    } else {
      end = tagEnd(text, position + 1);
      elements += 1;
      if (elements > limits.maxElements) return { ok: false, reason: 'too-many-elements', limit: limits.maxElements };
      if (text[end - 2] !== '/') {
        depth += 1;
        deepest = Math.max(deepest, depth);
        if (depth > limits.maxDepth) return { ok: false, reason: 'too-deep', limit: limits.maxDepth };
      }
    }
    position = text.indexOf('<', end);
  }
  return { ok: true, elements, depth: deepest };
}

/** Index just past `marker` (searching from `from`), or the end of the text. */
function after(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  return at < 0 ? text.length : at + marker.length;
}

/** Index just past the '>' that closes a start tag, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return text.length;
}
