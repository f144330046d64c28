import type { PgPool, PgQueryable } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import { hashAuditRow, type AuditEvent, type AuditEventInput, type AuditSearch, type AuditStore } from './audit.repository.js';

interface AuditRow {
  id: number; at: string; actor_id: number | null; action: string; subject: string;
  details_json: string; prev_hash: string; hash: string;
}

/**
 * The audit trail on PostgreSQL: the same rows and hash chain as audit.repository.ts. Every append
 * first locks the one audit_head row (`FOR UPDATE`), so appends from every node form one chain in
 * commit order: the next id and prev_hash are read under the lock, and the lock is held until the
 * caller's transaction — the one that also writes the record described — commits or rolls back.
 */
export class PgAuditRepository implements AuditStore {
  constructor(private readonly deps: { pool: PgPool; now: () => Date }) {}

  /** Appends inside the caller's transaction (`client` is the transaction's client). */
  async appendWith(client: PgQueryable, event: AuditEventInput): Promise<void> {
    const head = (await client.query<{ last_id: number; last_hash: string }>('SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE')).rows[0];
    if (!head) throw new Error('audit_head is missing: the PostgreSQL migrations have not run');
    const row = {
      id: head.last_id + 1,
      at: this.deps.now().toISOString(),
      actor_id: event.actorId,
      action: event.action,
      subject: event.subject,
      details_json: JSON.stringify(event.details ?? {}),
      prev_hash: head.last_hash,
    };
    const hash = hashAuditRow(row);
    await client.query(`INSERT INTO audit_events (id, at, actor_id, action, subject, details_json, prev_hash, hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [row.id, row.at, row.actor_id, row.action, row.subject, row.details_json, row.prev_hash, hash]);
    // The migrations' trigger advances the head with the insert; this only covers a schema without it.
    await client.query('UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1 AND last_id < $1', [row.id, hash]);
  }

  async append(event: AuditEventInput): Promise<void> {
    await transaction(this.deps.pool, (client) => this.appendWith(client, event));
  }

  /** As AuditRepository.search: one index range per filter, keyset on id, a person's two ranges merged. */
  async search(filter: AuditSearch): Promise<AuditEvent[]> {
    const limit = Math.min(Math.max(filter.limit, 1), 200);
    const run = async (by: 'actor' | 'subject' | null, value: number | string | null) => {
      const params: unknown[] = [filter.before ?? Number.MAX_SAFE_INTEGER, filter.fromId ?? 0, filter.toId ?? Number.MAX_SAFE_INTEGER, limit];
      const where = ['id < $1', 'id >= $2', 'id <= $3'];
      if (by === 'actor') where.push(`actor_id = $${params.push(value)}`);
      if (by === 'subject') where.push(`subject = $${params.push(value)}`);
      if (filter.action !== null && filter.action !== undefined) where.push(`action = $${params.push(filter.action)}`);
      return (await this.deps.pool.query<AuditRow>(`SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $4`, params)).rows;
    };
    let rows: AuditRow[];
    if (filter.userId === undefined || filter.userId === null) rows = await run(null, null);
    else {
      const byId = new Map<number, AuditRow>();
      for (const row of [...await run('actor', filter.userId), ...await run('subject', `user:${filter.userId}`)]) byId.set(row.id, row);
      rows = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
    }
    return rows.map(toEvent);
  }

  /** As AuditRepository.firstIdAtOrAfter: `at` grows with id, so a binary search over the primary key. */
  async firstIdAtOrAfter(instant: string): Promise<number> {
    const { pool } = this.deps;
    const head = (await pool.query<{ id: number }>('SELECT id FROM audit_events ORDER BY id DESC LIMIT 1')).rows[0];
    let lo = 1;
    let hi = (head?.id ?? 0) + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const row = (await pool.query<{ at: string }>('SELECT at FROM audit_events WHERE id = $1', [mid])).rows[0];
      if (row && row.at < instant) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async list(filter: { before?: number; subject?: string; limit?: number } = {}): Promise<AuditEvent[]> {
    const rows = (await this.deps.pool.query<AuditRow>(`SELECT * FROM audit_events WHERE ($1::bigint IS NULL OR id < $1)
      AND ($2::text IS NULL OR subject = $2) ORDER BY id DESC LIMIT $3`, [filter.before ?? null, filter.subject ?? null, filter.limit ?? 50])).rows;
    return rows.map(toEvent);
  }
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id, at: row.at, actorId: row.actor_id, action: row.action, subject: row.subject,
    details: JSON.parse(row.details_json) as Record<string, unknown>, prevHash: row.prev_hash, hash: row.hash,
  };
}
