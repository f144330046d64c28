/**
 * A bank-sized database for the export benchmark: a 5-level branch tree, employees spread over
 * every branch, 10 assigned courses each, and certificates / attempts chosen so every
 * certification status appears (as of BENCH_AS_OF). Written with a few prepared statements in
 * large transactions, straight into the real schema (the app's migrations).
 *
 * The file is cached under data/bench/ keyed by the sizes, this generator's version and the
 * migrations' content, so a re-run skips the minute of generation.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../server/db/migrate.js';

/** Bump when the generated data changes shape. */
const GENERATOR_VERSION = 'bank-v1';

/** The date the statuses below are arranged around. */
export const BENCH_AS_OF = '2026-06-01';

export interface BankSize { branches: number; employees: number; courses: number }

export const FULL_BANK: BankSize = { branches: 15_500, employees: 415_000, courses: 10 };

const LEVEL_NAMES = ['总行', '省分行', '市分行', '支行', '网点'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '欧阳'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];
const POSITIONS = ['柜员', '客户经理', '理财经理', '大堂经理', '网点负责人', '综合管理员'];
const COURSE_TITLES = ['消费者权益保护基础', '个人信息保护', '反洗钱与反恐怖融资', '理财产品适当性管理', '投诉处理规范',
  '金融营销宣传合规', '残障人士金融服务', '老年客户服务规范', '银行卡业务风险', '存款保险制度'];

/** Branches per level (head office first); the outlets take what is left. */
export function levelSizes(total: number): number[] {
  const provinces = Math.max(1, Math.round(total * 0.002));
  const cities = Math.max(1, Math.round(total * 0.02));
  const subBranches = Math.max(1, Math.round(total * 0.1));
  const outlets = total - 1 - provinces - cities - subBranches;
  if (outlets < 1) throw new RangeError(`Need at least 5 branches for 5 levels, got ${total}`);
  return [1, provinces, cities, subBranches, outlets];
}

export function cacheFile(projectRoot: string, size: BankSize): string {
  const migrationsDir = path.join(projectRoot, 'migrations');
  const hash = crypto.createHash('sha256').update(`${GENERATOR_VERSION} ${size.branches} ${size.employees} ${size.courses}`);
  for (const file of fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort()) hash.update(file).update(fs.readFileSync(path.join(migrationsDir, file)));
  return path.join(projectRoot, 'data', 'bench', `export-${size.employees}-${hash.digest('hex').slice(0, 12)}.db`);
}

