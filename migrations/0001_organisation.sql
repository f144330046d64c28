-- Organisation: the branch tree, people, roles, transfers and API tokens.
CREATE TABLE branches (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  parent_id   INTEGER REFERENCES branches(id),
  -- materialised path of ids, e.g. '/1/7/42/': a subtree is one indexed prefix match
  path        TEXT NOT NULL UNIQUE,
  depth       INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX branches_parent ON branches(parent_id);

CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  username         TEXT NOT NULL UNIQUE,
  employee_no      TEXT UNIQUE,
  name             TEXT NOT NULL,
  email            TEXT,
  branch_id        INTEGER REFERENCES branches(id),
  position         TEXT,
  hired_at         TEXT,
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
  left_at          TEXT,
  password_hash    TEXT,
  external_subject TEXT UNIQUE,
  locale           TEXT CHECK (locale IN ('zh-CN', 'en')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX users_branch ON users(branch_id, status);
CREATE INDEX users_name ON users(name);

CREATE TABLE user_roles (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role            TEXT NOT NULL CHECK (role IN ('employee', 'trainer', 'hr', 'admin')),
  -- only hr roles are scoped; NULL means the whole bank
  scope_branch_id INTEGER REFERENCES branches(id),
  created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles(user_id, role, IFNULL(scope_branch_id, 0));

CREATE TABLE user_branch_history (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  branch_id INTEGER NOT NULL REFERENCES branches(id),
  from_at   TEXT NOT NULL,
  to_at     TEXT
);
CREATE INDEX user_branch_history_user ON user_branch_history(user_id, from_at);
CREATE INDEX user_branch_history_branch ON user_branch_history(branch_id);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
);
