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

export interface AuditVerification { ok: boolean; checked: number; headId: number; headHash: string; firstBad?: { id: number; reason: string } }

/** A head recorded outside the database (printed by an earlier `verify-audit`): `ID:HASH`. */
export interface AuditAnchor { id: number; hash: string }

export function parseAuditAnchor(text: string): AuditAnchor | null {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return match ? { id: Number(match[1]), hash: match[2] } : null;
}

/**
 * Walks the chain in id order. An edited row breaks its own hash; an edited row whose hash was
 * recomputed, a reordered, removed or inserted row breaks the next row's prev_hash (and the id
 * sequence). The newest events are checked against the head record the database keeps
 * (audit_head, advanced by a trigger with each append), so a truncated tail shows. Someone who
 * can rewrite the whole file can recompute every hash and the head too: only a head recorded
 * elsewhere (`anchor`, the `ID:HASH` an earlier run printed) shows that.
 */
export function verifyAuditChain(db: Db, anchor?: AuditAnchor): AuditVerification {
  let previousHash = GENESIS;
  let expectedId = 1;
  let checked = 0;
  let anchorSeen = false;
  const bad = (id: number, reason: string): AuditVerification => ({ ok: false, checked, headId: expectedId - 1, headHash: previousHash, firstBad: { id, reason } });
  for (const row of db.prepare('SELECT * FROM audit_events ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    if (row.id !== expectedId) return bad(row.id, `event ${expectedId} is missing (deleted)`);
    if (row.prev_hash !== previousHash) return bad(row.id, 'previous hash does not match: an earlier event was changed or removed');
    if (hashAuditRow(row) !== row.hash) return bad(row.id, 'content does not match its hash (edited)');
    if (anchor && row.id === anchor.id) {
      if (row.hash !== anchor.hash) return bad(row.id, 'hash differs from the recorded head: the trail was rewritten up to here');
      anchorSeen = true;
    }
    previousHash = row.hash;
    expectedId += 1;
    checked += 1;
  }
  const head = db.prepare('SELECT last_id, last_hash FROM audit_head WHERE id = 1').get() as { last_id: number; last_hash: string } | undefined;
  if (!head) return bad(checked + 1, 'the head record (audit_head) is missing');
  if (head.last_id > checked) return bad(checked + 1, `the head record says ${head.last_id} events were written: events after ${checked} are missing (truncated)`);
  if (head.last_id !== checked || head.last_hash !== previousHash) return bad(checked, 'the last event does not match the head record');
  if (anchor && !anchorSeen) return bad(anchor.id, `the recorded head (event ${anchor.id}) is not in the trail (truncated)`);
  return { ok: true, checked, headId: checked, headHash: previousHash };
}
