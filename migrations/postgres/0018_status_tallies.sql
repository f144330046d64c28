-- PostgreSQL twin of ../0018_status_tallies.sql: the same views, keys and tallies, kept by plpgsql
-- triggers inside the writer's transaction (the key is explained in the SQLite file). Differences
-- from SQLite, none of them visible in the rows:
--  * dates are compared and ordered bytewise (COLLATE "C", as SQLite's BINARY does), whatever the
--    database's collation; the key columns are "C" so the dashboard's comparisons are too;
--  * the "rebuild in progress" test sits in the trigger functions (a WHEN cannot hold a subquery),
--    and rebuild_status_tallies() also sets a transaction-local setting the triggers' WHEN reads,
--    so a recount does not call a function per key it writes;
--  * each table's triggers share one function per table, which branches on TG_OP;
--  * AFTER ROW triggers run when their statement ends, so a multi-row write refreshes a key from
--    the finished statement (SQLite refreshes it row by row, and its last refresh sees the same);
--  * COUNT(*) is cast to integer and `courses > 0` to 0/1, as SQLite stores them;
--  * writers run at once here (SQLite has one writer at a time): every refresh first locks the
--    users rows of the people whose keys it touches (FOR NO KEY UPDATE, in id order; row locks, so
--    a bulk write does not fill the lock table), so a second transaction changing the same person's
--    records waits for the first to commit and then recomputes from what it committed, instead of
--    failing on the key it did not see inserted. Turning a course's exam on or off locks the keys
--    table instead (every writer waits; it is rare and course-wide).
--    Tally rows are shared by everyone in a (branch, course): two writers crossing the same two
--    tally rows in opposite directions can still deadlock, and PostgreSQL then aborts one of them
--    (SQLSTATE 40P01), which its caller retries like any serialization failure.
-- rebuild_status_tallies() is the recount `lms rebuild-aggregates` runs (SQLite's is in
-- server/reports/status-tallies.repository.ts); it is also the backfill below.
CREATE VIEW enrollment_status_source AS
SELECT s.enrollment_id, s.user_id, s.branch_id, s.course_id, s.expiry,
  CASE WHEN s.due_at IS NULL OR (s.expiry <> '' AND substr(s.due_at, 1, 10) COLLATE "C" < substr(s.expiry, 1, 10) COLLATE "C") THEN '' ELSE s.due_at END AS due,
  CASE
    WHEN s.expiry <> '' THEN 6
    WHEN s.exam_on IS NULL THEN CASE
      WHEN NOT (s.a_started IS NOT NULL AND s.a_started COLLATE "C" > COALESCE(s.revoked, '') COLLATE "C") THEN 6
      WHEN s.a_finished IS NULL OR s.a_success = 'passed' OR (s.a_success <> 'failed' AND s.a_completion = 'completed') THEN 4
      ELSE 5 END
    WHEN NOT (s.x_started IS NOT NULL AND s.x_started COLLATE "C" > COALESCE(s.revoked, '') COLLATE "C") THEN
      CASE WHEN (s.a_started IS NOT NULL AND s.a_started COLLATE "C" > COALESCE(s.revoked, '') COLLATE "C") THEN 4 ELSE 6 END
    WHEN s.x_submitted IS NULL OR s.x_passed = 1 THEN 4
    WHEN (s.a_started IS NOT NULL AND s.a_started COLLATE "C" > COALESCE(s.revoked, '') COLLATE "C")
      AND s.a_started COLLATE "C" > s.x_started COLLATE "C" AND s.a_finished IS NULL THEN 4
    ELSE 5
  END AS progress,
  s.left_on
FROM (
  SELECT e.id AS enrollment_id, e.user_id, u.branch_id, e.course_id, e.due_at,
    COALESCE(cert.expiry, '') AS expiry,
    a.started_at AS a_started, a.finished_at AS a_finished, a.success_status AS a_success, a.completion_status AS a_completion,
    -- A revocation starts a new cycle: only attempts started after the latest one decide.
    cert.revoked,
    ce.course_id AS exam_on, x.started_at AS x_started, x.submitted_at AS x_submitted, x.passed AS x_passed,
    CASE WHEN u.status = 'left' THEN COALESCE(u.left_at, '0000-00-00') ELSE '' END AS left_on
  FROM enrollments e
  JOIN users u ON u.id = e.user_id
  -- LATERAL joins rather than SQLite's scalar subqueries: the same rows, each looked up once per
  -- enrollment however often the CASEs above read it.
  CROSS JOIN LATERAL (SELECT max(c.expires_at COLLATE "C") FILTER (WHERE c.revoked_at IS NULL) AS expiry, max(c.revoked_at COLLATE "C") AS revoked
    FROM certificates c WHERE c.user_id = e.user_id AND c.course_id = e.course_id) cert
  LEFT JOIN LATERAL (SELECT y.started_at, y.finished_at, y.success_status, y.completion_status FROM attempts y
    WHERE y.enrollment_id = e.id ORDER BY y.number DESC LIMIT 1) a ON true
  LEFT JOIN course_exams ce ON ce.course_id = e.course_id AND ce.is_enabled = 1
  LEFT JOIN LATERAL (SELECT z.started_at, z.submitted_at, z.passed FROM exam_attempts z
    WHERE ce.course_id IS NOT NULL AND z.user_id = e.user_id AND z.course_id = e.course_id ORDER BY z.number DESC LIMIT 1) x ON true
  WHERE e.source <> 'self' AND u.branch_id IS NOT NULL
) s;

-- One key per assigned enrollment (the dashboard's source of truth for today's figures).
CREATE TABLE status_keys (
  enrollment_id integer PRIMARY KEY,
  user_id       integer NOT NULL,
  branch_id     integer NOT NULL,
  course_id     integer NOT NULL,
  expiry        text COLLATE "C" NOT NULL,
  due           text COLLATE "C" NOT NULL,
  progress      integer NOT NULL,
  left_on       text COLLATE "C" NOT NULL
);
CREATE INDEX status_keys_user ON status_keys(user_id);
CREATE INDEX status_keys_course ON status_keys(course_id);

-- Enrollments per (branch, course, key).
CREATE TABLE status_tallies (
  branch_id integer NOT NULL,
  course_id integer NOT NULL,
  expiry    text COLLATE "C" NOT NULL,
  due       text COLLATE "C" NOT NULL,
  progress  integer NOT NULL,
  left_on   text COLLATE "C" NOT NULL,
  n         integer NOT NULL,
  PRIMARY KEY (branch_id, course_id, expiry, due, progress, left_on)
);

-- People per (branch, key): headcount, and per-person compliance (every assigned course
-- certified). courses: how many assigned enrollments; min_expiry: the earliest of their keys'
-- expiry ('' when one has no certificate), so a person is compliant on D when D ≤ min_expiry.
CREATE VIEW person_status_source AS
SELECT u.id AS user_id, u.branch_id,
  CASE WHEN u.status = 'left' THEN COALESCE(u.left_at, '0000-00-00') ELSE '' END AS left_on,
  (SELECT COUNT(*) FROM status_keys k WHERE k.user_id = u.id)::integer AS courses,
  COALESCE((SELECT min(k.expiry) FROM status_keys k WHERE k.user_id = u.id), '') AS min_expiry
FROM users u WHERE u.branch_id IS NOT NULL;

CREATE TABLE person_keys (
  user_id    integer PRIMARY KEY,
  branch_id  integer NOT NULL,
  left_on    text COLLATE "C" NOT NULL,
  courses    integer NOT NULL,
  min_expiry text COLLATE "C" NOT NULL
);

CREATE TABLE person_tallies (
  branch_id   integer NOT NULL,
  left_on     text COLLATE "C" NOT NULL,
  has_courses integer NOT NULL,
  min_expiry  text COLLATE "C" NOT NULL,
  n           integer NOT NULL,
  PRIMARY KEY (branch_id, left_on, has_courses, min_expiry)
);

-- While `lms rebuild-aggregates` recounts everything at once, the keys' own triggers stand aside.
CREATE TABLE status_tallies_rebuilding (since text NOT NULL);

-- The recount (`lms rebuild-aggregates`, and the backfill below): the same statements as SQLite's
-- rebuild, in the caller's transaction. Takes the tables' locks first so writers wait rather than
-- interleave with the recount.
CREATE FUNCTION rebuild_status_tallies() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE status_keys, status_tallies, person_keys, person_tallies, status_tallies_rebuilding IN EXCLUSIVE MODE;
  -- The keys' triggers skip their call by this transaction-local setting (a WHEN cannot read the table).
  PERFORM set_config('lms.rebuilding_status_tallies', 'on', true);
  INSERT INTO status_tallies_rebuilding (since) VALUES (to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  DELETE FROM status_keys;
  DELETE FROM status_tallies;
  DELETE FROM person_keys;
  DELETE FROM person_tallies;
  INSERT INTO status_keys SELECT * FROM enrollment_status_source;
  INSERT INTO status_tallies (branch_id, course_id, expiry, due, progress, left_on, n)
    SELECT branch_id, course_id, expiry, due, progress, left_on, COUNT(*) FROM status_keys GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO person_keys SELECT * FROM person_status_source;
  INSERT INTO person_tallies (branch_id, left_on, has_courses, min_expiry, n)
    SELECT branch_id, left_on, (courses > 0)::integer, min_expiry, COUNT(*) FROM person_keys GROUP BY 1, 2, 3, 4;
  DELETE FROM status_tallies_rebuilding;
  PERFORM set_config('lms.rebuilding_status_tallies', '', true);
END $$;

-- Backfill, before the triggers exist.
SELECT rebuild_status_tallies();

-- Makes other transactions' refreshes of these people wait until this transaction ends.
CREATE FUNCTION status_keys_lock_people(p_users integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM users WHERE id = ANY (p_users) ORDER BY id FOR NO KEY UPDATE;
END $$;

-- Recomputes a person's key from their enrollment keys (and the person's row).
CREATE FUNCTION person_keys_refresh(p_user integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM status_keys_lock_people(ARRAY[p_user]);
  DELETE FROM person_keys WHERE user_id = p_user;
  INSERT INTO person_keys SELECT * FROM person_status_source WHERE user_id = p_user;
END $$;

-- Keys feed the tallies; a changed enrollment key changes its person's key.
CREATE FUNCTION status_keys_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM status_tallies_rebuilding) THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO status_tallies (branch_id, course_id, expiry, due, progress, left_on, n)
    VALUES (NEW.branch_id, NEW.course_id, NEW.expiry, NEW.due, NEW.progress, NEW.left_on, 1)
    ON CONFLICT (branch_id, course_id, expiry, due, progress, left_on) DO UPDATE SET n = status_tallies.n + 1;
    PERFORM person_keys_refresh(NEW.user_id);
  ELSE
    UPDATE status_tallies SET n = n - 1 WHERE (branch_id, course_id, expiry, due, progress, left_on)
      = (OLD.branch_id, OLD.course_id, OLD.expiry, OLD.due, OLD.progress, OLD.left_on);
    DELETE FROM status_tallies WHERE n <= 0 AND (branch_id, course_id, expiry, due, progress, left_on)
      = (OLD.branch_id, OLD.course_id, OLD.expiry, OLD.due, OLD.progress, OLD.left_on);
    PERFORM person_keys_refresh(OLD.user_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER status_keys_tally AFTER INSERT OR DELETE ON status_keys FOR EACH ROW
WHEN (current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION status_keys_tally();

CREATE FUNCTION person_keys_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM status_tallies_rebuilding) THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO person_tallies (branch_id, left_on, has_courses, min_expiry, n)
    VALUES (NEW.branch_id, NEW.left_on, (NEW.courses > 0)::integer, NEW.min_expiry, 1)
    ON CONFLICT (branch_id, left_on, has_courses, min_expiry) DO UPDATE SET n = person_tallies.n + 1;
  ELSE
    UPDATE person_tallies SET n = n - 1
      WHERE (branch_id, left_on, has_courses, min_expiry) = (OLD.branch_id, OLD.left_on, (OLD.courses > 0)::integer, OLD.min_expiry);
    DELETE FROM person_tallies WHERE n <= 0
      AND (branch_id, left_on, has_courses, min_expiry) = (OLD.branch_id, OLD.left_on, (OLD.courses > 0)::integer, OLD.min_expiry);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER person_keys_tally AFTER INSERT OR DELETE ON person_keys FOR EACH ROW
WHEN (current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION person_keys_tally();

-- Writers of the facts refresh the keys they touch (delete, then recompute from the records).
CREATE FUNCTION status_keys_refresh(p_enrollments integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM status_keys_lock_people(ARRAY(SELECT user_id FROM enrollments WHERE id = ANY (p_enrollments)
    UNION SELECT user_id FROM status_keys WHERE enrollment_id = ANY (p_enrollments)));
  DELETE FROM status_keys WHERE enrollment_id = ANY (p_enrollments);
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id = ANY (p_enrollments);
END $$;

-- The enrollments of a user's course (none or one: enrollments are unique per pair), for two pairs.
CREATE FUNCTION enrollments_of(p_user integer, p_course integer, p_user2 integer, p_course2 integer) RETURNS integer[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(SELECT id FROM enrollments
    WHERE (user_id = p_user AND course_id = p_course) OR (user_id = p_user2 AND course_id = p_course2))
$$;

CREATE FUNCTION enrollments_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM status_keys_lock_people(ARRAY[NEW.user_id]);
    INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE enrollment_id = NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM status_keys_lock_people(ARRAY[OLD.user_id]);
    DELETE FROM status_keys WHERE enrollment_id = OLD.id;
  ELSE
    PERFORM status_keys_refresh(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER enrollments_status_insert AFTER INSERT ON enrollments FOR EACH ROW EXECUTE FUNCTION enrollments_status();
CREATE TRIGGER enrollments_status_delete AFTER DELETE ON enrollments FOR EACH ROW EXECUTE FUNCTION enrollments_status();
CREATE TRIGGER enrollments_status_update AFTER UPDATE OF user_id, course_id, due_at, source ON enrollments FOR EACH ROW
WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.course_id IS DISTINCT FROM NEW.course_id
  OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.source IS DISTINCT FROM NEW.source)
EXECUTE FUNCTION enrollments_status();

-- Certificates and exam papers belong to a (user, course): they refresh that pair's enrollment
-- (and, when an edit moves them, the pair they left).
CREATE FUNCTION user_course_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM status_keys_refresh(enrollments_of(NEW.user_id, NEW.course_id, NEW.user_id, NEW.course_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM status_keys_refresh(enrollments_of(OLD.user_id, OLD.course_id, OLD.user_id, OLD.course_id));
  ELSE
    PERFORM status_keys_refresh(enrollments_of(OLD.user_id, OLD.course_id, NEW.user_id, NEW.course_id));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER certificates_status_insert AFTER INSERT ON certificates FOR EACH ROW EXECUTE FUNCTION user_course_status();
CREATE TRIGGER certificates_status_delete AFTER DELETE ON certificates FOR EACH ROW EXECUTE FUNCTION user_course_status();
CREATE TRIGGER certificates_status_update AFTER UPDATE OF user_id, course_id, expires_at, revoked_at ON certificates FOR EACH ROW
WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.course_id IS DISTINCT FROM NEW.course_id
  OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
EXECUTE FUNCTION user_course_status();

CREATE FUNCTION attempts_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM status_keys_refresh(ARRAY[NEW.enrollment_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM status_keys_refresh(ARRAY[OLD.enrollment_id]);
  ELSE
    PERFORM status_keys_refresh(ARRAY[OLD.enrollment_id, NEW.enrollment_id]);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER attempts_status_insert AFTER INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION attempts_status();
CREATE TRIGGER attempts_status_delete AFTER DELETE ON attempts FOR EACH ROW EXECUTE FUNCTION attempts_status();
-- SCORM commits rewrite an attempt's row often; only a change the key can see costs a refresh.
CREATE TRIGGER attempts_status_update AFTER UPDATE OF enrollment_id, number, started_at, finished_at, completion_status, success_status ON attempts FOR EACH ROW
WHEN (OLD.enrollment_id IS DISTINCT FROM NEW.enrollment_id OR OLD.number IS DISTINCT FROM NEW.number OR OLD.started_at IS DISTINCT FROM NEW.started_at
  OR OLD.finished_at IS DISTINCT FROM NEW.finished_at OR OLD.completion_status IS DISTINCT FROM NEW.completion_status
  OR OLD.success_status IS DISTINCT FROM NEW.success_status)
EXECUTE FUNCTION attempts_status();

CREATE TRIGGER exam_attempts_status_insert AFTER INSERT ON exam_attempts FOR EACH ROW EXECUTE FUNCTION user_course_status();
CREATE TRIGGER exam_attempts_status_delete AFTER DELETE ON exam_attempts FOR EACH ROW EXECUTE FUNCTION user_course_status();
CREATE TRIGGER exam_attempts_status_update AFTER UPDATE OF user_id, course_id, number, started_at, submitted_at, passed ON exam_attempts FOR EACH ROW
WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.course_id IS DISTINCT FROM NEW.course_id OR OLD.number IS DISTINCT FROM NEW.number
  OR OLD.started_at IS DISTINCT FROM NEW.started_at OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at OR OLD.passed IS DISTINCT FROM NEW.passed)
EXECUTE FUNCTION user_course_status();

-- Turning a course's exam on or off changes how every enrollment of it is read (rare, course-wide).
CREATE FUNCTION course_exams_status() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE courses integer[];
BEGIN
  courses := CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.course_id] WHEN 'DELETE' THEN ARRAY[OLD.course_id] ELSE ARRAY[OLD.course_id, NEW.course_id] END;
  LOCK TABLE status_keys IN EXCLUSIVE MODE;
  DELETE FROM status_keys WHERE course_id = ANY (courses);
  INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE course_id = ANY (courses);
  RETURN NULL;
END $$;
CREATE TRIGGER course_exams_status_insert AFTER INSERT ON course_exams FOR EACH ROW EXECUTE FUNCTION course_exams_status();
CREATE TRIGGER course_exams_status_delete AFTER DELETE ON course_exams FOR EACH ROW EXECUTE FUNCTION course_exams_status();
CREATE TRIGGER course_exams_status_update AFTER UPDATE OF course_id, is_enabled ON course_exams FOR EACH ROW
WHEN (OLD.course_id IS DISTINCT FROM NEW.course_id OR OLD.is_enabled IS DISTINCT FROM NEW.is_enabled)
EXECUTE FUNCTION course_exams_status();

-- People: a new hire, a move between branches, a leaver.
CREATE FUNCTION users_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO person_keys SELECT * FROM person_status_source WHERE user_id = NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM person_keys WHERE user_id = OLD.id;
  ELSE
    -- The person's row is locked by the writing statement itself.
    DELETE FROM status_keys WHERE user_id = NEW.id;
    INSERT INTO status_keys SELECT * FROM enrollment_status_source WHERE user_id = NEW.id;
    PERFORM person_keys_refresh(NEW.id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER users_status_insert AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION users_status();
CREATE TRIGGER users_status_delete AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION users_status();
CREATE TRIGGER users_status_update AFTER UPDATE OF branch_id, status, left_at ON users FOR EACH ROW
WHEN (OLD.branch_id IS DISTINCT FROM NEW.branch_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.left_at IS DISTINCT FROM NEW.left_at)
EXECUTE FUNCTION users_status();
