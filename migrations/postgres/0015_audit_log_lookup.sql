-- PostgreSQL twin of ../0015_audit_log_lookup.sql (the same SQL).
-- The audit log page filters by person and by action, newest first (keyset on id): one index per
-- filter keeps each page a bounded index range, whatever the size of the trail.
CREATE INDEX audit_events_actor ON audit_events(actor_id, id);
CREATE INDEX audit_events_action ON audit_events(action, id);
