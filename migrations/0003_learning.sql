-- Assignments, enrollments, attempts and everything the SCORM runtime records.
CREATE TABLE assignments (
  id                   INTEGER PRIMARY KEY,
  course_id            INTEGER NOT NULL REFERENCES courses(id),
  branch_id            INTEGER REFERENCES branches(id),
  include_sub_branches INTEGER NOT NULL DEFAULT 1,
  positions_json       TEXT NOT NULL DEFAULT '[]',
  due_date             TEXT,
  due_days             INTEGER,
  due_basis            TEXT NOT NULL DEFAULT 'assignment' CHECK (due_basis IN ('assignment', 'hire')),
  recurring            INTEGER NOT NULL DEFAULT 1,
  created_by           INTEGER REFERENCES users(id),
  created_at           TEXT NOT NULL
);

CREATE TABLE enrollments (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  course_id     INTEGER NOT NULL REFERENCES courses(id),
  assignment_id INTEGER REFERENCES assignments(id),
  due_at        TEXT,
  assigned_at   TEXT NOT NULL,
  source        TEXT NOT NULL CHECK (source IN ('self', 'assignment', 'import')),
  retakes_granted INTEGER NOT NULL DEFAULT 0,
  UNIQUE (user_id, course_id)
);
CREATE INDEX enrollments_course ON enrollments(course_id);

CREATE TABLE attempts (
  id                INTEGER PRIMARY KEY,
  enrollment_id     INTEGER NOT NULL REFERENCES enrollments(id),
  version_id        INTEGER NOT NULL REFERENCES course_versions(id),
  number            INTEGER NOT NULL,
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  completion_status TEXT NOT NULL DEFAULT 'not attempted',
  success_status    TEXT NOT NULL DEFAULT 'unknown',
  score_scaled      REAL,
  total_seconds     REAL NOT NULL DEFAULT 0,
  sequencing_json   TEXT,
  UNIQUE (enrollment_id, number)
);

-- One launch of one SCO: the unguessable token in the commit URL, and terminate.
CREATE TABLE launch_sessions (
  id            INTEGER PRIMARY KEY,
  attempt_id    INTEGER NOT NULL REFERENCES attempts(id),
  sco_id        INTEGER NOT NULL REFERENCES scos(id),
  user_id       INTEGER NOT NULL REFERENCES users(id),
  token_hash    TEXT NOT NULL UNIQUE,
  credit        TEXT NOT NULL DEFAULT 'credit' CHECK (credit IN ('credit', 'no-credit')),
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  terminated_at TEXT
);

CREATE TABLE sco_states (
  attempt_id        INTEGER NOT NULL REFERENCES attempts(id),
  sco_id            INTEGER NOT NULL REFERENCES scos(id),
  cmi_json          TEXT NOT NULL DEFAULT '{}',
  completion_status TEXT NOT NULL DEFAULT 'not attempted',
  success_status    TEXT NOT NULL DEFAULT 'unknown',
  score_raw         REAL,
  score_scaled      REAL,
  location          TEXT,
  exit              TEXT,
  total_seconds     REAL NOT NULL DEFAULT 0,
  commit_seq        INTEGER NOT NULL DEFAULT 0,
  updated_at        TEXT NOT NULL,
  PRIMARY KEY (attempt_id, sco_id)
);

CREATE TABLE interactions (
  attempt_id       INTEGER NOT NULL REFERENCES attempts(id),
  sco_id           INTEGER NOT NULL REFERENCES scos(id),
  idx              INTEGER NOT NULL,
  interaction_id   TEXT NOT NULL,
  type             TEXT,
  response         TEXT,
  correct_response TEXT,
  result           TEXT,
  latency          TEXT,
  recorded_at      TEXT NOT NULL,
  PRIMARY KEY (attempt_id, sco_id, idx)
);

CREATE TABLE certificates (
  id             INTEGER PRIMARY KEY,
  serial         TEXT NOT NULL UNIQUE,
  user_id        INTEGER NOT NULL REFERENCES users(id),
  course_id      INTEGER NOT NULL REFERENCES courses(id),
  attempt_id     INTEGER REFERENCES attempts(id),
  score          REAL,
  issued_at      TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  revoked_at     TEXT,
  revoked_reason TEXT
);
CREATE INDEX certificates_user_course ON certificates(user_id, course_id);

-- Which reminder went to whom, so a re-run of the daily job sends nothing twice.
CREATE TABLE notifications_sent (
  id         INTEGER PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  kind       TEXT NOT NULL,
  sent_at    TEXT NOT NULL
);