/** The cached database for these sizes, generated first when missing. */
export function ensureBankDatabase(projectRoot: string, size: BankSize, log: (line: string) => void = () => {}): string {
  const file = cacheFile(projectRoot, size);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  const started = performance.now();
  generateBank(partial, projectRoot, size);
  fs.renameSync(partial, file);
  log(`generated ${path.relative(projectRoot, file)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

// Every status lands on a share of enrollments: certified 45 %, expiring 8 %, expired 8 %,
// overdue 10 %, in progress 10 %, failed 8 %, not started 11 %.
type Plan = 'certified' | 'expiring' | 'expired' | 'overdue' | 'in_progress' | 'failed' | 'not_started';
function planFor(bucket: number): Plan {
  if (bucket < 45) return 'certified';
  if (bucket < 53) return 'expiring';
  if (bucket < 61) return 'expired';
  if (bucket < 71) return 'overdue';
  if (bucket < 81) return 'in_progress';
  if (bucket < 89) return 'failed';
  return 'not_started';
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isoDay(base: string, plusDays: number, time = '02:30:00.000Z'): string {
  const d = new Date(`${base}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

export function generateBank(file: string, projectRoot: string, size: BankSize): void {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  migrate(db, path.join(projectRoot, 'migrations'), () => new Date('2025-01-01T00:00:00Z'));
  const created = '2025-01-01T00:00:00.000Z';

  // Branches, level by level so every parent exists (and has its path) before its children.
  const insertBranch = db.prepare(`INSERT INTO branches (id, code, name, parent_id, path, depth, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const paths: string[] = [''];
  db.transaction(() => {
    let id = 0;
    let previous: number[] = [];
    levelSizes(size.branches).forEach((count, depth) => {
      const current: number[] = [];
      for (let i = 0; i < count; i++) {
        id++;
        const parent = depth === 0 ? null : previous[i % previous.length];
        const branchPath = `${parent === null ? '/' : paths[parent]}${id}/`;
        paths[id] = branchPath;
        const code = depth === 0 ? 'HO' : `B${pad(id, 5)}`;
        insertBranch.run(id, code, `${LEVEL_NAMES[depth]}${pad(i + 1, 4)}`, parent, branchPath, depth, created, created);
        current.push(id);
      }
      previous = current;
    });
  })();

  const insertCourse = db.prepare(`INSERT INTO courses (id, code, title, validity_months, status, created_at, updated_at)
    VALUES (?, ?, ?, 12, 'published', ?, ?)`);
  const insertVersion = db.prepare(`INSERT INTO course_versions (id, course_id, number, scorm_version, title, manifest_json, sha256,
    size_bytes, storage_dir, uploaded_at) VALUES (?, ?, 1, '2004-4th', ?, '{}', '', 0, '', ?)`);
  db.transaction(() => {
    for (let c = 1; c <= size.courses; c++) {
      const title = COURSE_TITLES[(c - 1) % COURSE_TITLES.length];
      insertCourse.run(c, `CP${pad(c, 3)}`, title, created, created);
      insertVersion.run(c, c, title, created);
    }
  })();

  const insertUser = db.prepare(`INSERT INTO users (id, username, employee_no, name, branch_id, position, hired_at, status, left_at,
    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertHistory = db.prepare('INSERT INTO user_branch_history (user_id, branch_id, from_at, to_at) VALUES (?, ?, ?, ?)');
  const insertEnrollment = db.prepare(`INSERT INTO enrollments (id, user_id, course_id, due_at, assigned_at, source)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const insertAttempt = db.prepare(`INSERT INTO attempts (enrollment_id, version_id, number, started_at, finished_at,
    completion_status, success_status, score_scaled) VALUES (?, ?, 1, ?, ?, ?, ?, ?)`);
  const insertCertificate = db.prepare(`INSERT INTO certificates (serial, user_id, course_id, score, issued_at, expires_at, revoked_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);

  const branchCount = size.branches;
  let enrollmentId = 0;
  let serial = 0;
  const BATCH = 20_000;
  for (let start = 1; start <= size.employees; start += BATCH) {
    db.transaction(() => {
      for (let u = start; u < Math.min(start + BATCH, size.employees + 1); u++) {
        // A multiplicative spread puts ~employees/branches people in every branch, leaves included.
        const branchId = 1 + ((u * 7919) % branchCount);
        const hiredAt = `20${pad(10 + (u % 15), 2)}-${pad(1 + (u % 12), 2)}-${pad(1 + (u % 28), 2)}`;
        const hasLeft = u % 50 === 7;
        const name = SURNAMES[u % SURNAMES.length] + GIVEN[(u * 7) % GIVEN.length] + (u % 3 === 0 ? GIVEN[(u * 13) % GIVEN.length] : '');
        insertUser.run(u, `u${u}`, `E${pad(u, 7)}`, name, branchId, POSITIONS[u % POSITIONS.length], hiredAt,
          hasLeft ? 'left' : 'active', hasLeft ? '2026-02-15T03:00:00.000Z' : null, created, created);
        // One in a hundred moved here on 2025-12-01 from another branch.
        if (u % 100 === 3) {
          const oldBranch = 1 + ((u * 104_729) % branchCount);
          insertHistory.run(u, oldBranch, hiredAt, '2025-12-01T00:00:00.000Z');
          insertHistory.run(u, branchId, '2025-12-01T00:00:00.000Z', null);
        } else {
          insertHistory.run(u, branchId, hiredAt, null);
        }
        for (let c = 1; c <= size.courses; c++) {
          enrollmentId++;
          const plan = planFor((u * 37 + c * 11) % 100);
          const jitter = (u + c) % 20;
          const isSelf = u % 97 === 5 && c === 1;
          const dueAt = plan === 'overdue' ? isoDay('2026-05-01', jitter, '15:59:59.999Z')
            : plan === 'certified' || plan === 'expiring' || plan === 'expired' ? `2025-06-${pad(10 + jitter, 2)}`
              : `2026-07-${pad(5 + jitter, 2)}`;
          insertEnrollment.run(enrollmentId, u, c, dueAt, isoDay('2025-01-10', jitter), isSelf ? 'self' : 'assignment');
          const score = 0.6 + ((u + c) % 40) / 100;
          switch (plan) {
            case 'certified':
            case 'expiring':
            case 'expired': {
              const issued = plan === 'certified' ? isoDay('2025-09-01', jitter) : plan === 'expiring' ? isoDay('2025-06-05', jitter) : isoDay('2025-03-01', jitter);
              const expires = plan === 'certified' ? isoDay('2026-09-01', jitter, '15:59:59.999Z')
                : plan === 'expiring' ? isoDay('2026-06-05', jitter, '15:59:59.999Z') : isoDay('2026-03-01', jitter, '15:59:59.999Z');
              insertAttempt.run(enrollmentId, c, issued, issued, 'completed', 'passed', Math.max(score, 0.8));
              serial++;
              const code = pad(serial, 12);
              insertCertificate.run(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`, u, c,
                Math.round(Math.max(score, 0.8) * 100), issued, expires, null);
              break;
            }
            case 'in_progress':
              insertAttempt.run(enrollmentId, c, isoDay('2026-05-10', jitter), null, 'incomplete', 'unknown', null);
              break;
            case 'failed':
              insertAttempt.run(enrollmentId, c, isoDay('2026-04-10', jitter), isoDay('2026-04-10', jitter, '03:10:00.000Z'), 'completed', 'failed', score - 0.3);
              break;
            default:
              break;
          }
        }
      }
    })();
  }
  db.close();
}
