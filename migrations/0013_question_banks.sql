-- Question banks (题库): questions are versioned — an edit adds a version, and an exam attempt keeps
-- a snapshot of what it showed, so a past paper never changes.
CREATE TABLE question_banks (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  title      TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE questions (
  id                 INTEGER PRIMARY KEY,
  bank_id            INTEGER NOT NULL REFERENCES question_banks(id),
  -- 'importing': written by an import still in progress (invisible; made active all at once or deleted).
  status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'importing')),
  import_id          TEXT,
  -- The current version's facts, copied here so drawing a paper reads one narrow table.
  current_version_id INTEGER,
  stem_key           TEXT NOT NULL,
  difficulty         INTEGER,
  tags_json          TEXT NOT NULL DEFAULT '[]',
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
-- One active question per stem in a bank (stem_key: the stem with whitespace collapsed).
CREATE UNIQUE INDEX questions_bank_stem ON questions(bank_id, stem_key) WHERE status = 'active';
CREATE INDEX questions_bank ON questions(bank_id, status);
CREATE INDEX questions_import ON questions(import_id) WHERE import_id IS NOT NULL;

CREATE TABLE question_versions (
  id           INTEGER PRIMARY KEY,
  question_id  INTEGER NOT NULL REFERENCES questions(id),
  number       INTEGER NOT NULL,
  type         TEXT NOT NULL CHECK (type IN ('single', 'multiple', 'true_false')),
  stem         TEXT NOT NULL,
  options_json TEXT NOT NULL,
  answer_json  TEXT NOT NULL,
  explanation  TEXT NOT NULL DEFAULT '',
  tags_json    TEXT NOT NULL DEFAULT '[]',
  difficulty   INTEGER,
  created_by   INTEGER REFERENCES users(id),
  created_at   TEXT NOT NULL,
  UNIQUE (question_id, number)
);
