-- Every try on record: each change of a SCO's score or success status inside an attempt, with its
-- time (a package's own "retake" no longer overwrites the failed result). A try ends when the
-- package decides (passed/failed); the next change opens the next try. `interactions_json` is the
-- SCO's interactions as they stood when the change was committed.
CREATE TABLE attempt_tries (
  id                INTEGER PRIMARY KEY,
  attempt_id        INTEGER NOT NULL REFERENCES attempts(id),
  sco_id            INTEGER NOT NULL REFERENCES scos(id),
  try_number        INTEGER NOT NULL,
  completion_status TEXT NOT NULL,
  success_status    TEXT NOT NULL,
  score_raw         REAL,
  score_scaled      REAL,
  interactions_json TEXT NOT NULL DEFAULT '[]',
  recorded_at       TEXT NOT NULL
);
CREATE INDEX attempt_tries_attempt ON attempt_tries(attempt_id, sco_id, id);

-- Learning time measured by the LMS (launches, commits, player heartbeats; idle gaps cut), kept
-- per attempt so reading it is one row: seconds so far, the last activity it counted from, and
-- the number of launches. `tries_count`: the highest try number of any SCO of the attempt.
ALTER TABLE attempts ADD COLUMN tries_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN measured_seconds REAL NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN last_activity_at TEXT;
ALTER TABLE attempts ADD COLUMN launch_count INTEGER NOT NULL DEFAULT 0;

-- The evidence file looks up the audit events of each record by subject.
CREATE INDEX audit_events_subject ON audit_events(subject, id);
