-- SCORM 2004 global objectives shared across courses (manifests with objectivesGlobalToSystem,
-- the default): one row per learner and global objective id, holding scorm-again's map entry.
-- Objectives scoped to one course live in that attempt's attempts.sequencing_json instead.
CREATE TABLE global_objectives (
  user_id      INTEGER NOT NULL REFERENCES users(id),
  objective_id TEXT NOT NULL,
  data_json    TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (user_id, objective_id)
);
