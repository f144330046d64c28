// Package-relative hrefs: xml:base joining, item parameters, and the file a launch href names.
// Strings are kept as the author wrote them (no percent-encoding added), so the stored href is
// readable and the content route can serve it as a URL path.

export type ResolvedHref =
  | { kind: 'package'; href: string }
  | { kind: 'external'; href: string }
  | { kind: 'outside'; href: string };

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:|^\/\//i;

/** `http://…`, `//host/…`, `mailto:…`: a reference that leaves the package. */
export function isExternalHref(href: string): boolean {
  return ABSOLUTE_URL.test(href.trim());
}

/**
 * Resolves `href` against the xml:base values that enclose it (outermost first: manifest,
 * resources, resource). A base is always taken as a folder, even without its trailing slash:
 * that is what authors mean, and reading `content` as a file name would drop it silently.
 */
export function resolvePackageHref(bases: ReadonlyArray<string | null>, href: string): ResolvedHref {
  const folders: string[] = [];
  let external: string | null = null;
  for (const base of bases) {
    const value = base?.trim() ?? '';
    if (value === '') continue;
    const folder = value.endsWith('/') ? value : `${value}/`;
    if (external !== null) {
      external = resolveUrl(folder, external);
      continue;
    }
    if (ABSOLUTE_URL.test(value)) {
      external = folder;
      continue;
    }
    if (isRooted(value) || !walk(folders, splitPath(value).path)) {
      return { kind: 'outside', href: joinForMessage(bases, href) };
    }
  }
  const target = href.trim();
  if (external !== null) return { kind: 'external', href: resolveUrl(target, external) };
  if (ABSOLUTE_URL.test(target)) return { kind: 'external', href: target };
  const { path, suffix } = splitPath(target);
  if (isRooted(path)) return { kind: 'outside', href: joinForMessage(bases, href) };
  const segments = [...folders];
  if (!walk(segments, path)) return { kind: 'outside', href: joinForMessage(bases, href) };
  // walk() drops a trailing empty segment; a folder href keeps its slash.
  const trailingSlash = /[/\\]$/.test(path) && segments.length > 0 ? '/' : '';
  return { kind: 'package', href: segments.join('/') + trailingSlash + suffix };
}

/**
 * Appends an item's `parameters` to a launch href, as the SCORM CAM describes: leading `?` and
 * `&` are dropped; a `#fragment` is used only when the href has none; the query goes before any
 * fragment of the href and joins an existing query with `&`.
 */
export function appendParameters(href: string, parameters: string | null): string {
  const cleaned = (parameters ?? '').trim().replace(/^[?&]+/, '');
  if (cleaned === '') return href;
  const hashAt = href.indexOf('#');
  const beforeFragment = hashAt < 0 ? href : href.slice(0, hashAt);
  const fragment = hashAt < 0 ? null : href.slice(hashAt);
  const parameterHashAt = cleaned.indexOf('#');
  const query = parameterHashAt < 0 ? cleaned : cleaned.slice(0, parameterHashAt);
  const parameterFragment = parameterHashAt < 0 ? null : cleaned.slice(parameterHashAt);
  let result = beforeFragment;
  if (query !== '') result += (beforeFragment.includes('?') ? '&' : '?') + query;
  return result + (fragment ?? parameterFragment ?? '');
}

/** The file a launch href names: query and fragment removed, percent-escapes decoded. */
export function filePathOfHref(href: string): string {
  const path = splitPath(href).path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // a literal '%' in a file name
  }
}

/** `/x` or `\\x` would name a file of the web server, not of the package. */
function isRooted(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\');
}

function resolveUrl(reference: string, base: string): string {
  try {
    return new URL(reference, base).href;
  } catch {
    return base + reference;
  }
}

function splitPath(reference: string): { path: string; suffix: string } {
  const end = reference.search(/[?#]/);
  return end < 0 ? { path: reference, suffix: '' } : { path: reference.slice(0, end), suffix: reference.slice(end) };
}

/** Applies a relative path to folder segments; false when it climbs above the package root (or tries to hide a slash). */
function walk(segments: string[], path: string): boolean {
  for (const segment of path.split(/[/\\]/)) {
    // Compare decoded: `%2e%2e` or `%2f` turn into `..` and `/` once the content route decodes the URL.
    const name = filePathOfHref(segment);
    if (/[/\\]/.test(name)) return false;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      if (segments.length === 0) return false;
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  return true;
}

function joinForMessage(bases: ReadonlyArray<string | null>, href: string): string {
  return [...bases.filter((base): base is string => Boolean(base?.trim())), href].join(' + ');
}
