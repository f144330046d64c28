-- hr dashboard figures for today or a later date, kept by triggers (issue 14): every assigned
-- enrollment gets a *status key* — what its certification status as of any such date depends on —
-- and a per-(branch, course) tally counts enrollments per key, so a subtree's figures are one sum
-- over its branches' tallies with the status decided for the asked date in the query.
--
-- The key (server/reports/status-tallies.repository.ts resolves it; the rules are
-- server/certification/status-rules.ts), for an as-of date D not before today, so that every
-- stored record has already happened by then:
--   expiry    the latest expiry of the (user, course)'s unrevoked certificates, '' when none:
--             D ≤ expiry → certified, or expiring inside the window; after it → lapsed
--   due       the due date when it can still matter ('' when none, or when a certificate
--             expiring later met it): D after it → overdue
--   progress  without any unrevoked certificate, the cycle's outcome as a status (4 in_progress,
--             5 failed, 6 not_started; indexes of CERTIFICATION_STATUSES); 6 when a certificate exists
--   left_on   '' for people at work, else the day they left ('0000-00-00' when unknown): not
--             counted from that day on
-- Dates keep the form they are stored in (a bare local date or an ISO-8601 UTC instant); the
-- resolving query compares each form with the as-of day's date or last instant, as reports do.
CREATE VIEW enrollment_status_source AS
SELECT s.enrollment_id, s.user_id, s.branch_id, s.course_id, s.expiry,
  CASE WHEN s.due_at IS NULL OR (s.expiry <> '' AND substr(s.due_at, 1, 10) < substr(s.expiry, 1, 10)) THEN '' ELSE s.due_at END AS due,
  CASE
    WHEN s.expiry <> '' THEN 6
    WHEN s.exam_on IS NULL THEN CASE
      WHEN NOT (s.a_started IS NOT NULL AND s.a_started > ifnull(s.revoked, '')) THEN 6
      WHEN s.a_finished IS NULL OR s.a_success = 'passed' OR (s.a_success <> 'failed' AND s.a_completion = 'completed') THEN 4
      ELSE 5 END
    WHEN NOT (s.x_started IS NOT NULL AND s.x_started > ifnull(s.revoked, '')) THEN CASE WHEN (s.a_started IS NOT NULL AND s.a_started > ifnull(s.revoked, '')) THEN 4 ELSE 6 END
    WHEN s.x_submitted IS NULL OR s.x_passed = 1 THEN 4
    WHEN (s.a_started IS NOT NULL AND s.a_started > ifnull(s.revoked, '')) AND s.a_started > s.x_started AND s.a_finished IS NULL THEN 4
    ELSE 5
  END AS progress,
  s.left_on
FROM (
  SELECT e.id AS enrollment_id, e.user_id, u.branch_id, e.course_id, e.due_at,
    ifnull((SELECT max(c.expires_at) FROM certificates c WHERE c.user_id = e.user_id AND c.course_id = e.course_id AND c.revoked_at IS NULL), '') AS expiry,
    a.started_at AS a_started, a.finished_at AS a_finished, a.success_status AS a_success, a.completion_status AS a_completion,
    -- A revocation starts a new cycle: only attempts started after the latest one decide.
    (SELECT max(c.revoked_at) FROM certificates c WHERE c.user_id = e.user_id AND c.course_id = e.course_id) AS revoked,
    ce.course_id AS exam_on, x.started_at AS x_started, x.submitted_at AS x_submitted, x.passed AS x_passed,
    CASE WHEN u.status = 'left' THEN ifnull(u.left_at, '0000-00-00') ELSE '' END AS left_on
  FROM enrollments e
  JOIN users u ON u.id = e.user_id
  LEFT JOIN attempts a ON a.id = (SELECT y.id FROM attempts y WHERE y.enrollment_id = e.id ORDER BY y.number DESC LIMIT 1)
  LEFT JOIN course_exams ce ON ce.course_id = e.course_id AND ce.is_enabled = 1
  LEFT JOIN exam_attempts x ON ce.course_id IS NOT NULL AND x.id = (SELECT z.id FROM exam_attempts z
    WHERE z.user_id = e.user_id AND z.course_id = e.course_id ORDER BY z.number DESC LIMIT 1)
  WHERE e.source <> 'self' AND u.branch_id IS NOT NULL
) s;

