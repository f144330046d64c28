// Course codes people can read and type: what an upload proposes when the trainer gives none.
// Authoring tools often write a random manifest identifier (e.g. "GH-bJJ0vJoTU6KyhSA2mL99ulHR1REMQ");
// that makes a poor code, so the title is used instead, and a numbered code when neither reads well.

export const COURSE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
export const COURSE_CODE_MAX = 32;
/** A proposed code stays short enough to say aloud and to fit a report column. */
const PROPOSED_MAX = 20;

/** The manifest identifier as a code, or '' when nothing usable is left: letters, digits, - and _. */
export function cleanIdentifier(identifier: string): string {
  return identifier.slice(0, 200).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, COURSE_CODE_MAX).replace(/[-_]+$/, '');
}

/**
 * Whether a code looks machine-made: a long run mixing upper case, lower case and digits
 * (a random token), or a long hexadecimal run (a UUID or a hash).
 */
export function looksRandom(code: string): boolean {
  return code.split(/[-_.]+/).some((part) => {
    if (part.length >= 10 && /[a-z]/.test(part) && /[A-Z]/.test(part) && /\d/.test(part)) return true;
    return part.length >= 8 && /^[0-9a-f]+$/i.test(part) && /\d/.test(part) && /[a-f]/i.test(part);
  });
}

/** Latin words of a title as a code ("bacon II" → "BACON-II"); '' when the title has none (a Chinese title). */
export function codeFromTitle(title: string): string {
  const words = title.slice(0, 200).normalize('NFKC').match(/[A-Za-z0-9]+/g) ?? [];
  let code = '';
  for (const word of words) {
    const next = code ? `${code}-${word.toUpperCase()}` : word.toUpperCase();
    if (next.length > PROPOSED_MAX) break;
    code = next;
  }
  return code;
}

/**
 * A readable, unused code for a new course: the manifest identifier when it reads well and is
 * short, else the title's Latin words, else COURSE-001, COURSE-002 …; a taken code gets -2, -3 ….
 */
export function proposeCourseCode(input: { identifier: string; title: string; taken: Iterable<string> }): string {
  const taken = new Set([...input.taken].map((code) => code.toLowerCase()));
  const isTaken = (code: string) => taken.has(code.toLowerCase());
  const fromIdentifier = cleanIdentifier(input.identifier);
  const base = fromIdentifier && fromIdentifier.length <= PROPOSED_MAX && !looksRandom(fromIdentifier)
    ? fromIdentifier
    : codeFromTitle(input.title);
  if (base) {
    if (!isTaken(base)) return base;
    for (let n = 2; n < 1000; n += 1) {
      const candidate = `${base}-${n}`;
      if (!isTaken(candidate)) return candidate;
    }
  }
  for (let n = 1; ; n += 1) {
    const candidate = `COURSE-${String(n).padStart(3, '0')}`;
    if (!isTaken(candidate)) return candidate;
  }
}
