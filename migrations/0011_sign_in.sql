-- Sign-in: one-time links for invitations and password resets (only a SHA-256 of each token is kept).
CREATE TABLE password_tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose     TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
  token_hash  TEXT NOT NULL UNIQUE,
  created_by  INTEGER REFERENCES users(id),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
);
CREATE INDEX password_tokens_user ON password_tokens(user_id, purpose, expires_at);

-- The forgotten-password page finds people by address: one indexed lookup, not a scan of 415k rows.
CREATE INDEX users_email ON users(email COLLATE NOCASE);

-- Invitation runs page through active people without a password by id: only those rows are read,
-- however many of the 415k already have one.
CREATE INDEX users_without_password ON users(id) WHERE password_hash IS NULL AND status = 'active';
