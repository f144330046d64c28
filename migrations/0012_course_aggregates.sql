-- Course-wide figures kept up to date as results land (issue 14), so the trainer's course page
-- reads a few hundred rows instead of scanning every attempt and interaction of a 415k-learner
-- course. Triggers keep them: every writer (the commit path, exams, imports, tests) is covered
-- without a call to remember, inside the writer's own transaction. `lms rebuild-aggregates`
-- recounts them from scratch (the backfill below is the same recount). The triggers avoid
-- UPDATE … FROM and target aliases, so the sqlite3 command-line tool (3.40) still opens the file.
--
-- Learners by employee number, a page at a time, without sorting the course: the number is
-- copied onto the enrollment (a cross-table order cannot be indexed) and kept by triggers.
ALTER TABLE enrollments ADD COLUMN learner_no TEXT NOT NULL DEFAULT '';
UPDATE enrollments SET learner_no = ifnull((SELECT u.employee_no FROM users u WHERE u.id = enrollments.user_id), '');
CREATE INDEX enrollments_course_learner ON enrollments(course_id, learner_no, user_id);

CREATE TRIGGER enrollments_learner_no_insert AFTER INSERT ON enrollments BEGIN
  UPDATE enrollments SET learner_no = ifnull((SELECT employee_no FROM users WHERE id = NEW.user_id), '') WHERE id = NEW.id;
END;
CREATE TRIGGER enrollments_learner_no_user AFTER UPDATE OF user_id ON enrollments BEGIN
  UPDATE enrollments SET learner_no = ifnull((SELECT employee_no FROM users WHERE id = NEW.user_id), '') WHERE id = NEW.id;
END;
CREATE TRIGGER users_learner_no AFTER UPDATE OF employee_no ON users BEGIN
  UPDATE enrollments SET learner_no = ifnull(NEW.employee_no, '') WHERE user_id = NEW.id;
END;

-- Score distribution: finished attempts with a score, per course and score in thousandths.
CREATE TABLE course_score_tallies (
  course_id INTEGER NOT NULL,
  permille  INTEGER NOT NULL,
  attempts  INTEGER NOT NULL,
  PRIMARY KEY (course_id, permille)
) WITHOUT ROWID;

INSERT INTO course_score_tallies (course_id, permille, attempts)
SELECT e.course_id, CAST(round(a.score_scaled * 1000) AS INTEGER), COUNT(*)
FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
WHERE a.finished_at IS NOT NULL AND a.score_scaled IS NOT NULL GROUP BY 1, 2;

CREATE TRIGGER attempts_score_tally_insert AFTER INSERT ON attempts
WHEN NEW.finished_at IS NOT NULL AND NEW.score_scaled IS NOT NULL BEGIN
  INSERT INTO course_score_tallies (course_id, permille, attempts)
  SELECT e.course_id, CAST(round(NEW.score_scaled * 1000) AS INTEGER), 1 FROM enrollments e WHERE e.id = NEW.enrollment_id
  ON CONFLICT (course_id, permille) DO UPDATE SET attempts = attempts + 1;
END;

CREATE TRIGGER attempts_score_tally_update AFTER UPDATE OF finished_at, score_scaled, enrollment_id ON attempts
WHEN (OLD.finished_at IS NOT NULL AND OLD.score_scaled IS NOT NULL) OR (NEW.finished_at IS NOT NULL AND NEW.score_scaled IS NOT NULL) BEGIN
  UPDATE course_score_tallies SET attempts = attempts - 1
  WHERE OLD.finished_at IS NOT NULL AND OLD.score_scaled IS NOT NULL
    AND course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id) AND permille = CAST(round(OLD.score_scaled * 1000) AS INTEGER);
  INSERT INTO course_score_tallies (course_id, permille, attempts)
  SELECT e.course_id, CAST(round(NEW.score_scaled * 1000) AS INTEGER), 1 FROM enrollments e
  WHERE e.id = NEW.enrollment_id AND NEW.finished_at IS NOT NULL AND NEW.score_scaled IS NOT NULL
  ON CONFLICT (course_id, permille) DO UPDATE SET attempts = attempts + 1;
  DELETE FROM course_score_tallies WHERE attempts <= 0 AND course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id);
END;

