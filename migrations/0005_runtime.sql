-- Runtime bookkeeping: the last commit sequence applied per launch (duplicates and stale commits
-- change nothing) and the SCO an attempt was last in (where "resume" goes).
ALTER TABLE launch_sessions ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN last_sco_id INTEGER REFERENCES scos(id);
CREATE INDEX attempts_enrollment ON attempts(enrollment_id, number);
CREATE INDEX launch_sessions_attempt ON launch_sessions(attempt_id);
CREATE INDEX interactions_sco ON interactions(sco_id, interaction_id);
