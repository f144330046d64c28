-- PostgreSQL twin of ../0012_course_aggregates.sql: the same aggregates, kept by plpgsql triggers
-- inside the writer's transaction. Differences from SQLite, all deliberate:
--  * learner_no is set by a BEFORE trigger on the row itself (SQLite updates the row after insert);
--  * a trigger's WHEN cannot hold a subquery here, so those tests sit in the function bodies;
--  * AFTER ROW triggers run at the end of their statement, so a multi-row DELETE of a SCO's records
--    sees them all gone (SQLite, deleting in index order, reaches the same end state);
--  * score_permille() rounds half away from zero like SQLite's round() (PostgreSQL's round() on
--    double precision rounds half to even), and is shared by `lms rebuild-aggregates`.
ALTER TABLE enrollments ADD COLUMN learner_no text NOT NULL DEFAULT '';
UPDATE enrollments SET learner_no = COALESCE((SELECT u.employee_no FROM users u WHERE u.id = enrollments.user_id), '');
CREATE INDEX enrollments_course_learner ON enrollments(course_id, learner_no, user_id);

CREATE FUNCTION enrollments_learner_no() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.learner_no := COALESCE((SELECT employee_no FROM users WHERE id = NEW.user_id), '');
  RETURN NEW;
END $$;
CREATE TRIGGER enrollments_learner_no BEFORE INSERT OR UPDATE OF user_id ON enrollments
FOR EACH ROW EXECUTE FUNCTION enrollments_learner_no();

CREATE FUNCTION users_learner_no() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE enrollments SET learner_no = COALESCE(NEW.employee_no, '') WHERE user_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER users_learner_no AFTER UPDATE OF employee_no ON users
FOR EACH ROW EXECUTE FUNCTION users_learner_no();

CREATE FUNCTION score_permille(score double precision) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT round((score * 1000)::numeric)::integer
$$;

-- A result counts as wrong for 1.2 'wrong', 2004 'incorrect' and 'unanticipated'.
CREATE FUNCTION is_wrong_result(result text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT COALESCE(result, '') IN ('wrong', 'incorrect', 'unanticipated')
$$;

-- Score distribution: finished attempts with a score, per course and score in thousandths.
CREATE TABLE course_score_tallies (
  course_id integer NOT NULL,
  permille  integer NOT NULL,
  attempts  integer NOT NULL,
  PRIMARY KEY (course_id, permille)
);

INSERT INTO course_score_tallies (course_id, permille, attempts)
SELECT e.course_id, score_permille(a.score_scaled), COUNT(*)
FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id
WHERE a.finished_at IS NOT NULL AND a.score_scaled IS NOT NULL GROUP BY 1, 2;

CREATE FUNCTION attempts_score_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.finished_at IS NOT NULL AND OLD.score_scaled IS NOT NULL THEN
    UPDATE course_score_tallies SET attempts = attempts - 1
    WHERE course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id) AND permille = score_permille(OLD.score_scaled);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.finished_at IS NOT NULL AND NEW.score_scaled IS NOT NULL THEN
    INSERT INTO course_score_tallies (course_id, permille, attempts)
    SELECT e.course_id, score_permille(NEW.score_scaled), 1 FROM enrollments e WHERE e.id = NEW.enrollment_id
    ON CONFLICT (course_id, permille) DO UPDATE SET attempts = course_score_tallies.attempts + 1;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM course_score_tallies WHERE attempts <= 0 AND course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER attempts_score_tally_insert AFTER INSERT ON attempts FOR EACH ROW
WHEN (NEW.finished_at IS NOT NULL AND NEW.score_scaled IS NOT NULL) EXECUTE FUNCTION attempts_score_tally();
CREATE TRIGGER attempts_score_tally_update AFTER UPDATE OF finished_at, score_scaled, enrollment_id ON attempts FOR EACH ROW
WHEN ((OLD.finished_at IS NOT NULL AND OLD.score_scaled IS NOT NULL) OR (NEW.finished_at IS NOT NULL AND NEW.score_scaled IS NOT NULL))
EXECUTE FUNCTION attempts_score_tally();
CREATE TRIGGER attempts_score_tally_delete AFTER DELETE ON attempts FOR EACH ROW
WHEN (OLD.finished_at IS NOT NULL AND OLD.score_scaled IS NOT NULL) EXECUTE FUNCTION attempts_score_tally();

