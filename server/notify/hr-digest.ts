/**
 * What an hr user's daily digest says about their branch subtree: how many assigned courses are in
 * each status, and who is overdue or expiring (the most urgent few, with the total). Pure.
 *
 * The reminder job walks every learner once; each counted enrollment is added to the digest of
 * every hr scope containing the learner's branch — found by looking up the branch's ancestor
 * paths, so the cost per enrollment is the tree depth, not the number of hr users.
 */
import { CERTIFICATION_STATUSES, type CertificationStatus } from '../certification/status-rules.js';

export interface DigestEntry {
  employeeNo: string | null; name: string; branchName: string | null; courseTitle: string;
  /** Local date: the missed due date, or the certificate's expiry date. */
  deadline: string;
}

export interface DigestList { total: number; shown: DigestEntry[] }

export interface ScopeDigest {
  counts: Record<CertificationStatus, number>;
  overdue: DigestList;
  expiring: DigestList;
}

export const DIGEST_LIST_CAP = 20;

export function emptyScopeDigest(): ScopeDigest {
  return {
    counts: Object.fromEntries(CERTIFICATION_STATUSES.map((s) => [s, 0])) as Record<CertificationStatus, number>,
    overdue: { total: 0, shown: [] },
    expiring: { total: 0, shown: [] },
  };
}

/** Counts one assigned course; overdue and expiring ones are listed too (deadline given). */
export function addToDigest(digest: ScopeDigest, status: CertificationStatus, entry: DigestEntry | null, cap = DIGEST_LIST_CAP): void {
  digest.counts[status]++;
  if (entry === null) return;
  if (status === 'overdue') keepMostUrgent(digest.overdue, entry, cap);
  else if (status === 'expiring') keepMostUrgent(digest.expiring, entry, cap);
}

/** Something worth an e-mail: someone is overdue or about to lapse. */
export function needsAttention(digest: ScopeDigest): boolean {
  return digest.overdue.total > 0 || digest.expiring.total > 0;
}

/** '/1/7/42/' → ['/1/', '/1/7/', '/1/7/42/']: the scopes that may contain a branch. */
export function ancestorPaths(path: string): string[] {
  const paths: string[] = [];
  for (let i = path.indexOf('/', 1); i !== -1; i = path.indexOf('/', i + 1)) paths.push(path.slice(0, i + 1));
  return paths;
}

/**
 * Digests keyed by scope path (null = the whole bank). Scopes are registered first; `add` then
 * feeds every registered scope containing the branch.
 */
export class ScopeDigests {
  private readonly byPath = new Map<string, ScopeDigest>();
  private wholeBank: ScopeDigest | null = null;

  register(scopePath: string | null): void {
    if (scopePath === null) this.wholeBank ??= emptyScopeDigest();
    else if (!this.byPath.has(scopePath)) this.byPath.set(scopePath, emptyScopeDigest());
  }

  get size(): number {
    return this.byPath.size + (this.wholeBank ? 1 : 0);
  }

  add(branchPath: string | null, status: CertificationStatus, entry: DigestEntry | null): void {
    if (this.wholeBank) addToDigest(this.wholeBank, status, entry);
    if (branchPath === null || this.byPath.size === 0) return;
    for (const path of ancestorPaths(branchPath)) {
      const digest = this.byPath.get(path);
      if (digest) addToDigest(digest, status, entry);
    }
  }

  get(scopePath: string | null): ScopeDigest {
    const digest = scopePath === null ? this.wholeBank : this.byPath.get(scopePath);
    if (!digest) throw new Error(`scope ${scopePath ?? '(whole bank)'} was not registered`);
    return digest;
  }
}

/** Keeps the `cap` entries with the earliest deadline (most overdue / soonest to lapse), in order. */
function keepMostUrgent(list: DigestList, entry: DigestEntry, cap: number): void {
  list.total++;
  const { shown } = list;
  if (shown.length >= cap && compare(entry, shown[shown.length - 1]) >= 0) return;
  let i = shown.length;
  while (i > 0 && compare(entry, shown[i - 1]) < 0) i--;
  shown.splice(i, 0, entry);
  if (shown.length > cap) shown.pop();
}

function compare(a: DigestEntry, b: DigestEntry): number {
  if (a.deadline !== b.deadline) return a.deadline < b.deadline ? -1 : 1;
  return (a.employeeNo ?? '').localeCompare(b.employeeNo ?? '');
}