-- One key per assigned enrollment (the dashboard's source of truth for today's figures).
CREATE TABLE status_keys (
  enrollment_id INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL,
  branch_id     INTEGER NOT NULL,
  course_id     INTEGER NOT NULL,
  expiry        TEXT NOT NULL,
  due           TEXT NOT NULL,
  progress      INTEGER NOT NULL,
  left_on       TEXT NOT NULL
);
CREATE INDEX status_keys_user ON status_keys(user_id);
CREATE INDEX status_keys_course ON status_keys(course_id);

-- Enrollments per (branch, course, key).
CREATE TABLE status_tallies (
  branch_id INTEGER NOT NULL,
  course_id INTEGER NOT NULL,
  expiry    TEXT NOT NULL,
  due       TEXT NOT NULL,
  progress  INTEGER NOT NULL,
  left_on   TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (branch_id, course_id, expiry, due, progress, left_on)
) WITHOUT ROWID;

-- People per (branch, key): headcount, and per-person compliance (every assigned course
-- certified). courses: how many assigned enrollments; min_expiry: the earliest of their keys'
-- expiry ('' when one has no certificate), so a person is compliant on D when D ≤ min_expiry.
CREATE VIEW person_status_source AS
SELECT u.id AS user_id, u.branch_id,
  CASE WHEN u.status = 'left' THEN ifnull(u.left_at, '0000-00-00') ELSE '' END AS left_on,
  (SELECT COUNT(*) FROM status_keys k WHERE k.user_id = u.id) AS courses,
  ifnull((SELECT min(k.expiry) FROM status_keys k WHERE k.user_id = u.id), '') AS min_expiry
FROM users u WHERE u.branch_id IS NOT NULL;

CREATE TABLE person_keys (
  user_id    INTEGER PRIMARY KEY,
  branch_id  INTEGER NOT NULL,
  left_on    TEXT NOT NULL,
  courses    INTEGER NOT NULL,
  min_expiry TEXT NOT NULL
);

CREATE TABLE person_tallies (
  branch_id   INTEGER NOT NULL,
  left_on     TEXT NOT NULL,
  has_courses INTEGER NOT NULL,
  min_expiry  TEXT NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (branch_id, left_on, has_courses, min_expiry)
) WITHOUT ROWID;

-- While `lms rebuild-aggregates` recounts everything at once, the keys' own triggers stand aside.
CREATE TABLE status_tallies_rebuilding (since TEXT NOT NULL);

-- Backfill (the same recount as `lms rebuild-aggregates`), before the triggers exist.
INSERT INTO status_keys SELECT * FROM enrollment_status_source;
INSERT INTO status_tallies (branch_id, course_id, expiry, due, progress, left_on, n)
  SELECT branch_id, course_id, expiry, due, progress, left_on, COUNT(*) FROM status_keys GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO person_keys SELECT * FROM person_status_source;
INSERT INTO person_tallies (branch_id, left_on, has_courses, min_expiry, n)
  SELECT branch_id, left_on, courses > 0, min_expiry, COUNT(*) FROM person_keys GROUP BY 1, 2, 3, 4;

-- Keys feed the tallies.
CREATE TRIGGER status_keys_tally_insert AFTER INSERT ON status_keys
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) BEGIN
  INSERT INTO status_tallies (branch_id, course_id, expiry, due, progress, left_on, n)
  VALUES (NEW.branch_id, NEW.course_id, NEW.expiry, NEW.due, NEW.progress, NEW.left_on, 1)
  ON CONFLICT (branch_id, course_id, expiry, due, progress, left_on) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER status_keys_tally_delete AFTER DELETE ON status_keys
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) BEGIN
  UPDATE status_tallies SET n = n - 1 WHERE (branch_id, course_id, expiry, due, progress, left_on)
    = (OLD.branch_id, OLD.course_id, OLD.expiry, OLD.due, OLD.progress, OLD.left_on);
  DELETE FROM status_tallies WHERE n <= 0 AND (branch_id, course_id, expiry, due, progress, left_on)
    = (OLD.branch_id, OLD.course_id, OLD.expiry, OLD.due, OLD.progress, OLD.left_on);
