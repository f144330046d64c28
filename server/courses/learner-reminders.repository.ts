/** Reminders a trainer sends from the learner list: kept for the learner's home page, audited. */
import type { Db } from '../db/open-database.js';
import type { PublicOf } from '../db/store.js';
import type { AuditRepository } from '../audit/audit.repository.js';

export interface ReminderRecipient { userId: number; name: string; email: string | null; locale: 'zh-CN' | 'en' | null }

export class LearnerRemindersRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository }) {
    const { db } = deps;
    this.stmts = {
      insert: db.prepare('INSERT INTO learner_reminders (user_id, course_id, sent_by, sent_at, emailed) VALUES (?, ?, ?, ?, ?)'),
      recipients: db.prepare(`SELECT u.id, u.name, u.email, u.locale FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE e.course_id = ? AND e.id IN (SELECT value FROM json_each(?)) ORDER BY u.id`),
      latestFor: db.prepare(`SELECT r.course_id, c.code, c.title, r.sent_at FROM learner_reminders r JOIN courses c ON c.id = r.course_id
        WHERE r.user_id = ? AND r.sent_at >= ? ORDER BY r.sent_at DESC LIMIT 10`),
    };
  }

  /** The people behind these enrollments of the course (others are ignored). */
  async recipientsOf(courseId: number, enrollmentIds: readonly number[]): Promise<ReminderRecipient[]> {
    return (this.stmts.recipients.all(courseId, JSON.stringify(enrollmentIds)) as Array<{ id: number; name: string; email: string | null; locale: 'zh-CN' | 'en' | null }>)
      .map((r) => ({ userId: r.id, name: r.name, email: r.email, locale: r.locale }));
  }

  /** Records the reminders and one audit event for the whole action, in one transaction. */
  async record(input: { courseId: number; actorId: number; at: string; sent: Array<{ userId: number; emailed: boolean }> }): Promise<void> {
    const { db, audit } = this.deps;
    db.transaction(() => {
      for (const s of input.sent) this.stmts.insert.run(s.userId, input.courseId, input.actorId, input.at, s.emailed ? 1 : 0);
      audit.appendInTransaction({ actorId: input.actorId, action: 'learner.remind', subject: `course:${input.courseId}`,
        details: { userIds: input.sent.map((s) => s.userId), emailed: input.sent.filter((s) => s.emailed).length } });
    })();
  }

  /** A learner's reminders since a moment, newest first (the home page shows them). */
  async recentFor(userId: number, since: string): Promise<Array<{ courseCode: string; courseTitle: string; sentAt: string }>> {
    return (this.stmts.latestFor.all(userId, since) as Array<{ code: string; title: string; sent_at: string }>)
      .map((r) => ({ courseCode: r.code, courseTitle: r.title, sentAt: r.sent_at }));
  }
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type LearnerRemindersStore = PublicOf<LearnerRemindersRepository>;