CREATE TRIGGER attempts_score_tally_delete AFTER DELETE ON attempts
WHEN OLD.finished_at IS NOT NULL AND OLD.score_scaled IS NOT NULL BEGIN
  UPDATE course_score_tallies SET attempts = attempts - 1
  WHERE course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id) AND permille = CAST(round(OLD.score_scaled * 1000) AS INTEGER);
  DELETE FROM course_score_tallies WHERE attempts <= 0 AND course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id);
END;

-- Question analysis. An attempt's answer to a question is its newest interaction record for it
-- that carries a response or a result (journaled retries count once): question_finals holds that
-- record per (attempt, SCO, question); the tallies count the finals per course, SCO and question.
-- Wrong = 1.2 'wrong', 2004 'incorrect', and 'unanticipated'.
CREATE TABLE question_finals (
  attempt_id     INTEGER NOT NULL,
  sco_id         INTEGER NOT NULL,
  interaction_id TEXT NOT NULL,
  idx            INTEGER NOT NULL,
  course_id      INTEGER NOT NULL,
  response       TEXT,
  result         TEXT,
  PRIMARY KEY (attempt_id, sco_id, interaction_id)
) WITHOUT ROWID;

CREATE TABLE question_tallies (
  course_id      INTEGER NOT NULL,
  sco_id         INTEGER NOT NULL,
  interaction_id TEXT NOT NULL,
  answered       INTEGER NOT NULL,
  correct        INTEGER NOT NULL,
  wrong          INTEGER NOT NULL,
  PRIMARY KEY (course_id, sco_id, interaction_id)
) WITHOUT ROWID;

-- Wrong answers by response, for each question's most frequent wrong answer.
CREATE TABLE question_wrong_responses (
  course_id      INTEGER NOT NULL,
  sco_id         INTEGER NOT NULL,
  interaction_id TEXT NOT NULL,
  response       TEXT NOT NULL,
  answers        INTEGER NOT NULL,
  PRIMARY KEY (course_id, sco_id, interaction_id, response)
) WITHOUT ROWID;

INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
SELECT attempt_id, sco_id, interaction_id, idx, course_id, response, result FROM (
  SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, e.course_id, i.response, i.result,
    row_number() OVER (PARTITION BY i.attempt_id, i.sco_id, i.interaction_id ORDER BY i.idx DESC) AS newest
  FROM interactions i JOIN attempts a ON a.id = i.attempt_id JOIN enrollments e ON e.id = a.enrollment_id
  WHERE i.response IS NOT NULL OR i.result IS NOT NULL
) WHERE newest = 1;

INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
SELECT course_id, sco_id, interaction_id, COUNT(*), SUM(result IS 'correct'), SUM(ifnull(result, '') IN ('wrong', 'incorrect', 'unanticipated'))
FROM question_finals GROUP BY course_id, sco_id, interaction_id;

INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
SELECT course_id, sco_id, interaction_id, response, COUNT(*) FROM question_finals
WHERE ifnull(result, '') IN ('wrong', 'incorrect', 'unanticipated') AND response IS NOT NULL
GROUP BY course_id, sco_id, interaction_id, response;

