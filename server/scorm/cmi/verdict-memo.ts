// Remembers element verdicts. scorm-again sends the whole data model on every commit, so almost every
// (element, value) pair a learner commits was judged in their previous commit.

import type { CmiVersion } from './error-codes.js';
import type { ElementLookup } from './value-checks.js';
import type { ElementVerdict } from './validate-element.js';

interface Entry {
  verdict: ElementVerdict;
  /** The other elements the judgement read, with the values it saw. */
  reads: Array<[element: string, value: string | undefined]>;
}

/** Long values (suspend data) change on every commit anyway and would only fill memory. */
const MAX_VALUE_LENGTH = 256;
const MAX_ENTRIES = 20_000;

/**
 * A verdict depends on the version, the element, its value and the other elements it read through
 * `lookup` (an interaction's type, its id), nothing else: the rules are pure. So a remembered verdict
 * is reused only when those reads still give the same values; otherwise the element is judged again.
 */
export class VerdictMemo {
  private readonly byVersion: Record<CmiVersion, Map<string, Map<string, Entry>>> = { '1.2': new Map(), '2004': new Map() };
  private size = 0;

  judge(version: CmiVersion, element: string, value: string, lookup: ElementLookup, decide: (lookup: ElementLookup) => ElementVerdict): ElementVerdict {
    if (value.length > MAX_VALUE_LENGTH) return decide(lookup);
    const byValue = this.byVersion[version].get(element);
    const known = byValue?.get(value);
    if (known && known.reads.every(([name, seen]) => lookup(name) === seen)) return known.verdict;

    const reads: Entry['reads'] = [];
    const verdict = decide((name) => {
      const seen = lookup(name);
      reads.push([name, seen]);
      return seen;
    });
    this.remember(version, element, value, { verdict, reads });
    return verdict;
  }

  private remember(version: CmiVersion, element: string, value: string, entry: Entry): void {
    if (this.size >= MAX_ENTRIES) {
      this.byVersion['1.2'].clear();
      this.byVersion['2004'].clear();
      this.size = 0;
    }
    let byValue = this.byVersion[version].get(element);
    if (!byValue) {
      byValue = new Map();
      this.byVersion[version].set(element, byValue);
    }
    if (!byValue.has(value)) this.size += 1;
    byValue.set(value, entry);
  }
}