END;
CREATE TRIGGER person_keys_tally_insert AFTER INSERT ON person_keys
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) BEGIN
  INSERT INTO person_tallies (branch_id, left_on, has_courses, min_expiry, n)
  VALUES (NEW.branch_id, NEW.left_on, NEW.courses > 0, NEW.min_expiry, 1)
  ON CONFLICT (branch_id, left_on, has_courses, min_expiry) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER person_keys_tally_delete AFTER DELETE ON person_keys
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) BEGIN
  UPDATE person_tallies SET n = n - 1
    WHERE (branch_id, left_on, has_courses, min_expiry) = (OLD.branch_id, OLD.left_on, OLD.courses > 0, OLD.min_expiry);
  DELETE FROM person_tallies WHERE n <= 0
    AND (branch_id, left_on, has_courses, min_expiry) = (OLD.branch_id, OLD.left_on, OLD.courses > 0, OLD.min_expiry);
END;

-- A changed enrollment key changes its person's key.
CREATE TRIGGER status_keys_person_insert AFTER INSERT ON status_keys
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) BEGIN
  DELETE FROM person_keys WHERE user_id = NEW.user_id;
  INSERT INTO person_keys SELECT * FROM person_status_source WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER status_keys_person_delete AFTER DELETE ON status_keys
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) BEGIN
  DELETE FROM person_keys WHERE user_id = OLD.user_id;
  INSERT INTO person_keys SELECT * FROM person_status_source WHERE user_id = OLD.user_id;
END;

-- Writers of the facts refresh the keys they touch (delete, then recompute from the records).
CREATE TRIGGER enrollments_status_insert AFTER INSERT ON enrollments BEGIN
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id = NEW.id;
END;
CREATE TRIGGER enrollments_status_delete AFTER DELETE ON enrollments BEGIN
  DELETE FROM status_keys WHERE enrollment_id = OLD.id;
END;
CREATE TRIGGER enrollments_status_update AFTER UPDATE OF user_id, course_id, due_at, source ON enrollments
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.course_id IS NOT NEW.course_id OR OLD.due_at IS NOT NEW.due_at OR OLD.source IS NOT NEW.source BEGIN
  DELETE FROM status_keys WHERE enrollment_id = NEW.id;
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id = NEW.id;
END;

CREATE TRIGGER certificates_status_insert AFTER INSERT ON certificates BEGIN
  DELETE FROM status_keys WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = NEW.user_id AND course_id = NEW.course_id);
  INSERT INTO status_keys SELECT * FROM enrollment_status_source
    WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = NEW.user_id AND course_id = NEW.course_id);
END;
CREATE TRIGGER certificates_status_delete AFTER DELETE ON certificates BEGIN
  DELETE FROM status_keys WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = OLD.user_id AND course_id = OLD.course_id);
  INSERT INTO status_keys SELECT * FROM enrollment_status_source
    WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = OLD.user_id AND course_id = OLD.course_id);
END;
CREATE TRIGGER certificates_status_update AFTER UPDATE OF user_id, course_id, expires_at, revoked_at ON certificates
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.course_id IS NOT NEW.course_id OR OLD.expires_at IS NOT NEW.expires_at OR OLD.revoked_at IS NOT NEW.revoked_at BEGIN
  DELETE FROM status_keys WHERE enrollment_id IN (SELECT id FROM enrollments
    WHERE (user_id = OLD.user_id AND course_id = OLD.course_id) OR (user_id = NEW.user_id AND course_id = NEW.course_id));
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id IN (SELECT id FROM enrollments
    WHERE (user_id = OLD.user_id AND course_id = OLD.course_id) OR (user_id = NEW.user_id AND course_id = NEW.course_id));
END;

