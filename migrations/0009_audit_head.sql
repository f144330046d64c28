-- The audit trail's head (last event id and hash), advanced by a trigger in the same transaction as
-- each append: a truncated tail (the newest events deleted) leaves the head pointing past the end,
-- which `lms verify-audit` reports. The head only ever moves one event forward.
CREATE TABLE audit_head (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_id   INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
SELECT 1, COALESCE(MAX(id), 0), COALESCE((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000')
FROM audit_events;
CREATE TRIGGER audit_events_advance_head AFTER INSERT ON audit_events
BEGIN UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash WHERE id = 1; END;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head WHEN NEW.last_id <> OLD.last_id + 1
BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward with an appended event'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;