-- Question analysis: question_finals holds each attempt's answer per (attempt, SCO, question) — its
-- newest interaction record carrying a response or a result; the tallies count the finals.
CREATE TABLE question_finals (
  attempt_id     integer NOT NULL,
  sco_id         integer NOT NULL,
  interaction_id text NOT NULL,
  idx            integer NOT NULL,
  course_id      integer NOT NULL,
  response       text,
  result         text,
  PRIMARY KEY (attempt_id, sco_id, interaction_id)
);

CREATE TABLE question_tallies (
  course_id      integer NOT NULL,
  sco_id         integer NOT NULL,
  interaction_id text NOT NULL,
  answered       integer NOT NULL,
  correct        integer NOT NULL,
  wrong          integer NOT NULL,
  PRIMARY KEY (course_id, sco_id, interaction_id)
);

CREATE TABLE question_wrong_responses (
  course_id      integer NOT NULL,
  sco_id         integer NOT NULL,
  interaction_id text NOT NULL,
  response       text NOT NULL,
  answers        integer NOT NULL,
  PRIMARY KEY (course_id, sco_id, interaction_id, response)
);

INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
SELECT attempt_id, sco_id, interaction_id, idx, course_id, response, result FROM (
  SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, e.course_id, i.response, i.result,
    row_number() OVER (PARTITION BY i.attempt_id, i.sco_id, i.interaction_id ORDER BY i.idx DESC) AS newest
  FROM interactions i JOIN attempts a ON a.id = i.attempt_id JOIN enrollments e ON e.id = a.enrollment_id
  WHERE i.response IS NOT NULL OR i.result IS NOT NULL
) ranked WHERE newest = 1;

INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
SELECT course_id, sco_id, interaction_id, COUNT(*), SUM((result IS NOT DISTINCT FROM 'correct')::integer), SUM(is_wrong_result(result)::integer)
FROM question_finals GROUP BY course_id, sco_id, interaction_id;

INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
SELECT course_id, sco_id, interaction_id, response, COUNT(*) FROM question_finals
WHERE is_wrong_result(result) AND response IS NOT NULL
GROUP BY course_id, sco_id, interaction_id, response;

