/** Reminders a trainer sends from the learner list, on PostgreSQL (see learner-reminders.repository.ts). */
import type { PgPool } from '../db/postgres/pool.js';
import { transaction } from '../db/postgres/transaction.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import type { LearnerRemindersStore, ReminderRecipient } from './learner-reminders.repository.js';

export class PgLearnerRemindersRepository implements LearnerRemindersStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository }) {}

  /** The people behind these enrollments of the course (others are ignored). */
  async recipientsOf(courseId: number, enrollmentIds: readonly number[]): Promise<ReminderRecipient[]> {
    const { rows } = await this.deps.pool.query<{ id: number; name: string; email: string | null; locale: 'zh-CN' | 'en' | null }>(
      `SELECT u.id, u.name, u.email, u.locale FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE e.course_id = $1 AND e.id = ANY($2::int[]) ORDER BY u.id`, [courseId, enrollmentIds]);
    return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email, locale: r.locale }));
  }

  /** Records the reminders and one audit event for the whole action, in one transaction. */
  async record(input: { courseId: number; actorId: number; at: string; sent: Array<{ userId: number; emailed: boolean }> }): Promise<void> {
    const { pool, audit } = this.deps;
    await transaction(pool, async (client) => {
      if (input.sent.length > 0) {
        await client.query(`INSERT INTO learner_reminders (user_id, course_id, sent_by, sent_at, emailed)
          SELECT u, $2, $3, $4, CASE WHEN m THEN 1 ELSE 0 END FROM unnest($1::int[], $5::boolean[]) AS s(u, m)`,
        [input.sent.map((s) => s.userId), input.courseId, input.actorId, input.at, input.sent.map((s) => s.emailed)]);
      }
      await audit.appendWith(client, { actorId: input.actorId, action: 'learner.remind', subject: `course:${input.courseId}`,
        details: { userIds: input.sent.map((s) => s.userId), emailed: input.sent.filter((s) => s.emailed).length } });
    });
  }

  /** A learner's reminders since a moment, newest first (the home page shows them). */
  async recentFor(userId: number, since: string): Promise<Array<{ courseCode: string; courseTitle: string; sentAt: string }>> {
    const { rows } = await this.deps.pool.query<{ code: string; title: string; sent_at: string }>(
      `SELECT c.code, c.title, r.sent_at FROM learner_reminders r JOIN courses c ON c.id = r.course_id
        WHERE r.user_id = $1 AND r.sent_at >= $2 ORDER BY r.sent_at DESC LIMIT 10`, [userId, since]);
    return rows.map((r) => ({ courseCode: r.code, courseTitle: r.title, sentAt: r.sent_at }));
  }
}
