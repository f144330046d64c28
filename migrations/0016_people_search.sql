-- Searches on the trainer's learner list, people search and the branch picker (issue 17).
-- A branch's people in employee-number order: the learner list filtered to a subtree walks
-- branches by path and each branch's people by number, so no page sorts a whole course.
CREATE INDEX users_branch_employee_no ON users(branch_id, employee_no);
-- Distinct positions for the assignment form, read by skipping along this index (one seek per value).
CREATE INDEX users_position ON users(position);
-- Reminders a trainer sends from the learner list: shown to the learner in the app, and mailed
-- when the person has an address and mail is configured (emailed = 1).
CREATE TABLE learner_reminders (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  course_id INTEGER NOT NULL REFERENCES courses(id),
  sent_by   INTEGER REFERENCES users(id),
  sent_at   TEXT NOT NULL,
  emailed   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX learner_reminders_user ON learner_reminders(user_id, sent_at);
