-- PostgreSQL twin of ../0007_attempt_completed_at.sql.
ALTER TABLE attempts ADD COLUMN completed_at text;
UPDATE attempts
SET completed_at = COALESCE(finished_at, (SELECT MAX(s.updated_at) FROM sco_states s WHERE s.attempt_id = attempts.id), started_at)
WHERE completion_status = 'completed';
CREATE INDEX attempts_completed ON attempts(completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX certificates_attempt ON certificates(attempt_id);
