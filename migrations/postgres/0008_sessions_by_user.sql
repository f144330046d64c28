-- PostgreSQL twin of ../0008_sessions_by_user.sql: the session store's table (same shape: the session
-- as JSON text, expiry as ISO text) with an index finding a user's sessions.
CREATE TABLE sessions (sid text NOT NULL PRIMARY KEY, sess text NOT NULL, expire text NOT NULL);
CREATE INDEX sessions_user ON sessions (((sess::jsonb) #>> '{passport,user}'));
CREATE INDEX sessions_expire ON sessions (expire);
