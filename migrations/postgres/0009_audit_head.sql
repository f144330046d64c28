-- PostgreSQL twin of ../0009_audit_head.sql: the trail's head, advanced by a trigger in the same
-- transaction as each append, and only ever one event forward.
CREATE TABLE audit_head (
  id        integer PRIMARY KEY CHECK (id = 1),
  last_id   integer NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
SELECT 1, COALESCE(MAX(id), 0), COALESCE((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000')
FROM audit_events;

CREATE FUNCTION audit_events_advance_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash WHERE id = 1;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_events_advance_head AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_advance_head();

CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_head only moves forward with an appended event';
END $$;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head FOR EACH ROW
WHEN (NEW.last_id <> OLD.last_id + 1) EXECUTE FUNCTION audit_head_forward_only();

CREATE FUNCTION audit_head_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_head cannot be deleted';
END $$;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_fixed();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION audit_head_fixed();
