-- PostgreSQL twin of ../0005_runtime.sql.
ALTER TABLE launch_sessions ADD COLUMN last_seq integer NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN last_sco_id integer REFERENCES scos(id);
CREATE INDEX attempts_enrollment ON attempts(enrollment_id, number);
CREATE INDEX launch_sessions_attempt ON launch_sessions(attempt_id);
CREATE INDEX interactions_sco ON interactions(sco_id, interaction_id);
