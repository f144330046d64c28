-- hr dashboard figures per branch subtree, bounded whatever the key spread (issue 14): the status
-- tallies of migration status_tallies rolled up into every ancestor branch (the branch itself
-- included), by triggers on those tallies, so a subtree's figures are read at its top branch's id
-- instead of summed over every branch under it. Rows per (branch, course) are bounded by how many
-- distinct *days* the keys hold, not by how many people the subtree has: the status of a key on a
-- day D (from today on) splits into one question about its expiry and one about its due date, so
-- expiry and due are rolled up apart (two one-day histograms), not as pairs.
--
-- status_expiry_rollups  per (branch, course, expiry day) at-work keys holding a certificate:
--                        D ≤ expiry → certified or expiring, else lapsed (expired or overdue)
-- status_due_rollups     per (branch, course, due day, progress) every at-work key; progress is the
--                        key's own (4 in_progress, 5 failed, 6 not_started), 7 when it holds a
--                        certificate (its expiry decides): due passed → overdue (a lapsed one
--                        counts overdue, not expired), else the progress.
--   This split is exact because the key's due is kept only when it is not before the expiry's day
--   (status_tallies' view): a due that has passed implies an expiry that has.
-- status_joint_rollups   whole keys, read as today's per-branch tallies are, for the few the split
--                        cannot answer: leavers (left_on set; read only when leaving after the day
--                        before D) and keys whose due and expiry fall on the same day with an
--                        instant among them (the day an instant falls on depends on the time zone).
-- person_rollups         person_tallies per ancestor.
--
-- Ancestors come from branches.path ('/1/7/42/' holds the ids); a branch moved (its path
-- rewritten) takes its own tallies from the old ancestors to the new ones. While
-- `lms rebuild-aggregates` recounts (status_tallies_rebuilding), the triggers stand aside and the
-- rebuild recounts these tables from the tallies.
CREATE VIEW branch_ancestors AS
SELECT b.id AS branch_id, CAST(a.value AS INTEGER) AS ancestor_id
FROM branches b, json_each(CASE WHEN b.path GLOB '/[0-9]*/' THEN '[' || replace(substr(b.path, 2, length(b.path) - 2), '/', ',') || ']' ELSE '[]' END) a;

CREATE TABLE status_expiry_rollups (
  branch_id INTEGER NOT NULL,
  course_id INTEGER NOT NULL,
  expiry    TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (branch_id, course_id, expiry)
) WITHOUT ROWID;

CREATE TABLE status_due_rollups (
  branch_id INTEGER NOT NULL,
  course_id INTEGER NOT NULL,
  due       TEXT NOT NULL,
  progress  INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (branch_id, course_id, due, progress)
) WITHOUT ROWID;

CREATE TABLE status_joint_rollups (
  branch_id INTEGER NOT NULL,
  left_on   TEXT NOT NULL,
  course_id INTEGER NOT NULL,
  expiry    TEXT NOT NULL,
  due       TEXT NOT NULL,
  progress  INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (branch_id, left_on, course_id, expiry, due, progress)
) WITHOUT ROWID;

CREATE TABLE person_rollups (
  branch_id   INTEGER NOT NULL,
  left_on     TEXT NOT NULL,
  has_courses INTEGER NOT NULL,
  min_expiry  TEXT NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (branch_id, left_on, has_courses, min_expiry)
) WITHOUT ROWID;

-- Backfill (the same recount as `lms rebuild-aggregates`), before the triggers exist.
INSERT INTO status_expiry_rollups (branch_id, course_id, expiry, n)
  SELECT a.ancestor_id, t.course_id, t.expiry, SUM(t.n) FROM status_tallies t JOIN branch_ancestors a ON a.branch_id = t.branch_id
  WHERE t.expiry <> '' AND NOT (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10))))) GROUP BY 1, 2, 3;
INSERT INTO status_due_rollups (branch_id, course_id, due, progress, n)
  SELECT a.ancestor_id, t.course_id, t.due, CASE WHEN t.expiry <> '' THEN 7 ELSE t.progress END, SUM(t.n)
  FROM status_tallies t JOIN branch_ancestors a ON a.branch_id = t.branch_id
  WHERE NOT (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10))))) GROUP BY 1, 2, 3, 4;
INSERT INTO status_joint_rollups (branch_id, left_on, course_id, expiry, due, progress, n)
  SELECT a.ancestor_id, t.left_on, t.course_id, t.expiry, t.due, t.progress, SUM(t.n) FROM status_tallies t JOIN branch_ancestors a ON a.branch_id = t.branch_id
  WHERE (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10))))) GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO person_rollups (branch_id, left_on, has_courses, min_expiry, n)
  SELECT a.ancestor_id, p.left_on, p.has_courses, p.min_expiry, SUM(p.n) FROM person_tallies p JOIN branch_ancestors a ON a.branch_id = p.branch_id
  GROUP BY 1, 2, 3, 4;

