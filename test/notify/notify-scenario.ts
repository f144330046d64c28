/**
 * A small bank for the reminder tests, made through the app (published packages, assignments,
 * certificates). Assignments were made on 2026-05-01; the tests run from 2026-06-01 10:00
 * Asia/Shanghai.
 *
 *   HO 总行
 *   ├── GD 广东省分行          薄一 C1 due 2026-05-25 → overdue
 *   │   └── GD-GZ 天河支行     Ann (en) C1 due 2026-06-05 → due soon · 伊娃 (no e-mail) C1 due 2026-05-25 → overdue
 *   │                          邓丹 (manager) C1 due 2026-07-31 → nothing; C2 certified until 2027-05-01 → nothing
 *   │                          范一 left the bank, C1 due 2026-05-25 → nothing
 *   ├── ZJ 浙江省分行          蔡三 C1 certificate expiring 2026-06-20 → expiring
 *   └── SH 上海分行            nobody
 * hr accounts: hrGd (scope GD), hrZj (scope ZJ, en), hrAll (whole bank), hrSh (scope SH, nothing
 * to report), plus an admin and a trainer with e-mail addresses who get nothing.
 */
import type { LmsApp } from '../../server/app.js';
import type { Locale, LmsOptions } from '../../server/config.js';
import type { Role } from '../../server/org/users.repository.js';
import { buildTestApp, createBranch, type TestContext } from '../helpers/test-app.js';
import { publishCourse, sample } from '../helpers/launch.js';

export const PUBLIC_URL = 'https://lms.bank.test/training';

export interface Person { id: number; name: string; email: string | null; employeeNo: string }

export interface NotifyScenario {
  ctx: TestContext;
  courses: { c1: { id: number; title: string }; c2: { id: number; title: string } };
  people: Record<'ann' | 'bo' | 'cai' | 'dan' | 'eve' | 'fan', Person>;
  accounts: Record<'hrGd' | 'hrZj' | 'hrAll' | 'hrSh' | 'admin' | 'trainer', Person>;
}

