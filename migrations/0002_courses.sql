-- Courses, their uploaded SCORM versions and the SCOs each version launches.
CREATE TABLE courses (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE,
  title            TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  validity_months  INTEGER NOT NULL DEFAULT 12 CHECK (validity_months BETWEEN 1 AND 120),
  pass_mark        REAL CHECK (pass_mark IS NULL OR pass_mark BETWEEN 0 AND 100),
  attempts_limit   INTEGER CHECK (attempts_limit IS NULL OR attempts_limit >= 1),
  completion_rule  TEXT NOT NULL DEFAULT 'rollup' CHECK (completion_rule IN ('rollup', 'all_scos')),
  counted_attempt  TEXT NOT NULL DEFAULT 'last' CHECK (counted_attempt IN ('last', 'highest')),
  status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
  published_version_id INTEGER,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE TABLE course_versions (
  id            INTEGER PRIMARY KEY,
  course_id     INTEGER NOT NULL REFERENCES courses(id),
  number        INTEGER NOT NULL,
  scorm_version TEXT NOT NULL CHECK (scorm_version IN ('1.2', '2004-2nd', '2004-3rd', '2004-4th')),
  title         TEXT NOT NULL,
  manifest_json TEXT NOT NULL,
  problems_json TEXT NOT NULL DEFAULT '[]',
  sha256        TEXT NOT NULL,
  size_bytes    INTEGER NOT NULL,
  storage_dir   TEXT NOT NULL,
  uploaded_by   INTEGER REFERENCES users(id),
  uploaded_at   TEXT NOT NULL,
  UNIQUE (course_id, number)
);

CREATE TABLE scos (
  id                   INTEGER PRIMARY KEY,
  version_id           INTEGER NOT NULL REFERENCES course_versions(id),
  identifier           TEXT NOT NULL,
  title                TEXT NOT NULL,
  href                 TEXT NOT NULL,
  parameters           TEXT,
  mastery_score        REAL,
  scaled_passing_score REAL,
  max_time_allowed     TEXT,
  time_limit_action    TEXT,
  launch_data          TEXT,
  completion_threshold REAL,
  objectives_json      TEXT NOT NULL DEFAULT '[]',
  data_json            TEXT NOT NULL DEFAULT '[]',
  position             INTEGER NOT NULL,
  UNIQUE (version_id, identifier)
);
