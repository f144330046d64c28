// Parses untrusted XML with @xmldom/xmldom after refusing any DOCTYPE: a manifest never needs one,
// and refusing it up front rules out entity expansion and external entities (XXE). Nothing is fetched.
import { DOMParser } from '@xmldom/xmldom';
import type { Document } from '@xmldom/xmldom';
import { measureXmlShape, type XmlShapeLimits } from './xml-shape.js';

export type SafeXmlResult =
  | { ok: true; document: Document }
  | { ok: false; reason: 'doctype' | 'invalid' | 'too-deep' | 'too-many-elements'; message: string };

/**
 * Far beyond any real manifest (a large course nests items a dozen deep and holds a few thousand
 * elements), and small enough that the DOM and the recursive readers after it stay cheap and safe.
 */
export const XML_LIMITS: XmlShapeLimits = { maxDepth: 100, maxElements: 50_000 };

export function parseSafeXml(source: string, limits: XmlShapeLimits = XML_LIMITS): SafeXmlResult {
  const text = source.replace(/^\uFEFF/, '');
  if (hasDoctype(text)) {
    return { ok: false, reason: 'doctype', message: 'the XML declares a DOCTYPE, which is not allowed in a manifest' };
  }
  const shape = measureXmlShape(text, limits);
  if (!shape.ok) {
    const message = shape.reason === 'too-deep'
      ? `elements are nested more than ${shape.limit} levels deep`
      : `the XML holds more than ${shape.limit} elements`;
    return { ok: false, reason: shape.reason, message };
  }
  let firstError: string | null = null;
  const parser = new DOMParser({
    onError: (level, message, context: { locator?: { lineNumber?: number; columnNumber?: number } } | undefined) => {
      if (level === 'warning') return;
      const at = context?.locator?.lineNumber ? ` (line ${context.locator.lineNumber}, column ${context.locator.columnNumber ?? '?'})` : '';
      firstError ??= message.trim() + at;
      // Stop at the first error: a half-read manifest would give wrong SCOs, not a clear refusal.
      throw new Error(message);
    },
  });
  try {
    const document = parser.parseFromString(text, 'text/xml');
    // Belt and braces: a DOCTYPE the prolog scan missed is still refused.
    if (document.doctype) {
      return { ok: false, reason: 'doctype', message: 'the XML declares a DOCTYPE, which is not allowed in a manifest' };
    }
    return { ok: true, document };
  } catch (error) {
    const message = firstError ?? (error instanceof Error ? error.message : String(error));
    return { ok: false, reason: 'invalid', message: message.trim() };
  }
}

/**
 * True when the prolog (before the root element) holds `<!DOCTYPE`. Comments and processing
 * instructions are skipped so the words inside them do not count. A DOCTYPE after the root
 * element is a parse error anyway.
 */
function hasDoctype(text: string): boolean {
  let position = 0;
  for (;;) {
    while (position < text.length && /\s/.test(text[position] ?? '')) position++;
    if (text.startsWith('<?', position)) {
      const end = text.indexOf('?>', position + 2);
      if (end < 0) return false;
      position = end + 2;
    } else if (text.startsWith('<!--', position)) {
      const end = text.indexOf('-->', position + 4);
      if (end < 0) return false;
      position = end + 3;
    } else {
      return text.slice(position, position + 9).toUpperCase() === '<!DOCTYPE';
    }
  }
}
