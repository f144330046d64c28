/**
 * Random writes to the records the dashboard's status tallies react to, the way the app's writers
 * make them: SQL straight into the tables (the tallies' triggers do not care who writes), every
 * timestamp by the report scenario's clock (2026-06-01T02:00Z: every record happened by then).
 *
 * The SQL is plain enough for both dialects and every insert names its id, so the same sequence
 * can be replayed on SQLite and on PostgreSQL (test/db/postgres/status-tallies-twin.test.ts);
 * what to write next is decided from what `column` reads.
 */
import { addDaysToLocalDate } from '../../server/certification/calendar.js';

export interface TallyWriteStore {
  /** A write, with `?` placeholders; awaited so a second database can follow it. */
  run(sql: string, ...params: unknown[]): Promise<void>;
  /** The first column of a read's rows. */
  column(sql: string, ...params: unknown[]): unknown[];
}

export interface TallyWorld {
  /** People with a branch (the generator adds its hires with `wider`). */
  users: number[];
  /** Courses to enrol in, the exam course among them. */
  courses: number[];
  branches: number[];
  examCourse: number;
  bankId: number;
}

/** A seeded generator, so a failure can be replayed. */
export function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

export const instant = (daysBefore: number, hour = 3) => new Date(Date.UTC(2026, 4, 31 - daysBefore, hour)).toISOString();
export const day = (offset: number) => addDaysToLocalDate('2026-06-01', offset);

/**
 * `count` random writes, `check` every `checkEvery`. With `wider`, also the writes the app makes
 * rarely or in bulk: hires (some without a branch), leavers' rows deleted, enrollments deleted or
 * turned self-enrolled, certificates deleted or moved to another person, exam papers deleted, the
 * exam setting deleted, and multi-row statements (a branch merged into another, a course's due
 * dates moved, all of a person's certificates revoked at once, an enrollment's attempts reset).
 */