-- A new record becomes the attempt's answer unless a newer one is already there (the commit path
-- deletes a SCO's records and writes them again in index order, so this is one lookup per row).
CREATE TRIGGER interactions_tally_insert AFTER INSERT ON interactions
WHEN (NEW.response IS NOT NULL OR NEW.result IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM question_finals f
  WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id AND f.idx > NEW.idx) BEGIN
  UPDATE question_tallies SET answered = answered - 1,
    correct = correct - (SELECT f.result IS 'correct' FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id),
    wrong = wrong - (SELECT ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated') FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id)
  WHERE (course_id, sco_id, interaction_id) = (SELECT f.course_id, f.sco_id, f.interaction_id FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id);
  UPDATE question_wrong_responses SET answers = answers - 1
  WHERE (course_id, sco_id, interaction_id, response) = (SELECT f.course_id, f.sco_id, f.interaction_id, f.response FROM question_finals f
    WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id AND ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated'));
  DELETE FROM question_wrong_responses WHERE answers <= 0 AND sco_id = NEW.sco_id AND interaction_id = NEW.interaction_id
    AND course_id = (SELECT course_id FROM question_finals WHERE attempt_id = NEW.attempt_id AND sco_id = NEW.sco_id AND interaction_id = NEW.interaction_id);
  INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
  SELECT NEW.attempt_id, NEW.sco_id, NEW.interaction_id, NEW.idx, e.course_id, NEW.response, NEW.result
  FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id WHERE a.id = NEW.attempt_id
  ON CONFLICT (attempt_id, sco_id, interaction_id) DO UPDATE SET idx = excluded.idx, response = excluded.response, result = excluded.result;
  INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
  SELECT f.course_id, f.sco_id, f.interaction_id, 1, f.result IS 'correct', ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated')
  FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id
  ON CONFLICT (course_id, sco_id, interaction_id) DO UPDATE SET answered = answered + 1, correct = correct + excluded.correct, wrong = wrong + excluded.wrong;
  INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
  SELECT f.course_id, f.sco_id, f.interaction_id, f.response, 1
  FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id
    AND ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated') AND f.response IS NOT NULL
  ON CONFLICT (course_id, sco_id, interaction_id, response) DO UPDATE SET answers = answers + 1;
END;

-- Removing the answer record hands the answer to the next newest record of that question (none
-- left when the commit path clears a SCO: it deletes in index order, so the search is empty).
CREATE TRIGGER interactions_tally_delete AFTER DELETE ON interactions
WHEN EXISTS (SELECT 1 FROM question_finals f
  WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id AND f.idx = OLD.idx) BEGIN
  UPDATE question_tallies SET answered = answered - 1,
    correct = correct - (SELECT f.result IS 'correct' FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id),
    wrong = wrong - (SELECT ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated') FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id)
  WHERE (course_id, sco_id, interaction_id) = (SELECT f.course_id, f.sco_id, f.interaction_id FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id);
  UPDATE question_wrong_responses SET answers = answers - 1
  WHERE (course_id, sco_id, interaction_id, response) = (SELECT f.course_id, f.sco_id, f.interaction_id, f.response FROM question_finals f
    WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id AND ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated'));
  DELETE FROM question_wrong_responses WHERE answers <= 0 AND sco_id = OLD.sco_id AND interaction_id = OLD.interaction_id
    AND course_id = (SELECT course_id FROM question_finals WHERE attempt_id = OLD.attempt_id AND sco_id = OLD.sco_id AND interaction_id = OLD.interaction_id);
  -- The older record (if any) replaces the final in place; with none, the final goes.
  INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
  SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, f.course_id, i.response, i.result
  FROM interactions i JOIN question_finals f ON f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id
  WHERE i.attempt_id = OLD.attempt_id AND i.sco_id = OLD.sco_id AND i.idx < OLD.idx AND i.interaction_id = OLD.interaction_id
    AND (i.response IS NOT NULL OR i.result IS NOT NULL)
  ORDER BY i.idx DESC LIMIT 1
  ON CONFLICT (attempt_id, sco_id, interaction_id) DO UPDATE SET idx = excluded.idx, response = excluded.response, result = excluded.result;
  DELETE FROM question_finals WHERE attempt_id = OLD.attempt_id AND sco_id = OLD.sco_id AND interaction_id = OLD.interaction_id AND idx = OLD.idx;
  INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
  SELECT f.course_id, f.sco_id, f.interaction_id, 1, f.result IS 'correct', ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated')
  FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id
  ON CONFLICT (course_id, sco_id, interaction_id) DO UPDATE SET answered = answered + 1, correct = correct + excluded.correct, wrong = wrong + excluded.wrong;
  INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
  SELECT f.course_id, f.sco_id, f.interaction_id, f.response, 1
  FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id
    AND ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated') AND f.response IS NOT NULL
  ON CONFLICT (course_id, sco_id, interaction_id, response) DO UPDATE SET answers = answers + 1;
END;

-- Records are never edited by the commit path (it deletes and writes again); any other edit
-- recounts the question it left and the one it joined, from that attempt's records.
CREATE TRIGGER interactions_tally_update AFTER UPDATE OF attempt_id, sco_id, idx, interaction_id, response, result ON interactions BEGIN
  UPDATE question_tallies SET answered = answered - 1,
    correct = correct - (SELECT f.result IS 'correct' FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id),
    wrong = wrong - (SELECT ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated') FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id)
  WHERE (course_id, sco_id, interaction_id) = (SELECT f.course_id, f.sco_id, f.interaction_id FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id);
  UPDATE question_wrong_responses SET answers = answers - 1
  WHERE (course_id, sco_id, interaction_id, response) = (SELECT f.course_id, f.sco_id, f.interaction_id, f.response FROM question_finals f
    WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id AND ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated'));
  DELETE FROM question_wrong_responses WHERE answers <= 0 AND sco_id = OLD.sco_id AND interaction_id = OLD.interaction_id
    AND course_id = (SELECT course_id FROM question_finals WHERE attempt_id = OLD.attempt_id AND sco_id = OLD.sco_id AND interaction_id = OLD.interaction_id);
  DELETE FROM question_finals WHERE attempt_id = OLD.attempt_id AND sco_id = OLD.sco_id AND interaction_id = OLD.interaction_id;
  INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
  SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, e.course_id, i.response, i.result
  FROM interactions i JOIN attempts a ON a.id = i.attempt_id JOIN enrollments e ON e.id = a.enrollment_id
  WHERE i.attempt_id = OLD.attempt_id AND i.sco_id = OLD.sco_id AND i.interaction_id = OLD.interaction_id
    AND (i.response IS NOT NULL OR i.result IS NOT NULL)
  ORDER BY i.idx DESC LIMIT 1;
  INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
  SELECT f.course_id, f.sco_id, f.interaction_id, 1, f.result IS 'correct', ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated')
  FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id
  ON CONFLICT (course_id, sco_id, interaction_id) DO UPDATE SET answered = answered + 1, correct = correct + excluded.correct, wrong = wrong + excluded.wrong;
  INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
  SELECT f.course_id, f.sco_id, f.interaction_id, f.response, 1
  FROM question_finals f WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id AND ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated') AND f.response IS NOT NULL
  ON CONFLICT (course_id, sco_id, interaction_id, response) DO UPDATE SET answers = answers + 1;
  UPDATE question_tallies SET answered = answered - 1,
    correct = correct - (SELECT f.result IS 'correct' FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id),
    wrong = wrong - (SELECT ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated') FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id)
  WHERE (course_id, sco_id, interaction_id) = (SELECT f.course_id, f.sco_id, f.interaction_id FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id);
  UPDATE question_wrong_responses SET answers = answers - 1
  WHERE (course_id, sco_id, interaction_id, response) = (SELECT f.course_id, f.sco_id, f.interaction_id, f.response FROM question_finals f
    WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id AND ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated'));
  DELETE FROM question_wrong_responses WHERE answers <= 0 AND sco_id = NEW.sco_id AND interaction_id = NEW.interaction_id
    AND course_id = (SELECT course_id FROM question_finals WHERE attempt_id = NEW.attempt_id AND sco_id = NEW.sco_id AND interaction_id = NEW.interaction_id);
  DELETE FROM question_finals WHERE attempt_id = NEW.attempt_id AND sco_id = NEW.sco_id AND interaction_id = NEW.interaction_id;
  INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
  SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, e.course_id, i.response, i.result
  FROM interactions i JOIN attempts a ON a.id = i.attempt_id JOIN enrollments e ON e.id = a.enrollment_id
  WHERE i.attempt_id = NEW.attempt_id AND i.sco_id = NEW.sco_id AND i.interaction_id = NEW.interaction_id
    AND (i.response IS NOT NULL OR i.result IS NOT NULL)
  ORDER BY i.idx DESC LIMIT 1;
  INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
  SELECT f.course_id, f.sco_id, f.interaction_id, 1, f.result IS 'correct', ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated')
  FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id
  ON CONFLICT (course_id, sco_id, interaction_id) DO UPDATE SET answered = answered + 1, correct = correct + excluded.correct, wrong = wrong + excluded.wrong;
  INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
  SELECT f.course_id, f.sco_id, f.interaction_id, f.response, 1
  FROM question_finals f WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id AND ifnull(f.result, '') IN ('wrong', 'incorrect', 'unanticipated') AND f.response IS NOT NULL
  ON CONFLICT (course_id, sco_id, interaction_id, response) DO UPDATE SET answers = answers + 1;
END;
