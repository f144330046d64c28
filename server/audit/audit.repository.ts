import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import { AUDIT_GENESIS as GENESIS, AuditChainWalk, hashAuditRow, type AuditAnchor, type AuditChainRow, type AuditVerification } from './audit-chain.js';

export { hashAuditRow, type AuditAnchor, type AuditVerification };

export interface AuditEventInput {
  actorId: number | null;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  id: number; at: string; actorId: number | null; action: string; subject: string;
  details: Record<string, unknown>; prevHash: string; hash: string;
}

type AuditRow = AuditChainRow;

/** Filters of the audit log page; ids bound a date range (see firstIdAtOrAfter). */
export interface AuditSearch {
  userId?: number | null; action?: string | null; fromId?: number; toId?: number; before?: number; limit: number;
}

type Statement = ReturnType<Db['prepare']>;

/**
 * Append-only audit log. `appendInTransaction` is synchronous so other repositories can call it
 * inside their own db.transaction(): the change and its audit row commit together or not at all.
 */
export class AuditRepository {
  private readonly last;
  private readonly insert;
  private readonly recent;
  private readonly atOf;
  private readonly pages = new Map<string, Statement>();

  constructor(private readonly deps: { db: Db; now: () => Date }) {
    const { db } = deps;
    this.last = db.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1');
    this.insert = db.prepare(`INSERT INTO audit_events (id, at, actor_id, action, subject, details_json, prev_hash, hash)
      VALUES (@id, @at, @actor_id, @action, @subject, @details_json, @prev_hash, @hash)`);
    this.recent = db.prepare(`SELECT * FROM audit_events WHERE (@before IS NULL OR id < @before)
      AND (@subject IS NULL OR subject = @subject) ORDER BY id DESC LIMIT @limit`);
    this.atOf = db.prepare('SELECT at FROM audit_events WHERE id = ?');
  }

  appendInTransaction(event: AuditEventInput): void {
    const previous = this.last.get() as { id: number; hash: string } | undefined;
    const row = {
      id: (previous?.id ?? 0) + 1,
      at: this.deps.now().toISOString(),
      actor_id: event.actorId,
      action: event.action,
      subject: event.subject,
      details_json: JSON.stringify(event.details ?? {}),
      prev_hash: previous?.hash ?? GENESIS,
    };
    this.insert.run({ ...row, hash: hashAuditRow(row) });
  }

  async append(event: AuditEventInput): Promise<void> {
    this.deps.db.transaction(() => this.appendInTransaction(event)).immediate();
  }

  /**
   * One page of the log, newest first, below `before` (keyset on id). Every shape of filter reads
   * one index range (id, actor, subject or action) with a LIMIT, so a page costs the same on a
   * trail of millions. A person filter is two ranges (what they did, what was done to them) merged.
   */
  async search(filter: AuditSearch): Promise<AuditEvent[]> {
    const limit = Math.min(Math.max(filter.limit, 1), 200);
    const base = { before: filter.before ?? Number.MAX_SAFE_INTEGER, fromId: filter.fromId ?? 0, toId: filter.toId ?? Number.MAX_SAFE_INTEGER, limit, action: filter.action ?? null };
    const run = (by: 'actor' | 'subject' | null, value: number | string | null) => this.pageStatement(by, filter.action !== null && filter.action !== undefined)
      .all({ ...base, value }) as AuditRow[];
    let rows: AuditRow[];
    if (filter.userId === undefined || filter.userId === null) rows = run(null, null);
    else {
      const byId = new Map<number, AuditRow>();
      for (const row of [...run('actor', filter.userId), ...run('subject', `user:${filter.userId}`)]) byId.set(row.id, row);
      rows = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
    }
    return rows.map(toEvent);
  }

  /**
   * The first event id at or after an instant (one past the newest when none is). Events are
   * appended with the clock, so `at` grows with id: a binary search over the primary key (about
   * 22 look-ups for 4 million events) instead of an index on `at`.
   */
  async firstIdAtOrAfter(instant: string): Promise<number> {
    const head = this.last.get() as { id: number } | undefined;
    let lo = 1;
    let hi = (head?.id ?? 0) + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const row = this.atOf.get(mid) as { at: string } | undefined;
      if (row && row.at < instant) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private pageStatement(by: 'actor' | 'subject' | null, hasAction: boolean): Statement {
    const key = `${by ?? 'all'}:${hasAction}`;
    let statement = this.pages.get(key);
    if (!statement) {
      const where = ['id < @before', 'id >= @fromId', 'id <= @toId'];
      if (by === 'actor') where.push('actor_id = @value');
      if (by === 'subject') where.push('subject = @value');
      if (hasAction) where.push('action = @action');
      statement = this.deps.db.prepare(`SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`);
      this.pages.set(key, statement);
    }
    return statement;
  }

  async list(filter: { before?: number; subject?: string; limit?: number } = {}): Promise<AuditEvent[]> {
    const rows = this.recent.all({ before: filter.before ?? null, subject: filter.subject ?? null, limit: filter.limit ?? 50 }) as AuditRow[];
    return rows.map(toEvent);
  }
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id, at: row.at, actorId: row.actor_id, action: row.action, subject: row.subject,
    details: JSON.parse(row.details_json) as Record<string, unknown>, prevHash: row.prev_hash, hash: row.hash,
  };
}

export function parseAuditAnchor(text: string): AuditAnchor | null {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return match ? { id: Number(match[1]), hash: match[2] } : null;
}

/** The chain check of `lms verify-audit` (rules in audit-chain.ts) over this SQLite database. */
export function verifyAuditChain(db: Db, anchor?: AuditAnchor): AuditVerification {
  const walk = new AuditChainWalk(anchor);
  for (const row of db.prepare('SELECT * FROM audit_events ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    const failed = walk.step(row);
    if (failed) return failed;
  }
  return walk.finish(db.prepare('SELECT last_id, last_hash FROM audit_head WHERE id = 1').get() as { last_id: number; last_hash: string } | undefined);
}

/** What services use; other SQLite repositories also call appendInTransaction inside their own transactions. */
export type AuditStore = Omit<PublicOf<AuditRepository>, 'appendInTransaction'>;
