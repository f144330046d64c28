-- PostgreSQL twin of ../0020_status_rollups.sql: the status tallies (0018) rolled up into every
-- ancestor branch by plpgsql triggers on the tallies (the split into expiry, due and whole keys is
-- explained in the SQLite file). Differences from SQLite, none of them visible in the rows' sums:
--  * the ancestors of a path and "this tally row is kept whole" are two IMMUTABLE SQL functions
--    instead of the expressions SQLite repeats in every trigger;
--  * one function adds tally rows (an array of them, times +1 or -1) to the rollups, used by the
--    tallies' triggers, the branch move and the recount; it sums the rows per rollup key before
--    its INSERT … ON CONFLICT (PostgreSQL refuses to update one row twice in a statement; SQLite
--    adds the rows one by one to the same total);
--  * the "rebuild in progress" test sits in the trigger functions, with the transaction-local
--    setting of rebuild_status_tallies() in the triggers' WHEN, as in 0018;
--  * rebuild_status_tallies() is replaced by one that also recounts the rollups (as SQLite's
--    rebuild does); rebuild_status_rollups() recounts them alone (and is the backfill below);
--  * rows at 0 stay, as in SQLite, but which ones exist can differ: AFTER ROW triggers run when
--    their statement ends, so a multi-row write passes through fewer intermediate keys here. Only
--    rows with n <> 0 are the same rows on both.
-- Writers run at once here: a rollup row is shared by a whole subtree, so writers of one course's
-- keys with the same day wait for each other at the top branches until commit, and two of them
-- crossing the same rows in opposite order can deadlock (SQLSTATE 40P01, retried by the caller as
-- in 0018).
CREATE FUNCTION branch_path_ids(p_path text) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_path ~ '^/[0-9].*/$' THEN string_to_array(substr(p_path, 2, length(p_path) - 2), '/')::integer[] ELSE '{}'::integer[] END
$$;

CREATE VIEW branch_ancestors AS
SELECT b.id AS branch_id, a.ancestor_id FROM branches b CROSS JOIN LATERAL unnest(branch_path_ids(b.path)) AS a(ancestor_id);

