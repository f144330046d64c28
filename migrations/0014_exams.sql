-- Server-graded exams attached to courses: settings, attempts with the paper as shown, saved
-- answers, and per-question tallies kept in the submission's transaction for item analysis.
CREATE TABLE course_exams (
  course_id          INTEGER PRIMARY KEY REFERENCES courses(id),
  bank_id            INTEGER NOT NULL REFERENCES question_banks(id),
  rules_json         TEXT NOT NULL,
  shuffle_questions  INTEGER NOT NULL DEFAULT 1,
  shuffle_options    INTEGER NOT NULL DEFAULT 1,
  pass_mark          REAL NOT NULL CHECK (pass_mark BETWEEN 0 AND 100),
  time_limit_minutes INTEGER NOT NULL CHECK (time_limit_minutes BETWEEN 1 AND 600),
  attempts_per_cycle INTEGER CHECK (attempts_per_cycle IS NULL OR attempts_per_cycle >= 1),
  review_policy      TEXT NOT NULL DEFAULT 'score_only' CHECK (review_policy IN ('score_only', 'after_submit', 'after_pass')),
  requires_lessons   INTEGER NOT NULL DEFAULT 1,
  is_enabled         INTEGER NOT NULL DEFAULT 1,
  updated_by         INTEGER REFERENCES users(id),
  updated_at         TEXT NOT NULL
);

CREATE TABLE exam_attempts (
  id             INTEGER PRIMARY KEY,
  course_id      INTEGER NOT NULL REFERENCES courses(id),
  user_id        INTEGER NOT NULL REFERENCES users(id),
  number         INTEGER NOT NULL,
  started_at     TEXT NOT NULL,
  deadline       TEXT NOT NULL,
  submitted_at   TEXT,
  submitted_by   TEXT CHECK (submitted_by IS NULL OR submitted_by IN ('learner', 'deadline')),
  question_count INTEGER NOT NULL,
  correct_count  INTEGER,
  score          REAL,
  passed         INTEGER,
  pass_mark      REAL NOT NULL,
  review_policy  TEXT NOT NULL,
  UNIQUE (user_id, course_id, number)
);
-- Never two running papers for one learner and course (a second tab gets the same one).
CREATE UNIQUE INDEX exam_attempts_running ON exam_attempts(user_id, course_id) WHERE submitted_at IS NULL;
CREATE INDEX exam_attempts_deadline ON exam_attempts(deadline) WHERE submitted_at IS NULL;
CREATE INDEX exam_attempts_course ON exam_attempts(course_id, submitted_at);

-- The paper as shown: a snapshot of each question version, options in the order shown with
-- per-attempt ids, the correct option ids (never sent before submission), and the answer given.
CREATE TABLE exam_attempt_questions (
  attempt_id   INTEGER NOT NULL REFERENCES exam_attempts(id),
  question_id  INTEGER NOT NULL REFERENCES questions(id),
  position     INTEGER NOT NULL,
  version_id   INTEGER NOT NULL REFERENCES question_versions(id),
  type         TEXT NOT NULL,
  stem         TEXT NOT NULL,
  options_json TEXT NOT NULL,
  correct_json TEXT NOT NULL,
  explanation  TEXT NOT NULL,
  tags_json    TEXT NOT NULL,
  answer_json  TEXT,
  answered_at  TEXT,
  is_correct   INTEGER,
  PRIMARY KEY (attempt_id, question_id)
) WITHOUT ROWID;

-- Item analysis tallies per course and question, added to by each submission in its transaction.
-- Point-biserial discrimination comes from the maintained sums (see server/exams/item-analysis.ts).
CREATE TABLE exam_item_stats (
  course_id         INTEGER NOT NULL REFERENCES courses(id),
  question_id       INTEGER NOT NULL REFERENCES questions(id),
  shown             INTEGER NOT NULL DEFAULT 0,
  answered          INTEGER NOT NULL DEFAULT 0,
  correct           INTEGER NOT NULL DEFAULT 0,
  sum_score         REAL NOT NULL DEFAULT 0,
  sum_score_sq      REAL NOT NULL DEFAULT 0,
  sum_score_correct REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (course_id, question_id)
) WITHOUT ROWID;

-- How often each wrong response (original option letters, e.g. 'AC') was given.
CREATE TABLE exam_item_responses (
  course_id   INTEGER NOT NULL,
  question_id INTEGER NOT NULL,
  response    TEXT NOT NULL,
  count       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (course_id, question_id, response)
) WITHOUT ROWID;

-- A certificate earned by an exam pass names the exam attempt (its SCORM attempt, if any, stays in attempt_id).
ALTER TABLE certificates ADD COLUMN exam_attempt_id INTEGER REFERENCES exam_attempts(id);