export async function buildNotifyScenario(options: Partial<LmsOptions> = {}): Promise<NotifyScenario> {
  const ctx = buildTestApp({ publicUrl: PUBLIC_URL, ...options });
  const { app, clock } = ctx;
  clock.set('2026-05-01T02:00:00Z');
  await createBranch(app, 'HO', null, '总行');
  await createBranch(app, 'GD', 'HO', '广东省分行');
  await createBranch(app, 'GD-GZ', 'GD', '天河支行');
  await createBranch(app, 'ZJ', 'HO', '浙江省分行');
  await createBranch(app, 'SH', 'HO', '上海分行');

  const trainer = await person(app, { username: 'trainer', name: 'Trainer', email: 'trainer@bank.test', roles: [{ role: 'trainer' }], password: 'correct-horse-battery' });
  await publishCourse(app, 'trainer', 'C1', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
  await publishCourse(app, 'trainer', 'C2', sample('golf-ContentPackagingSingleSCO-SCORM2004-2nd.zip'));
  const course = async (code: string) => {
    const found = (await app.lms.repositories.courses.findByCode(code))!;
    return { id: found.id, title: found.title };
  };
  const c1 = await course('C1');
  const c2 = await course('C2');

  const people = {
    ann: await person(app, { username: 'ann', name: 'Ann Lee', email: 'ann@bank.test', branch: 'GD-GZ', locale: 'en' }),
    bo: await person(app, { username: 'bo', name: '薄一', email: 'bo@bank.test', branch: 'GD' }),
    cai: await person(app, { username: 'cai', name: '蔡三', email: 'cai@bank.test', branch: 'ZJ' }),
    dan: await person(app, { username: 'dan', name: '邓丹', email: 'dan@bank.test', branch: 'GD-GZ', position: 'manager' }),
    eve: await person(app, { username: 'eve', name: '伊娃', email: null, branch: 'GD-GZ' }),
    fan: await person(app, { username: 'fan', name: '范一', email: 'fan@bank.test', branch: 'GD-GZ' }),
  };
  const { certification, branches } = app.lms.repositories;
  const ho = (await branches.findByCode('HO'))!;
  const dueC1 = new Map([[people.ann.id, '2026-06-05'], [people.bo.id, '2026-05-25'], [people.cai.id, '2025-06-30'], [people.dan.id, '2026-07-31'],
    [people.eve.id, '2026-05-25'], [people.fan.id, '2026-05-25']]);
  // One bank-wide assignment; the due date per person stands for what a "days after hire" rule gives.
  await certification.createAssignment({
    courseId: c1.id, branchId: ho.id, includeSubBranches: true, positions: [], dueDate: null, dueDays: 30, dueBasis: 'hire', createdBy: trainer.id,
  }, (user) => dueC1.get(user.userId)!);
  await certification.createAssignment({
    courseId: c2.id, branchId: ho.id, includeSubBranches: true, positions: ['manager'], dueDate: '2026-12-31', dueDays: null, dueBasis: 'assignment', createdBy: trainer.id,
  }, () => '2026-12-31');
  await certification.issueCertificate({ serial: 'CERT-CAI-1', userId: people.cai.id, courseId: c1.id, attemptId: null, score: 90, issuedAt: '2025-06-20T03:00:00.000Z', expiresAt: '2026-06-20' });
  await certification.issueCertificate({ serial: 'CERT-DAN-2', userId: people.dan.id, courseId: c2.id, attemptId: null, score: 85, issuedAt: '2026-05-01T03:00:00.000Z', expiresAt: '2027-05-01' });
  await app.lms.services.org.updateUser(people.fan.id, {
    username: 'fan', employeeNo: people.fan.employeeNo, name: people.fan.name, email: people.fan.email, branchCode: 'GD-GZ', position: null,
    hiredAt: '2024-01-01', status: 'left', password: null,
  }, null);

  const accounts = {
    hrGd: await person(app, { username: 'hrgd', name: '广东人事', email: 'hrgd@bank.test', roles: [{ role: 'hr', scope: 'GD' }] }),
    hrZj: await person(app, { username: 'hrzj', name: 'Zhejiang HR', email: 'hrzj@bank.test', roles: [{ role: 'hr', scope: 'ZJ' }], locale: 'en' }),
    hrAll: await person(app, { username: 'hrall', name: '总行人事', email: 'hrall@bank.test', roles: [{ role: 'hr' }] }),
    hrSh: await person(app, { username: 'hrsh', name: '上海人事', email: 'hrsh@bank.test', roles: [{ role: 'hr', scope: 'SH' }] }),
    admin: await person(app, { username: 'admin', name: '管理员', email: 'admin@bank.test', roles: [{ role: 'admin' }] }),
    trainer,
  };
  clock.set('2026-06-01T02:00:00Z');
  return { ctx, courses: { c1, c2 }, people, accounts };
}

let counter = 0;

async function person(app: LmsApp, spec: {
  username: string; name: string; email: string | null; branch?: string; position?: string; locale?: Locale;
  roles?: Array<{ role: Role; scope?: string }>; password?: string;
}): Promise<Person> {
  counter += 1;
  const employeeNo = `N${String(counter).padStart(6, '0')}`;
  const roles = [];
  for (const r of spec.roles ?? [{ role: 'employee' as const }]) {
    roles.push({ role: r.role, scopeBranchId: r.scope ? (await app.lms.repositories.branches.findByCode(r.scope))!.id : null });
  }
  const user = await app.lms.services.org.createUser({
    username: spec.username, employeeNo, name: spec.name, email: spec.email, branchCode: spec.branch ?? null,
    position: spec.position ?? null, hiredAt: '2024-01-01', status: 'active', password: spec.password ?? null,
  }, null, roles);
  if (spec.locale) await app.lms.repositories.users.setLocale(user.id, spec.locale);
  return { id: user.id, name: spec.name, email: spec.email, employeeNo };
}
