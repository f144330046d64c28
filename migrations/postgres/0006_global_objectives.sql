-- PostgreSQL twin of ../0006_global_objectives.sql.
CREATE TABLE global_objectives (
  user_id      integer NOT NULL REFERENCES users(id),
  objective_id text NOT NULL,
  data_json    text NOT NULL,
  updated_at   text NOT NULL,
  PRIMARY KEY (user_id, objective_id)
);