CREATE TRIGGER attempts_status_insert AFTER INSERT ON attempts BEGIN
  DELETE FROM status_keys WHERE enrollment_id = NEW.enrollment_id;
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id = NEW.enrollment_id;
END;
CREATE TRIGGER attempts_status_delete AFTER DELETE ON attempts BEGIN
  DELETE FROM status_keys WHERE enrollment_id = OLD.enrollment_id;
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id = OLD.enrollment_id;
END;
-- SCORM commits rewrite an attempt's row often; only a change the key can see costs a refresh.
CREATE TRIGGER attempts_status_update AFTER UPDATE OF enrollment_id, number, started_at, finished_at, completion_status, success_status ON attempts
WHEN OLD.enrollment_id IS NOT NEW.enrollment_id OR OLD.number IS NOT NEW.number OR OLD.started_at IS NOT NEW.started_at
  OR OLD.finished_at IS NOT NEW.finished_at OR OLD.completion_status IS NOT NEW.completion_status OR OLD.success_status IS NOT NEW.success_status BEGIN
  DELETE FROM status_keys WHERE enrollment_id IN (OLD.enrollment_id, NEW.enrollment_id);
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id IN (OLD.enrollment_id, NEW.enrollment_id);
END;

CREATE TRIGGER exam_attempts_status_insert AFTER INSERT ON exam_attempts BEGIN
  DELETE FROM status_keys WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = NEW.user_id AND course_id = NEW.course_id);
  INSERT INTO status_keys SELECT * FROM enrollment_status_source
    WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = NEW.user_id AND course_id = NEW.course_id);
END;
CREATE TRIGGER exam_attempts_status_delete AFTER DELETE ON exam_attempts BEGIN
  DELETE FROM status_keys WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = OLD.user_id AND course_id = OLD.course_id);
  INSERT INTO status_keys SELECT * FROM enrollment_status_source
    WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = OLD.user_id AND course_id = OLD.course_id);
END;
CREATE TRIGGER exam_attempts_status_update AFTER UPDATE OF user_id, course_id, number, started_at, submitted_at, passed ON exam_attempts
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.course_id IS NOT NEW.course_id OR OLD.number IS NOT NEW.number OR OLD.started_at IS NOT NEW.started_at
  OR OLD.submitted_at IS NOT NEW.submitted_at OR OLD.passed IS NOT NEW.passed BEGIN
  DELETE FROM status_keys WHERE enrollment_id IN (SELECT id FROM enrollments
    WHERE (user_id = OLD.user_id AND course_id = OLD.course_id) OR (user_id = NEW.user_id AND course_id = NEW.course_id));
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id IN (SELECT id FROM enrollments
    WHERE (user_id = OLD.user_id AND course_id = OLD.course_id) OR (user_id = NEW.user_id AND course_id = NEW.course_id));
END;

-- Turning a course's exam on or off changes how every enrollment of it is read (rare, course-wide).
CREATE TRIGGER course_exams_status_insert AFTER INSERT ON course_exams BEGIN
  DELETE FROM status_keys WHERE course_id = NEW.course_id;
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE course_id = NEW.course_id;
END;
CREATE TRIGGER course_exams_status_delete AFTER DELETE ON course_exams BEGIN
  DELETE FROM status_keys WHERE course_id = OLD.course_id;
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE course_id = OLD.course_id;
END;
CREATE TRIGGER course_exams_status_update AFTER UPDATE OF course_id, is_enabled ON course_exams
WHEN OLD.course_id IS NOT NEW.course_id OR OLD.is_enabled IS NOT NEW.is_enabled BEGIN
  DELETE FROM status_keys WHERE course_id IN (OLD.course_id, NEW.course_id);
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE course_id IN (OLD.course_id, NEW.course_id);
END;

-- People: a new hire, a move between branches, a leaver.
CREATE TRIGGER users_status_insert AFTER INSERT ON users BEGIN
  INSERT INTO person_keys SELECT * FROM person_status_source WHERE user_id = NEW.id;
END;
CREATE TRIGGER users_status_delete AFTER DELETE ON users BEGIN
  DELETE FROM person_keys WHERE user_id = OLD.id;
END;
CREATE TRIGGER users_status_update AFTER UPDATE OF branch_id, status, left_at ON users
WHEN OLD.branch_id IS NOT NEW.branch_id OR OLD.status IS NOT NEW.status OR OLD.left_at IS NOT NEW.left_at BEGIN
  DELETE FROM status_keys WHERE user_id = NEW.id;
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE user_id = NEW.id;
  DELETE FROM person_keys WHERE user_id = NEW.id;
  INSERT INTO person_keys SELECT * FROM person_status_source WHERE user_id = NEW.id;
END;
