import crypto from 'node:crypto';
import type { Db } from '../db/open-database.js';

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

interface AuditRow {
  id: number; at: string; actor_id: number | null; action: string; subject: string;
  details_json: string; prev_hash: string; hash: string;
}

const GENESIS = '0'.repeat(64);

/** The hash covers the row's content and the previous row's hash, so edits and deletions show. */
export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const content = JSON.stringify([row.id, row.at, row.actor_id, row.action, row.subject, row.details_json]);
  return crypto.createHash('sha256').update(row.prev_hash).update('\n').update(content).digest('hex');
}

/**
 * Append-only audit log. `appendInTransaction` is synchronous so other repositories can call it
 * inside their own db.transaction(): the change and its audit row commit together or not at all.
 */
export class AuditRepository {
  private readonly last;
  private readonly insert;
  private readonly recent;

  constructor(private readonly deps: { db: Db; now: () => Date }) {
    const { db } = deps;
    this.last = db.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1');
    this.insert = db.prepare(`INSERT INTO audit_events (id, at, actor_id, action, subject, details_json, prev_hash, hash)
      VALUES (@id, @at, @actor_id, @action, @subject, @details_json, @prev_hash, @hash)`);
    this.recent = db.prepare(`SELECT * FROM audit_events WHERE (@before IS NULL OR id < @before)
      AND (@subject IS NULL OR subject = @subject) ORDER BY id DESC LIMIT @limit`);
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

export interface AuditVerification { ok: boolean; checked: number; headHash: string; firstBad?: { id: number; reason: string } }

/**
 * Walks the chain in id order. An edited row breaks its own hash; a deleted row breaks the next
 * row's prev_hash (and the id sequence). Truncating the tail is only visible against a head hash
 * recorded elsewhere, which is why the head is printed.
 */
export function verifyAuditChain(db: Db): AuditVerification {
  let previousHash = GENESIS;
  let expectedId = 1;
  let checked = 0;
  for (const row of db.prepare('SELECT * FROM audit_events ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    if (row.id !== expectedId) return { ok: false, checked, headHash: previousHash, firstBad: { id: row.id, reason: `event ${expectedId} is missing (deleted)` } };
    if (row.prev_hash !== previousHash) return { ok: false, checked, headHash: previousHash, firstBad: { id: row.id, reason: 'previous hash does not match: an earlier event was changed or removed' } };
    if (hashAuditRow(row) !== row.hash) return { ok: false, checked, headHash: previousHash, firstBad: { id: row.id, reason: 'content does not match its hash (edited)' } };
    previousHash = row.hash;
    expectedId += 1;
    checked += 1;
  }
  return { ok: true, checked, headHash: previousHash };
}
