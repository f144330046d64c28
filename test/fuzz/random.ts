// A seeded random source (mulberry32) and the hostile values every fuzzer draws from. The same seed
// gives the same cases, so a failure reported with its seed is replayed with `--seed`.

export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Sizes skewed small: most cases are short, some reach `max`. */
  size(max: number): number {
    return Math.floor(max ** this.next()) - 1;
  }

  /** A fresh child source, so one generator's draws do not shift another's. */
  fork(): Random {
    return new Random(this.int(0, 2 ** 32 - 1));
  }
}

const UNICODE = ['中文', '𠮷', '\u202e', '\u0000', '\u2028', '\ufeff', 'é', '\ud800', '\udfff', '👩‍👩‍👧'];
const NASTY = [
  '', ' ', '0', '-1', '1e309', 'NaN', 'null', 'undefined', 'true', '[]', '{}', '__proto__', 'constructor', 'prototype',
  '../../etc/passwd', '..\\..\\windows', '/etc/passwd', 'C:\\x', '%00', '%2e%2e%2f', '<script>alert(1)</script>', "' OR 1=1 --",
  '=cmd|" /C calc"!A0', '{lang=en}', '[,]', '[.]', '[:]', '{case_matters=true}', 'P1Y2M3DT4H5M6.7S', 'PT', '2026-02-30T25:61:61Z',
  '0000:00:00', '9999:99:99.99', '-0', '1.0000000000000000001', '99999999999', '2147483648', String(2 ** 53 - 1),
];

/** A string meant to hurt: runs of spaces or digits, separators, unicode edge cases, long runs. */
export function nastyString(random: Random, maxLength = 5000): string {
  const kind = random.int(0, 9);
  const length = random.size(maxLength);
  switch (kind) {
    case 0: return random.pick(NASTY);
    case 1: return `a${' '.repeat(length)}b`;
    case 2: return '1'.repeat(length) + random.pick(['', 'x', '.', ' ']);
    case 3: return Array.from({ length: Math.min(length, 2000) }, () => random.pick([' ', ',', '.', '{', '}', '[,]', '[.]', 'a', '\t'])).join('');
    case 4: return Array.from({ length: Math.min(length, 500) }, () => random.pick(UNICODE)).join('');
    case 5: return '{lang=en}'.repeat(Math.min(length, 2000));
    case 6: return String.fromCharCode(...Array.from({ length: Math.min(length, 3000) }, () => random.int(0, 0xffff)));
    case 7: return 'x'.repeat(length);
    case 8: return `${random.pick(NASTY)}${' '.repeat(random.size(1000))}${random.pick(NASTY)}`;
    default: return random.pick(['a', 'b', 'q1', 'choice', 'true', '0.5', '1', '-5', 'correct', 'incomplete']);
  }
}
