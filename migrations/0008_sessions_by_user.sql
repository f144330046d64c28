-- The session store creates this table itself (same shape); it is created here too so that a
-- user's sessions can be found by an index and ended at once (password reset, role removed).
CREATE TABLE IF NOT EXISTS sessions (sid TEXT NOT NULL PRIMARY KEY, sess JSON NOT NULL, expire TEXT NOT NULL);
CREATE INDEX sessions_user ON sessions (json_extract(sess, '$.passport.user'));
