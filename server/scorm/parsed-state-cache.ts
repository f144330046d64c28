/** SCO states kept parsed; a learner's SCO is committed every few seconds by one launch at a time. */
const LIMIT = 5_000;

type CmiState = Readonly<Record<string, string>>;

/**
 * The CMI state each SCO attempt last committed, already parsed: the next commit of that SCO
 * would otherwise read and parse the same 5+ KB of JSON it wrote a moment ago. An entry is keyed
 * by the row's version (commit_seq and updated_at, read inside the commit's transaction), so a
 * row changed by anything else — another process, a rolled-back write — is simply a miss.
 */
export class ParsedStateCache {
  private readonly entries = new Map<string, { version: string; state: CmiState }>();

  get(attemptId: number, scoId: number, version: string): CmiState | undefined {
    const entry = this.entries.get(`${attemptId}:${scoId}`);
    return entry?.version === version ? entry.state : undefined;
  }

  /** Call only once the write is durable: a cached state must be one the database holds. */
  set(attemptId: number, scoId: number, version: string, state: CmiState): void {
    if (this.entries.size >= LIMIT) this.entries.clear();
    this.entries.set(`${attemptId}:${scoId}`, { version, state: Object.freeze(state) });
  }
}

export const stateVersion = (commitSeq: number, updatedAt: string): string => `${commitSeq}@${updatedAt}`;
