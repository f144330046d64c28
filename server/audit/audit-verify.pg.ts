import type pg from 'pg';
import { AuditChainWalk, type AuditAnchor, type AuditChainRow, type AuditVerification } from './audit-chain.js';

const PAGE = 5_000;

/**
 * `verify-audit` on PostgreSQL: the same walk (audit-chain.ts) over pages of the trail read by id
 * (memory stays flat), all in one REPEATABLE READ snapshot so the rows and the head agree while
 * other nodes keep appending.
 */
export async function verifyAuditChainPostgres(pool: pg.Pool, anchor?: AuditAnchor): Promise<AuditVerification> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const walk = new AuditChainWalk(anchor);
    let after = 0;
    for (;;) {
      const { rows } = await client.query<AuditChainRow>(
        'SELECT id, at, actor_id, action, subject, details_json, prev_hash, hash FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2', [after, PAGE]);
      for (const row of rows) {
        const failed = walk.step(row);
        if (failed) return failed;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
    const head = await client.query<{ last_id: number; last_hash: string }>('SELECT last_id, last_hash FROM audit_head WHERE id = 1');
    return walk.finish(head.rows[0]);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