-- A tally row's count changes: its ancestors' rollups change by the difference (the tallies'
-- triggers insert a key's row, add to or take from its n, and delete it at 0; they never rewrite a
-- key). Rollup rows that reach 0 stay: there are no more of them than days the keys ever held.
CREATE TRIGGER status_tallies_rollup_insert AFTER INSERT ON status_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) AND NOT (NEW.left_on <> '' OR (NEW.expiry <> '' AND NEW.due <> '' AND (substr(NEW.due, 1, 10) < substr(NEW.expiry, 1, 10)
    OR (substr(NEW.due, 1, 10) = substr(NEW.expiry, 1, 10) AND (length(NEW.expiry) <> 10 OR length(NEW.due) <> 10))))) BEGIN
  INSERT INTO status_expiry_rollups (branch_id, course_id, expiry, n)
    SELECT a.ancestor_id, NEW.course_id, NEW.expiry, NEW.n FROM branch_ancestors a WHERE a.branch_id = NEW.branch_id AND NEW.expiry <> ''
    ON CONFLICT (branch_id, course_id, expiry) DO UPDATE SET n = n + excluded.n;
  INSERT INTO status_due_rollups (branch_id, course_id, due, progress, n)
    SELECT a.ancestor_id, NEW.course_id, NEW.due, CASE WHEN NEW.expiry <> '' THEN 7 ELSE NEW.progress END, NEW.n FROM branch_ancestors a WHERE a.branch_id = NEW.branch_id
    ON CONFLICT (branch_id, course_id, due, progress) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_tallies_rollup_insert_whole AFTER INSERT ON status_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) AND (NEW.left_on <> '' OR (NEW.expiry <> '' AND NEW.due <> '' AND (substr(NEW.due, 1, 10) < substr(NEW.expiry, 1, 10)
    OR (substr(NEW.due, 1, 10) = substr(NEW.expiry, 1, 10) AND (length(NEW.expiry) <> 10 OR length(NEW.due) <> 10))))) BEGIN
  INSERT INTO status_joint_rollups (branch_id, left_on, course_id, expiry, due, progress, n)
    SELECT a.ancestor_id, NEW.left_on, NEW.course_id, NEW.expiry, NEW.due, NEW.progress, NEW.n FROM branch_ancestors a WHERE a.branch_id = NEW.branch_id
    ON CONFLICT (branch_id, left_on, course_id, expiry, due, progress) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_tallies_rollup_count AFTER UPDATE OF n ON status_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) AND OLD.n IS NOT NEW.n AND NOT (NEW.left_on <> '' OR (NEW.expiry <> '' AND NEW.due <> '' AND (substr(NEW.due, 1, 10) < substr(NEW.expiry, 1, 10)
    OR (substr(NEW.due, 1, 10) = substr(NEW.expiry, 1, 10) AND (length(NEW.expiry) <> 10 OR length(NEW.due) <> 10))))) BEGIN
  INSERT INTO status_expiry_rollups (branch_id, course_id, expiry, n)
    SELECT a.ancestor_id, NEW.course_id, NEW.expiry, NEW.n - OLD.n FROM branch_ancestors a WHERE a.branch_id = NEW.branch_id AND NEW.expiry <> ''
    ON CONFLICT (branch_id, course_id, expiry) DO UPDATE SET n = n + excluded.n;
  INSERT INTO status_due_rollups (branch_id, course_id, due, progress, n)
    SELECT a.ancestor_id, NEW.course_id, NEW.due, CASE WHEN NEW.expiry <> '' THEN 7 ELSE NEW.progress END, NEW.n - OLD.n FROM branch_ancestors a WHERE a.branch_id = NEW.branch_id
    ON CONFLICT (branch_id, course_id, due, progress) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_tallies_rollup_count_whole AFTER UPDATE OF n ON status_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) AND OLD.n IS NOT NEW.n AND (NEW.left_on <> '' OR (NEW.expiry <> '' AND NEW.due <> '' AND (substr(NEW.due, 1, 10) < substr(NEW.expiry, 1, 10)
    OR (substr(NEW.due, 1, 10) = substr(NEW.expiry, 1, 10) AND (length(NEW.expiry) <> 10 OR length(NEW.due) <> 10))))) BEGIN
  INSERT INTO status_joint_rollups (branch_id, left_on, course_id, expiry, due, progress, n)
    SELECT a.ancestor_id, NEW.left_on, NEW.course_id, NEW.expiry, NEW.due, NEW.progress, NEW.n - OLD.n FROM branch_ancestors a WHERE a.branch_id = NEW.branch_id
    ON CONFLICT (branch_id, left_on, course_id, expiry, due, progress) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_tallies_rollup_delete AFTER DELETE ON status_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) AND OLD.n <> 0 AND NOT (OLD.left_on <> '' OR (OLD.expiry <> '' AND OLD.due <> '' AND (substr(OLD.due, 1, 10) < substr(OLD.expiry, 1, 10)
    OR (substr(OLD.due, 1, 10) = substr(OLD.expiry, 1, 10) AND (length(OLD.expiry) <> 10 OR length(OLD.due) <> 10))))) BEGIN
  INSERT INTO status_expiry_rollups (branch_id, course_id, expiry, n)
    SELECT a.ancestor_id, OLD.course_id, OLD.expiry, -OLD.n FROM branch_ancestors a WHERE a.branch_id = OLD.branch_id AND OLD.expiry <> ''
    ON CONFLICT (branch_id, course_id, expiry) DO UPDATE SET n = n + excluded.n;
  INSERT INTO status_due_rollups (branch_id, course_id, due, progress, n)
    SELECT a.ancestor_id, OLD.course_id, OLD.due, CASE WHEN OLD.expiry <> '' THEN 7 ELSE OLD.progress END, -OLD.n FROM branch_ancestors a WHERE a.branch_id = OLD.branch_id
    ON CONFLICT (branch_id, course_id, due, progress) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_tallies_rollup_delete_whole AFTER DELETE ON status_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) AND OLD.n <> 0 AND (OLD.left_on <> '' OR (OLD.expiry <> '' AND OLD.due <> '' AND (substr(OLD.due, 1, 10) < substr(OLD.expiry, 1, 10)
    OR (substr(OLD.due, 1, 10) = substr(OLD.expiry, 1, 10) AND (length(OLD.expiry) <> 10 OR length(OLD.due) <> 10))))) BEGIN
  INSERT INTO status_joint_rollups (branch_id, left_on, course_id, expiry, due, progress, n)
    SELECT a.ancestor_id, OLD.left_on, OLD.course_id, OLD.expiry, OLD.due, OLD.progress, -OLD.n FROM branch_ancestors a WHERE a.branch_id = OLD.branch_id
    ON CONFLICT (branch_id, left_on, course_id, expiry, due, progress) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER person_tallies_rollup_insert AFTER INSERT ON person_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) BEGIN
  INSERT INTO person_rollups (branch_id, left_on, has_courses, min_expiry, n)
    SELECT a.ancestor_id, NEW.left_on, NEW.has_courses, NEW.min_expiry, NEW.n FROM branch_ancestors a WHERE a.branch_id = NEW.branch_id
    ON CONFLICT (branch_id, left_on, has_courses, min_expiry) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER person_tallies_rollup_count AFTER UPDATE OF n ON person_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) AND OLD.n IS NOT NEW.n BEGIN
  INSERT INTO person_rollups (branch_id, left_on, has_courses, min_expiry, n)
    SELECT a.ancestor_id, NEW.left_on, NEW.has_courses, NEW.min_expiry, NEW.n - OLD.n FROM branch_ancestors a WHERE a.branch_id = NEW.branch_id
    ON CONFLICT (branch_id, left_on, has_courses, min_expiry) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER person_tallies_rollup_delete AFTER DELETE ON person_tallies
