/**
 * The baseline for bench:commit: the least a commit endpoint can do. Express parses the same JSON
 * body, better-sqlite3 upserts it as one row keyed by (attempt, sco), with the app's own pragmas
 * (WAL, synchronous=FULL). No session, no validation, no merge. Runs as a child process.
 */
import Database from 'better-sqlite3';
import express from 'express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { announce } from '../shared/child-server.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-commit-bare-'));
const db = new Database(path.join(dir, 'bare.db'));
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
db.exec(`CREATE TABLE sco_states (attempt_id INTEGER NOT NULL, sco_id INTEGER NOT NULL, cmi_json TEXT NOT NULL,
  updated_at TEXT NOT NULL, PRIMARY KEY (attempt_id, sco_id))`);
const upsert = db.prepare(`INSERT INTO sco_states (attempt_id, sco_id, cmi_json, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (attempt_id, sco_id) DO UPDATE SET cmi_json = excluded.cmi_json, updated_at = excluded.updated_at`);

const app = express();
app.post('/commit/:attempt/:sco', express.json({ limit: '2mb' }), (req, res) => {
  upsert.run(Number(req.params.attempt), Number(req.params.sco), JSON.stringify(req.body), new Date().toISOString());
  res.json({ result: true, errorCode: 0 });
});

const server = app.listen(0, '127.0.0.1', () => announce(server, {}, () => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}));