-- Takes a question's final answer (if any) out of the tallies; the final row itself stays.
CREATE FUNCTION question_final_unfold(p_attempt integer, p_sco integer, p_question text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE f question_finals;
BEGIN
  SELECT * INTO f FROM question_finals WHERE attempt_id = p_attempt AND sco_id = p_sco AND interaction_id = p_question;
  IF NOT FOUND THEN RETURN; END IF;
  UPDATE question_tallies SET answered = answered - 1,
    correct = correct - (f.result IS NOT DISTINCT FROM 'correct')::integer, wrong = wrong - is_wrong_result(f.result)::integer
  WHERE course_id = f.course_id AND sco_id = f.sco_id AND interaction_id = f.interaction_id;
  IF is_wrong_result(f.result) THEN
    UPDATE question_wrong_responses SET answers = answers - 1
    WHERE course_id = f.course_id AND sco_id = f.sco_id AND interaction_id = f.interaction_id AND response = f.response;
  END IF;
  DELETE FROM question_wrong_responses WHERE answers <= 0 AND course_id = f.course_id AND sco_id = p_sco AND interaction_id = p_question;
END $$;

-- Adds a question's final answer (if any) to the tallies.
CREATE FUNCTION question_final_fold(p_attempt integer, p_sco integer, p_question text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO question_tallies (course_id, sco_id, interaction_id, answered, correct, wrong)
  SELECT f.course_id, f.sco_id, f.interaction_id, 1, (f.result IS NOT DISTINCT FROM 'correct')::integer, is_wrong_result(f.result)::integer
  FROM question_finals f WHERE f.attempt_id = p_attempt AND f.sco_id = p_sco AND f.interaction_id = p_question
  ON CONFLICT (course_id, sco_id, interaction_id) DO UPDATE SET answered = question_tallies.answered + 1,
    correct = question_tallies.correct + excluded.correct, wrong = question_tallies.wrong + excluded.wrong;
  INSERT INTO question_wrong_responses (course_id, sco_id, interaction_id, response, answers)
  SELECT f.course_id, f.sco_id, f.interaction_id, f.response, 1
  FROM question_finals f WHERE f.attempt_id = p_attempt AND f.sco_id = p_sco AND f.interaction_id = p_question
    AND is_wrong_result(f.result) AND f.response IS NOT NULL
  ON CONFLICT (course_id, sco_id, interaction_id, response) DO UPDATE SET answers = question_wrong_responses.answers + 1;
END $$;

-- Recounts a question's final from the attempt's records (any edit other than the commit path's).
CREATE FUNCTION question_final_recount(p_attempt integer, p_sco integer, p_question text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM question_final_unfold(p_attempt, p_sco, p_question);
  DELETE FROM question_finals WHERE attempt_id = p_attempt AND sco_id = p_sco AND interaction_id = p_question;
  INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
  SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, e.course_id, i.response, i.result
  FROM interactions i JOIN attempts a ON a.id = i.attempt_id JOIN enrollments e ON e.id = a.enrollment_id
  WHERE i.attempt_id = p_attempt AND i.sco_id = p_sco AND i.interaction_id = p_question
    AND (i.response IS NOT NULL OR i.result IS NOT NULL)
  ORDER BY i.idx DESC LIMIT 1;
  PERFORM question_final_fold(p_attempt, p_sco, p_question);
END $$;

-- A new record becomes the attempt's answer unless a newer one is already there.
CREATE FUNCTION interactions_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM question_finals f
    WHERE f.attempt_id = NEW.attempt_id AND f.sco_id = NEW.sco_id AND f.interaction_id = NEW.interaction_id AND f.idx > NEW.idx) THEN
    RETURN NULL;
  END IF;
  PERFORM question_final_unfold(NEW.attempt_id, NEW.sco_id, NEW.interaction_id);
  INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
  SELECT NEW.attempt_id, NEW.sco_id, NEW.interaction_id, NEW.idx, e.course_id, NEW.response, NEW.result
  FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id WHERE a.id = NEW.attempt_id
  ON CONFLICT (attempt_id, sco_id, interaction_id) DO UPDATE SET idx = excluded.idx, response = excluded.response, result = excluded.result;
  PERFORM question_final_fold(NEW.attempt_id, NEW.sco_id, NEW.interaction_id);
  RETURN NULL;
END $$;
CREATE TRIGGER interactions_tally_insert AFTER INSERT ON interactions FOR EACH ROW
WHEN (NEW.response IS NOT NULL OR NEW.result IS NOT NULL) EXECUTE FUNCTION interactions_tally_insert();

-- Removing the answer record hands the answer to the next newest record of that question.
CREATE FUNCTION interactions_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM question_finals f
    WHERE f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id AND f.idx = OLD.idx) THEN
    RETURN NULL;
  END IF;
  PERFORM question_final_unfold(OLD.attempt_id, OLD.sco_id, OLD.interaction_id);
  INSERT INTO question_finals (attempt_id, sco_id, interaction_id, idx, course_id, response, result)
  SELECT i.attempt_id, i.sco_id, i.interaction_id, i.idx, f.course_id, i.response, i.result
  FROM interactions i JOIN question_finals f ON f.attempt_id = OLD.attempt_id AND f.sco_id = OLD.sco_id AND f.interaction_id = OLD.interaction_id
  WHERE i.attempt_id = OLD.attempt_id AND i.sco_id = OLD.sco_id AND i.idx < OLD.idx AND i.interaction_id = OLD.interaction_id
    AND (i.response IS NOT NULL OR i.result IS NOT NULL)
  ORDER BY i.idx DESC LIMIT 1
  ON CONFLICT (attempt_id, sco_id, interaction_id) DO UPDATE SET idx = excluded.idx, response = excluded.response, result = excluded.result;
  DELETE FROM question_finals WHERE attempt_id = OLD.attempt_id AND sco_id = OLD.sco_id AND interaction_id = OLD.interaction_id AND idx = OLD.idx;
  PERFORM question_final_fold(OLD.attempt_id, OLD.sco_id, OLD.interaction_id);
  RETURN NULL;
END $$;
CREATE TRIGGER interactions_tally_delete AFTER DELETE ON interactions FOR EACH ROW EXECUTE FUNCTION interactions_tally_delete();

-- Any other edit recounts the question the record left and the one it joined.
CREATE FUNCTION interactions_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM question_final_recount(OLD.attempt_id, OLD.sco_id, OLD.interaction_id);
  PERFORM question_final_recount(NEW.attempt_id, NEW.sco_id, NEW.interaction_id);
  RETURN NULL;
END $$;
CREATE TRIGGER interactions_tally_update AFTER UPDATE OF attempt_id, sco_id, idx, interaction_id, response, result ON interactions
FOR EACH ROW EXECUTE FUNCTION interactions_tally_update();
