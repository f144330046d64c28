// Small DOM helpers: find child elements and attributes by namespace URI + local name.
import type { Element, Node } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;

/** A namespace URI, a list of acceptable URIs, or null for "no namespace". */
export type NamespaceMatch = string | null | readonly (string | null)[];

function isInNamespace(node: Node, namespace: NamespaceMatch): boolean {
  const uri = node.namespaceURI ?? null;
  return Array.isArray(namespace) ? namespace.includes(uri) : uri === namespace;
}

function isElement(node: Node): node is Element {
  return node.nodeType === ELEMENT_NODE;
}

/** Direct child elements with this namespace and local name, in document order. */
export function childElements(parent: Element, namespace: NamespaceMatch, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && node.localName === localName && isInNamespace(node, namespace)) found.push(node);
  }
  return found;
}

export function childElement(parent: Element, namespace: NamespaceMatch, localName: string): Element | null {
  return childElements(parent, namespace, localName)[0] ?? null;
}

/**
 * Like childElement, but the local name is compared case-insensitively: adlcp element names
 * changed case between SCORM 1.2 (`datafromlms`) and 2004 (`dataFromLMS`) and tools mix them.
 */
export function childElementAnyCase(parent: Element, namespace: NamespaceMatch, localName: string): Element | null {
  const wanted = localName.toLowerCase();
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && node.localName?.toLowerCase() === wanted && isInNamespace(node, namespace)) return node;
  }
  return null;
}

/** Trimmed text content, or null when the element is absent or empty. */
export function textOf(element: Element | null): string | null {
  const text = element?.textContent?.trim() ?? '';
  return text === '' ? null : text;
}

/** Text with runs of whitespace collapsed: for titles, which tools indent across lines. */
export function displayTextOf(element: Element | null): string | null {
  const text = textOf(element);
  return text === null ? null : text.replace(/\s+/g, ' ');
}

/** An unqualified attribute (the manifest's own attributes carry no namespace). */
export function attributeOf(element: Element, name: string): string | null {
  return element.getAttributeNS(null, name) ?? element.getAttribute(name);
}

/** A namespaced attribute; the local name may be compared case-insensitively (adlcp:scormtype/scormType). */
export function namespacedAttributeOf(
  element: Element,
  namespace: NamespaceMatch,
  localName: string,
  options: { anyCase?: boolean } = {},
): string | null {
  const wanted = options.anyCase ? localName.toLowerCase() : localName;
  for (const attribute of Array.from(element.attributes)) {
    const name = options.anyCase ? attribute.localName?.toLowerCase() : attribute.localName;
    if (name === wanted && isInNamespace(attribute, namespace)) return attribute.value;
  }
  return null;
}

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Every namespace URI declared or used by an element or attribute in the tree (iterative: depth costs no stack). */
export function namespacesMentioned(root: Element): Set<string> {
  const uris = new Set<string>();
  const pending: Element[] = [root];
  for (let element = pending.pop(); element; element = pending.pop()) {
    if (element.namespaceURI) uris.add(element.namespaceURI);
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.namespaceURI === XMLNS_NS) uris.add(attribute.value.trim());
      else if (attribute.namespaceURI) uris.add(attribute.namespaceURI);
    }
    for (let node = element.firstChild; node; node = node.nextSibling) {
      if (isElement(node)) pending.push(node);
    }
  }
  return uris;
}