export async function statusWrites(store: TallyWriteStore, world: TallyWorld, options: {
  pick: (n: number) => number; count: number; checkEvery: number; check: () => Promise<void>; wider?: boolean;
}): Promise<void> {
  const { pick, count, checkEvery, check, wider = false } = options;
  const { users, courses, branches, examCourse: c4, bankId } = world;
  const one = (sql: string, ...params: unknown[]) => store.column(sql, ...params)[0];
  const nextId = (table: string) => Number(one(`SELECT COALESCE(MAX(id), 0) + 1 FROM ${table}`));
  const enrollmentOf = (userId: number, courseId: number) => one('SELECT id FROM enrollments WHERE user_id = ? AND course_id = ?', userId, courseId) as number | undefined;
  const assign = (userId: number, courseId: number, dueAt: string | null, assignedAt: string, source: string) => store.run(
    'INSERT INTO enrollments (id, user_id, course_id, due_at, assigned_at, source) VALUES (?, ?, ?, ?, ?, ?)', nextId('enrollments'), userId, courseId, dueAt, assignedAt, source);
  const certify = (userId: number, courseId: number, score: number, issuedAt: string, expiresAt: string) => {
    const id = nextId('certificates');
    return store.run('INSERT INTO certificates (id, serial, user_id, course_id, score, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      id, `T-${id}`, userId, courseId, score, issuedAt, expiresAt);
  };
  const due = () => [null, day(-40 + pick(80)), `${day(-10 + pick(30))}T15:59:59.999Z`][pick(3)];
  const expiry = () => [day(-60 + pick(500)), day(pick(45))][pick(2)];
  for (let op = 1; op <= count; op++) {
    const userId = users[pick(users.length)];
    const courseId = courses[pick(courses.length)];
    const enrollmentId = enrollmentOf(userId, courseId);
    const kind = pick(14);
    if (wider && pick(4) === 0) {
      await widerWrite(store, world, pick, { userId, courseId, enrollmentId, nextId });
    } else if (enrollmentId === undefined || kind === 0) {
      if (enrollmentId === undefined) await assign(userId, courseId, due(), instant(200 + pick(30)), pick(8) === 0 ? 'self' : 'assignment');
      else await store.run('UPDATE enrollments SET due_at = ? WHERE id = ?', due(), enrollmentId);
    } else if (kind <= 3) { // an attempt starts, maybe finishes at once
      const number = Number(one('SELECT COALESCE(MAX(number), 0) FROM attempts WHERE enrollment_id = ?', enrollmentId)) + 1;
      const version = one('SELECT id FROM course_versions WHERE course_id = ?', courseId);
      const started = instant(pick(30), 1 + pick(5));
      const outcome = pick(4);
      await store.run(`INSERT INTO attempts (id, enrollment_id, version_id, number, started_at, finished_at, completion_status, success_status, score_scaled)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, nextId('attempts'), enrollmentId, version, number, started, outcome === 0 ? null : started,
      ['incomplete', 'completed', 'completed', 'incomplete'][outcome], ['unknown', 'passed', 'failed', 'unknown'][outcome], outcome === 0 ? null : pick(100) / 100);
    } else if (kind === 4) { // a commit: the newest attempt's statuses change
      await store.run(`UPDATE attempts SET finished_at = COALESCE(finished_at, started_at), completion_status = ?, success_status = ?, total_seconds = total_seconds + 30
        WHERE id = (SELECT id FROM attempts WHERE enrollment_id = ? ORDER BY number DESC LIMIT 1)`,
      ['completed', 'incomplete'][pick(2)], ['passed', 'failed', 'unknown'][pick(3)], enrollmentId);
    } else if (kind === 5) { // an attempt removed (a reset)
      await store.run('DELETE FROM attempts WHERE id = (SELECT id FROM attempts WHERE enrollment_id = ? ORDER BY number DESC LIMIT 1)', enrollmentId);
    } else if (kind <= 7) { // a certificate
      await certify(userId, courseId, 90, instant(20 + pick(20)), expiry());
    } else if (kind === 8) { // a revocation
      await store.run(`UPDATE certificates SET revoked_at = ?, revoked_reason = 'test' WHERE id = (SELECT id FROM certificates
        WHERE user_id = ? AND course_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1)`, instant(pick(10)), userId, courseId);
    } else if (kind === 9) { // an exam paper opened or submitted (the exam course, switched on once)
      if (op > count / 3) {
        await store.run(`INSERT INTO course_exams (course_id, bank_id, rules_json, pass_mark, time_limit_minutes, updated_at)
          VALUES (?, ?, '[]', 60, 30, ?) ON CONFLICT (course_id) DO NOTHING`, c4, bankId, instant(30));
      }
      const open = one('SELECT id FROM exam_attempts WHERE user_id = ? AND course_id = ? AND submitted_at IS NULL', userId, c4) as number | undefined;
      if (open !== undefined) {
        const passed = pick(2);
        await store.run(`UPDATE exam_attempts SET submitted_at = started_at, submitted_by = 'learner', correct_count = ?, score = ?, passed = ? WHERE id = ?`,
          passed ? 9 : 3, passed ? 90 : 30, passed, open);
      } else {
        const number = Number(one('SELECT COALESCE(MAX(number), 0) FROM exam_attempts WHERE user_id = ? AND course_id = ?', userId, c4)) + 1;
        const started = instant(pick(30), 2 + pick(6));
        await store.run(`INSERT INTO exam_attempts (id, course_id, user_id, number, started_at, deadline, question_count, pass_mark, review_policy)
          VALUES (?, ?, ?, ?, ?, ?, 10, 60, 'score_only')`, nextId('exam_attempts'), c4, userId, number, started, started);
        if (enrollmentOf(userId, c4) === undefined) await assign(userId, c4, due(), instant(250), 'assignment');
      }
    } else if (kind === 11 && pick(3) === 0) { // a branch (with its sub-branch) moved to another province
      await moveBranch(store);
    } else if (kind <= 11) { // a roster move
      await store.run('UPDATE users SET branch_id = ?, updated_at = ? WHERE id = ?', branches[pick(branches.length)], instant(0), userId);
    } else if (kind === 12) { // a leaver (on a past or a coming day), or back at work
      const leaving = pick(3);
      await store.run('UPDATE users SET status = ?, left_at = ? WHERE id = ?',
        leaving === 2 ? 'active' : 'left', leaving === 2 ? null : leaving === 0 ? day(-pick(20)) : day(1 + pick(40)), userId);
    } else { // the exam switched off and on again
      await store.run('UPDATE course_exams SET is_enabled = 1 - is_enabled WHERE course_id = ?', c4);
    }
    if (op % checkEvery === 0) await check();
  }
  // Exam courses count only while switched on; end with it on.
  await store.run('UPDATE course_exams SET is_enabled = 1 WHERE course_id = ?', c4);
  // Some people certified in everything they are assigned (per-person compliance), to a far day.
  for (const userId of users.slice(-12)) {
    for (const courseId of store.column("SELECT course_id FROM enrollments WHERE user_id = ? AND source <> 'self'", userId) as number[]) {
      await certify(userId, courseId, 95, instant(2), day(300 + pick(200)));
    }
  }
  await check();
}

/**
 * ZJ-HZ (with its sub-branches) moved between the provinces ZJ and GD, as BranchesRepository.update
 * does: parent_id, then every path and depth of the subtree rewritten in one statement. Worlds
 * without those branches skip it.
 */
async function moveBranch(store: TallyWriteStore): Promise<void> {
  const branchOf = (code: string) => {
    const [id] = store.column('SELECT id FROM branches WHERE code = ?', code);
    if (id === undefined) return undefined;
    const [path] = store.column('SELECT path FROM branches WHERE id = ?', id);
    const [depth] = store.column('SELECT depth FROM branches WHERE id = ?', id);
    return { id: Number(id), path: String(path), depth: Number(depth) };
  };
  const [moved, zj, gd] = [branchOf('ZJ-HZ'), branchOf('ZJ'), branchOf('GD')];
  if (!moved || !zj || !gd) return;
  const parent = moved.path.startsWith(zj.path) ? gd : zj;
  await store.run('UPDATE branches SET parent_id = ? WHERE id = ?', parent.id, moved.id);
  // CASTs: PostgreSQL cannot infer a parameter's type inside length() or ||.
  await store.run(`UPDATE branches SET path = CAST(? AS TEXT) || substr(path, length(CAST(? AS TEXT)) + 1), depth = depth + ?
    WHERE path >= ? AND path < ?`, `${parent.path}${moved.id}/`, moved.path, parent.depth + 1 - moved.depth, moved.path, `${moved.path.slice(0, -1)}0`);
}

async function widerWrite(store: TallyWriteStore, world: TallyWorld, pick: (n: number) => number, at: {
  userId: number; courseId: number; enrollmentId: number | undefined; nextId: (table: string) => number;
}): Promise<void> {
  const { users, branches, examCourse } = world;
  const { userId, courseId, enrollmentId, nextId } = at;
  const one = (sql: string, ...params: unknown[]) => store.column(sql, ...params)[0];
  switch (pick(11)) {
    case 0: { // a hire; one in five waits for a branch
      const id = nextId('users');
      const branch = pick(5) === 0 ? null : branches[pick(branches.length)];
      await store.run(`INSERT INTO users (id, username, employee_no, name, branch_id, status, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'active', ?, ?)`, id, `hire${id}`, `H${id}`, `新员工${id}`, branch, instant(1), instant(1));
      users.push(id);
      return;
    }
    case 1: { // a hire's row removed before anything was recorded for them
      const spare = one(`SELECT u.id FROM users u WHERE u.username LIKE 'hire%'
        AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id) AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.user_id = u.id)
        AND NOT EXISTS (SELECT 1 FROM exam_attempts x WHERE x.user_id = u.id) ORDER BY u.id LIMIT 1`) as number | undefined;
      if (spare === undefined) return;
      await store.run('DELETE FROM users WHERE id = ?', spare);
      users.splice(users.indexOf(spare), 1);
      return;
    }
    case 2: // an enrollment withdrawn: its attempts go first (one statement), then the enrollment
      if (enrollmentId === undefined) return;
      await store.run('DELETE FROM attempts WHERE enrollment_id = ?', enrollmentId);
      await store.run('DELETE FROM enrollments WHERE id = ?', enrollmentId);
      return;
    case 3: // assigned ↔ self-enrolled
      if (enrollmentId === undefined) return;
      await store.run("UPDATE enrollments SET source = CASE WHEN source = 'self' THEN 'assignment' ELSE 'self' END WHERE id = ?", enrollmentId);
      return;
    case 4: // a certificate deleted (a correction)
      await store.run('DELETE FROM certificates WHERE id = (SELECT id FROM certificates WHERE user_id = ? AND course_id = ? ORDER BY id DESC LIMIT 1)', userId, courseId);
      return;
    case 5: // a certificate moved to another person (issued to the wrong one)
      await store.run('UPDATE certificates SET user_id = ? WHERE id = (SELECT id FROM certificates WHERE user_id = ? ORDER BY id LIMIT 1)',
        users[pick(users.length)], userId);
      return;
    case 6: // an exam paper deleted
      await store.run('DELETE FROM exam_attempts WHERE id = (SELECT id FROM exam_attempts WHERE user_id = ? ORDER BY number DESC LIMIT 1)', userId);
      return;
    case 7: // the exam setting deleted (it comes back with the next exam write)
      await store.run('DELETE FROM course_exams WHERE course_id = ?', examCourse);
      return;
    case 8: // a branch merged into another: every person in it moves in one statement
      await store.run('UPDATE users SET branch_id = ? WHERE branch_id = ?', branches[pick(branches.length)], branches[pick(branches.length)]);
      return;
    case 9: // a course's deadline moved for everyone assigned it
      await store.run("UPDATE enrollments SET due_at = ? WHERE course_id = ? AND source <> 'self'", day(-5 + pick(20)), courseId);
      return;
    default: // every certificate of a person revoked at once
      await store.run("UPDATE certificates SET revoked_at = ?, revoked_reason = 'bulk' WHERE user_id = ? AND revoked_at IS NULL", instant(pick(5)), userId);
  }
}