WHEN NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) AND OLD.n <> 0 BEGIN
  INSERT INTO person_rollups (branch_id, left_on, has_courses, min_expiry, n)
    SELECT a.ancestor_id, OLD.left_on, OLD.has_courses, OLD.min_expiry, -OLD.n FROM branch_ancestors a WHERE a.branch_id = OLD.branch_id
    ON CONFLICT (branch_id, left_on, has_courses, min_expiry) DO UPDATE SET n = n + excluded.n;
END;

-- A branch moved: its own tallies leave the old ancestors and join the new ones (every branch of a
-- moved subtree has its path rewritten, so each carries its own).
CREATE TRIGGER branches_rollup_move AFTER UPDATE OF path ON branches
WHEN OLD.path IS NOT NEW.path AND NOT EXISTS (SELECT 1 FROM status_tallies_rebuilding) BEGIN
  INSERT INTO status_expiry_rollups (branch_id, course_id, expiry, n)
    SELECT a.value, t.course_id, t.expiry, -t.n FROM status_tallies t, (SELECT x.value FROM json_each(CASE WHEN OLD.path GLOB '/[0-9]*/' THEN '[' || replace(substr(OLD.path, 2, length(OLD.path) - 2), '/', ',') || ']' ELSE '[]' END) x) a
    WHERE t.branch_id = NEW.id AND t.expiry <> '' AND NOT (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10)))))
    ON CONFLICT (branch_id, course_id, expiry) DO UPDATE SET n = n + excluded.n;
  INSERT INTO status_due_rollups (branch_id, course_id, due, progress, n)
    SELECT a.value, t.course_id, t.due, CASE WHEN t.expiry <> '' THEN 7 ELSE t.progress END, -t.n FROM status_tallies t, (SELECT x.value FROM json_each(CASE WHEN OLD.path GLOB '/[0-9]*/' THEN '[' || replace(substr(OLD.path, 2, length(OLD.path) - 2), '/', ',') || ']' ELSE '[]' END) x) a
    WHERE t.branch_id = NEW.id AND NOT (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10)))))
    ON CONFLICT (branch_id, course_id, due, progress) DO UPDATE SET n = n + excluded.n;
  INSERT INTO status_joint_rollups (branch_id, left_on, course_id, expiry, due, progress, n)
    SELECT a.value, t.left_on, t.course_id, t.expiry, t.due, t.progress, -t.n FROM status_tallies t, (SELECT x.value FROM json_each(CASE WHEN OLD.path GLOB '/[0-9]*/' THEN '[' || replace(substr(OLD.path, 2, length(OLD.path) - 2), '/', ',') || ']' ELSE '[]' END) x) a
    WHERE t.branch_id = NEW.id AND (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10)))))
    ON CONFLICT (branch_id, left_on, course_id, expiry, due, progress) DO UPDATE SET n = n + excluded.n;
  INSERT INTO person_rollups (branch_id, left_on, has_courses, min_expiry, n)
    SELECT a.value, p.left_on, p.has_courses, p.min_expiry, -p.n FROM person_tallies p, (SELECT x.value FROM json_each(CASE WHEN OLD.path GLOB '/[0-9]*/' THEN '[' || replace(substr(OLD.path, 2, length(OLD.path) - 2), '/', ',') || ']' ELSE '[]' END) x) a
    WHERE p.branch_id = NEW.id
    ON CONFLICT (branch_id, left_on, has_courses, min_expiry) DO UPDATE SET n = n + excluded.n;
  INSERT INTO status_expiry_rollups (branch_id, course_id, expiry, n)
    SELECT a.value, t.course_id, t.expiry, t.n FROM status_tallies t, (SELECT x.value FROM json_each(CASE WHEN NEW.path GLOB '/[0-9]*/' THEN '[' || replace(substr(NEW.path, 2, length(NEW.path) - 2), '/', ',') || ']' ELSE '[]' END) x) a
    WHERE t.branch_id = NEW.id AND t.expiry <> '' AND NOT (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10)))))
    ON CONFLICT (branch_id, course_id, expiry) DO UPDATE SET n = n + excluded.n;
  INSERT INTO status_due_rollups (branch_id, course_id, due, progress, n)
    SELECT a.value, t.course_id, t.due, CASE WHEN t.expiry <> '' THEN 7 ELSE t.progress END, t.n FROM status_tallies t, (SELECT x.value FROM json_each(CASE WHEN NEW.path GLOB '/[0-9]*/' THEN '[' || replace(substr(NEW.path, 2, length(NEW.path) - 2), '/', ',') || ']' ELSE '[]' END) x) a
    WHERE t.branch_id = NEW.id AND NOT (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10)))))
    ON CONFLICT (branch_id, course_id, due, progress) DO UPDATE SET n = n + excluded.n;
  INSERT INTO status_joint_rollups (branch_id, left_on, course_id, expiry, due, progress, n)
    SELECT a.value, t.left_on, t.course_id, t.expiry, t.due, t.progress, t.n FROM status_tallies t, (SELECT x.value FROM json_each(CASE WHEN NEW.path GLOB '/[0-9]*/' THEN '[' || replace(substr(NEW.path, 2, length(NEW.path) - 2), '/', ',') || ']' ELSE '[]' END) x) a
    WHERE t.branch_id = NEW.id AND (t.left_on <> '' OR (t.expiry <> '' AND t.due <> '' AND (substr(t.due, 1, 10) < substr(t.expiry, 1, 10)
    OR (substr(t.due, 1, 10) = substr(t.expiry, 1, 10) AND (length(t.expiry) <> 10 OR length(t.due) <> 10)))))
    ON CONFLICT (branch_id, left_on, course_id, expiry, due, progress) DO UPDATE SET n = n + excluded.n;
  INSERT INTO person_rollups (branch_id, left_on, has_courses, min_expiry, n)
    SELECT a.value, p.left_on, p.has_courses, p.min_expiry, p.n FROM person_tallies p, (SELECT x.value FROM json_each(CASE WHEN NEW.path GLOB '/[0-9]*/' THEN '[' || replace(substr(NEW.path, 2, length(NEW.path) - 2), '/', ',') || ']' ELSE '[]' END) x) a
    WHERE p.branch_id = NEW.id
    ON CONFLICT (branch_id, left_on, has_courses, min_expiry) DO UPDATE SET n = n + excluded.n;
END;
