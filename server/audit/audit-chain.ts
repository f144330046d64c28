/**
 * The audit trail's hash chain, independent of the database holding it: the row hash, and the walk
 * `verify-audit` does over rows in id order then against the stored head. The SQLite and PostgreSQL
 * checks both feed rows to one AuditChainWalk, so the rules live here once.
 */
import crypto from 'node:crypto';

export const AUDIT_GENESIS = '0'.repeat(64);

export interface AuditChainRow {
  id: number; at: string; actor_id: number | null; action: string; subject: string;
  details_json: string; prev_hash: string; hash: string;
}

export interface AuditVerification { ok: boolean; checked: number; headId: number; headHash: string; firstBad?: { id: number; reason: string } }

/** A head recorded outside the database (printed by an earlier `verify-audit`): `ID:HASH`. */
export interface AuditAnchor { id: number; hash: string }

/** The hash covers the row's content and the previous row's hash, so edits and deletions show. */
export function hashAuditRow(row: Omit<AuditChainRow, 'hash'>): string {
  const content = JSON.stringify([row.id, row.at, row.actor_id, row.action, row.subject, row.details_json]);
  return crypto.createHash('sha256').update(row.prev_hash).update('\n').update(content).digest('hex');
}

/**
 * Walks the chain in id order. An edited row breaks its own hash; an edited row whose hash was
 * recomputed, a reordered, removed or inserted row breaks the next row's prev_hash (and the id
 * sequence). The newest events are checked against the head record the database keeps
 * (audit_head, advanced by a trigger with each append), so a truncated tail shows. Someone who
 * can rewrite the whole database can recompute every hash and the head too: only a head recorded
 * elsewhere (`anchor`, the `ID:HASH` an earlier run printed) shows that.
 */
export class AuditChainWalk {
  private previousHash = AUDIT_GENESIS;
  private expectedId = 1;
  private checked = 0;
  private anchorSeen = false;

  constructor(private readonly anchor?: AuditAnchor) {}

  /** Checks the next row; a failed verification ends the walk. */
  step(row: AuditChainRow): AuditVerification | null {
    if (row.id !== this.expectedId) return this.bad(row.id, `event ${this.expectedId} is missing (deleted)`);
    if (row.prev_hash !== this.previousHash) return this.bad(row.id, 'previous hash does not match: an earlier event was changed or removed');
    if (hashAuditRow(row) !== row.hash) return this.bad(row.id, 'content does not match its hash (edited)');
    if (this.anchor && row.id === this.anchor.id) {
      if (row.hash !== this.anchor.hash) return this.bad(row.id, 'hash differs from the recorded head: the trail was rewritten up to here');
      this.anchorSeen = true;
    }
    this.previousHash = row.hash;
    this.expectedId += 1;
    this.checked += 1;
    return null;
  }

  /** After the last row: the stored head (audit_head) must point at it. */
  finish(head: { last_id: number; last_hash: string } | undefined): AuditVerification {
    const { checked, previousHash, anchor } = this;
    if (!head) return this.bad(checked + 1, 'the head record (audit_head) is missing');
    if (head.last_id > checked) return this.bad(checked + 1, `the head record says ${head.last_id} events were written: events after ${checked} are missing (truncated)`);
    if (head.last_id !== checked || head.last_hash !== previousHash) return this.bad(checked, 'the last event does not match the head record');
    if (anchor && !this.anchorSeen) return this.bad(anchor.id, `the recorded head (event ${anchor.id}) is not in the trail (truncated)`);
    return { ok: true, checked, headId: checked, headHash: previousHash };
  }

  private bad(id: number, reason: string): AuditVerification {
    return { ok: false, checked: this.checked, headId: this.expectedId - 1, headHash: this.previousHash, firstBad: { id, reason } };
  }
}
