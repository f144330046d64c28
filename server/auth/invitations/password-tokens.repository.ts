import type { PublicOf } from '../../db/store.js';
import type { Db } from '../../db/open-database.js';
import type { AuditRepository } from '../../audit/audit.repository.js';
import { subtreeRange } from '../../shared/branch-path.js';

export type TokenPurpose = 'invite' | 'reset';

/** Someone a link can be sent to. */
export interface Recipient { id: number; username: string; name: string; email: string; locale: string | null }

export interface NewToken { userId: number; tokenHash: string }

/** Who an invitation run covers: one person, a branch subtree, or the whole bank. */
export type InviteScope = { userId: number } | { branchPath: string } | { everyone: true };

/**
 * One-time links for invitations and resets. Only SHA-256 hashes of tokens are stored; a token
 * is live until it is used, replaced or expires. Every issue and use is audited in the same
 * transaction.
 */
export class PasswordTokensRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date }) {
    const { db } = deps;
    const candidates = (where: string) => db.prepare(`SELECT u.id, u.username, u.name, u.email, u.locale FROM users u
      ${where.includes('b.path') ? 'JOIN branches b ON b.id = u.branch_id' : ''}
      WHERE ${where} AND u.status = 'active' AND u.password_hash IS NULL AND u.email IS NOT NULL AND u.email <> ''
        AND u.id > @after
        AND (@resend = 1 OR NOT EXISTS (SELECT 1 FROM password_tokens t WHERE t.user_id = u.id AND t.purpose = 'invite' AND t.used_at IS NULL AND t.expires_at > @now))
      ORDER BY u.id LIMIT @limit`);
    this.stmts = {
      insert: db.prepare(`INSERT INTO password_tokens (user_id, purpose, token_hash, created_by, created_at, expires_at)
        VALUES (@userId, @purpose, @tokenHash, @createdBy, @now, @expiresAt)`),
      live: db.prepare(`SELECT t.id, t.user_id, t.purpose, u.username FROM password_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > ? AND u.status = 'active'`),
      use: db.prepare('UPDATE password_tokens SET used_at = @now WHERE id = @id AND used_at IS NULL'),
      retireOthers: db.prepare('UPDATE password_tokens SET used_at = @now WHERE user_id = @userId AND used_at IS NULL'),
      setPassword: db.prepare('UPDATE users SET password_hash = @hash, updated_at = @now WHERE id = @userId'),
      byEmail: db.prepare(`SELECT id, username, name, email, locale FROM users WHERE email = ? COLLATE NOCASE AND status = 'active' LIMIT 5`),
      one: candidates('u.id = @userId'),
      subtree: candidates('b.path >= @from AND b.path < @to'),
      everyone: candidates('1 = 1'),
    };
  }

  /** One page (keyset by id) of people without a password and with an address, for an invitation run. */
  async listInvitable(scope: InviteScope, options: { after: number; limit: number; resend: boolean }): Promise<Recipient[]> {
    const params = { after: options.after, limit: options.limit, resend: options.resend ? 1 : 0, now: this.deps.now().toISOString() };
    if ('userId' in scope) return this.stmts.one.all({ ...params, userId: scope.userId }) as Recipient[];
    if ('branchPath' in scope) return this.stmts.subtree.all({ ...params, ...subtreeRange(scope.branchPath) }) as Recipient[];
    return this.stmts.everyone.all(params) as Recipient[];
  }

  async findByEmail(email: string): Promise<Recipient[]> {
    return this.stmts.byEmail.all(email) as Recipient[];
  }

  /** Stores a batch of new tokens in one transaction, each audited. */
  async issue(purpose: TokenPurpose, tokens: NewToken[], expiresAt: Date, actor: { actorId: number | null }): Promise<void> {
    const { db, audit, now } = this.deps;
    db.transaction(() => {
      const at = now().toISOString();
      for (const t of tokens) {
        this.stmts.insert.run({ ...t, purpose, createdBy: actor.actorId, now: at, expiresAt: expiresAt.toISOString() });
        audit.appendInTransaction({ actorId: actor.actorId, action: purpose === 'invite' ? 'auth.invitation_sent' : 'auth.reset_requested', subject: `user:${t.userId}`, details: { expiresAt: expiresAt.toISOString() } });
      }
    }).immediate();
  }

  /** The live token's holder, or null (unknown, used, expired, or the person has left). */
  async findLive(tokenHash: string): Promise<{ userId: number; username: string; purpose: TokenPurpose } | null> {
    const row = this.stmts.live.get(tokenHash, this.deps.now().toISOString()) as { id: number; user_id: number; purpose: TokenPurpose; username: string } | undefined;
    return row ? { userId: row.user_id, username: row.username, purpose: row.purpose } : null;
  }

  /**
   * Uses a live token to set the password: the token and every other open link of the person are
   * retired, the password is stored, and the change audited — all or nothing. Null when the
   * token was not live (a second use loses here even if two arrive together).
   */
  async usePassword(tokenHash: string, passwordHash: string): Promise<{ userId: number; purpose: TokenPurpose } | null> {
    const { db, audit, now } = this.deps;
    return db.transaction(() => {
      const at = now().toISOString();
      const row = this.stmts.live.get(tokenHash, at) as { id: number; user_id: number; purpose: TokenPurpose } | undefined;
      if (!row || this.stmts.use.run({ id: row.id, now: at }).changes !== 1) return null;
      this.stmts.retireOthers.run({ userId: row.user_id, now: at });
      this.stmts.setPassword.run({ hash: passwordHash, userId: row.user_id, now: at });
      audit.appendInTransaction({ actorId: row.user_id, action: row.purpose === 'invite' ? 'auth.invitation_accepted' : 'auth.password_reset', subject: `user:${row.user_id}` });
      return { userId: row.user_id, purpose: row.purpose };
    }).immediate();
  }
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type PasswordTokensStore = PublicOf<PasswordTokensRepository>;