-- Leavers, and keys whose due and expiry fall on one day with an instant among them: rolled up whole.
CREATE FUNCTION status_rollup_whole(p_left_on text, p_expiry text, p_due text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT p_left_on <> '' OR (p_expiry <> '' AND p_due <> '' AND (substr(p_due, 1, 10) COLLATE "C" < substr(p_expiry, 1, 10) COLLATE "C"
    OR (substr(p_due, 1, 10) = substr(p_expiry, 1, 10) AND (length(p_expiry) <> 10 OR length(p_due) <> 10))))
$$;

CREATE TABLE status_expiry_rollups (
  branch_id integer NOT NULL,
  course_id integer NOT NULL,
  expiry    text COLLATE "C" NOT NULL,
  n         integer NOT NULL,
  PRIMARY KEY (branch_id, course_id, expiry)
);

CREATE TABLE status_due_rollups (
  branch_id integer NOT NULL,
  course_id integer NOT NULL,
  due       text COLLATE "C" NOT NULL,
  progress  integer NOT NULL,
  n         integer NOT NULL,
  PRIMARY KEY (branch_id, course_id, due, progress)
);

CREATE TABLE status_joint_rollups (
  branch_id integer NOT NULL,
  left_on   text COLLATE "C" NOT NULL,
  course_id integer NOT NULL,
  expiry    text COLLATE "C" NOT NULL,
  due       text COLLATE "C" NOT NULL,
  progress  integer NOT NULL,
  n         integer NOT NULL,
  PRIMARY KEY (branch_id, left_on, course_id, expiry, due, progress)
);

CREATE TABLE person_rollups (
  branch_id   integer NOT NULL,
  left_on     text COLLATE "C" NOT NULL,
  has_courses integer NOT NULL,
  min_expiry  text COLLATE "C" NOT NULL,
  n           integer NOT NULL,
  PRIMARY KEY (branch_id, left_on, has_courses, min_expiry)
);

-- Adds tally rows, times p_sign, to the rollups of the given ancestors.
CREATE FUNCTION status_rollups_add(p_ancestors integer[], p_tallies status_tallies[], p_sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO status_expiry_rollups (branch_id, course_id, expiry, n)
    SELECT a, t.course_id, t.expiry, (p_sign * SUM(t.n))::integer FROM unnest(p_ancestors) a, unnest(p_tallies) t
    WHERE t.expiry <> '' AND NOT status_rollup_whole(t.left_on, t.expiry, t.due) GROUP BY 1, 2, 3
    ON CONFLICT (branch_id, course_id, expiry) DO UPDATE SET n = status_expiry_rollups.n + excluded.n;
  INSERT INTO status_due_rollups (branch_id, course_id, due, progress, n)
    SELECT a, t.course_id, t.due, CASE WHEN t.expiry <> '' THEN 7 ELSE t.progress END, (p_sign * SUM(t.n))::integer
    FROM unnest(p_ancestors) a, unnest(p_tallies) t
    WHERE NOT status_rollup_whole(t.left_on, t.expiry, t.due) GROUP BY 1, 2, 3, 4
    ON CONFLICT (branch_id, course_id, due, progress) DO UPDATE SET n = status_due_rollups.n + excluded.n;
  INSERT INTO status_joint_rollups (branch_id, left_on, course_id, expiry, due, progress, n)
    SELECT a, t.left_on, t.course_id, t.expiry, t.due, t.progress, (p_sign * SUM(t.n))::integer FROM unnest(p_ancestors) a, unnest(p_tallies) t
    WHERE status_rollup_whole(t.left_on, t.expiry, t.due) GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (branch_id, left_on, course_id, expiry, due, progress) DO UPDATE SET n = status_joint_rollups.n + excluded.n;
END $$;

CREATE FUNCTION person_rollups_add(p_ancestors integer[], p_tallies person_tallies[], p_sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_rollups (branch_id, left_on, has_courses, min_expiry, n)
    SELECT a, p.left_on, p.has_courses, p.min_expiry, (p_sign * SUM(p.n))::integer FROM unnest(p_ancestors) a, unnest(p_tallies) p
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (branch_id, left_on, has_courses, min_expiry) DO UPDATE SET n = person_rollups.n + excluded.n;
END $$;

-- The recount from the tallies (the backfill below, and part of rebuild_status_tallies()).
CREATE FUNCTION rebuild_status_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE status_tallies, person_tallies, status_expiry_rollups, status_due_rollups, status_joint_rollups, person_rollups IN EXCLUSIVE MODE;
  DELETE FROM status_expiry_rollups;
  DELETE FROM status_due_rollups;
  DELETE FROM status_joint_rollups;
  DELETE FROM person_rollups;
  PERFORM status_rollups_add(branch_path_ids(b.path), ARRAY(SELECT t FROM status_tallies t WHERE t.branch_id = b.id), 1),
    person_rollups_add(branch_path_ids(b.path), ARRAY(SELECT p FROM person_tallies p WHERE p.branch_id = b.id), 1)
  FROM branches b ORDER BY b.id;
END $$;

-- Backfill, before the triggers exist.
SELECT rebuild_status_rollups();

-- 0018's recount, now recounting the rollups too (before the tallies' triggers come back).
CREATE OR REPLACE FUNCTION rebuild_status_tallies() RETURNS void LANGUAGE plpgsql AS $$
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
  PERFORM rebuild_status_rollups();
  DELETE FROM status_tallies_rebuilding;
  PERFORM set_config('lms.rebuilding_status_tallies', '', true);
END $$;

-- A tally row's count changes: its ancestors' rollups change by the difference (the tallies'
-- triggers insert a key's row, add to or take from its n, and delete it at 0; they never rewrite a
-- key, so an update is read at NEW's key, as in SQLite).
CREATE FUNCTION status_tallies_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed status_tallies;
BEGIN
  IF EXISTS (SELECT 1 FROM status_tallies_rebuilding) THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    changed := OLD;
    changed.n := -OLD.n;
  ELSE
    changed := NEW;
    IF TG_OP = 'UPDATE' THEN changed.n := NEW.n - OLD.n; END IF;
  END IF;
  PERFORM status_rollups_add((SELECT branch_path_ids(path) FROM branches WHERE id = changed.branch_id), ARRAY[changed], 1);
  RETURN NULL;
END $$;
CREATE TRIGGER status_tallies_rollup_insert AFTER INSERT ON status_tallies FOR EACH ROW
WHEN (current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION status_tallies_rollup();
CREATE TRIGGER status_tallies_rollup_count AFTER UPDATE OF n ON status_tallies FOR EACH ROW
WHEN (OLD.n IS DISTINCT FROM NEW.n AND current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION status_tallies_rollup();
CREATE TRIGGER status_tallies_rollup_delete AFTER DELETE ON status_tallies FOR EACH ROW
WHEN (OLD.n <> 0 AND current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION status_tallies_rollup();

CREATE FUNCTION person_tallies_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed person_tallies;
BEGIN
  IF EXISTS (SELECT 1 FROM status_tallies_rebuilding) THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    changed := OLD;
    changed.n := -OLD.n;
  ELSE
    changed := NEW;
    IF TG_OP = 'UPDATE' THEN changed.n := NEW.n - OLD.n; END IF;
  END IF;
  PERFORM person_rollups_add((SELECT branch_path_ids(path) FROM branches WHERE id = changed.branch_id), ARRAY[changed], 1);
  RETURN NULL;
END $$;
CREATE TRIGGER person_tallies_rollup_insert AFTER INSERT ON person_tallies FOR EACH ROW
WHEN (current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION person_tallies_rollup();
CREATE TRIGGER person_tallies_rollup_count AFTER UPDATE OF n ON person_tallies FOR EACH ROW
WHEN (OLD.n IS DISTINCT FROM NEW.n AND current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION person_tallies_rollup();
CREATE TRIGGER person_tallies_rollup_delete AFTER DELETE ON person_tallies FOR EACH ROW
WHEN (OLD.n <> 0 AND current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION person_tallies_rollup();

-- A branch moved: its own tallies leave the old ancestors and join the new ones (every branch of a
-- moved subtree has its path rewritten, so each carries its own).
CREATE FUNCTION branches_rollup_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tallies status_tallies[] := ARRAY(SELECT t FROM status_tallies t WHERE t.branch_id = NEW.id);
  people person_tallies[] := ARRAY(SELECT p FROM person_tallies p WHERE p.branch_id = NEW.id);
BEGIN
  IF EXISTS (SELECT 1 FROM status_tallies_rebuilding) THEN RETURN NULL; END IF;
  PERFORM status_rollups_add(branch_path_ids(OLD.path), tallies, -1);
  PERFORM person_rollups_add(branch_path_ids(OLD.path), people, -1);
  PERFORM status_rollups_add(branch_path_ids(NEW.path), tallies, 1);
  PERFORM person_rollups_add(branch_path_ids(NEW.path), people, 1);
  RETURN NULL;
END $$;
CREATE TRIGGER branches_rollup_move AFTER UPDATE OF path ON branches FOR EACH ROW
WHEN (OLD.path IS DISTINCT FROM NEW.path AND current_setting('lms.rebuilding_status_tallies', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION branches_rollup_move();
