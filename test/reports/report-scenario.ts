/**
 * A small bank with one employee in each certification status, a leaver, a transfer and a
 * formula-shaped name — the same facts for the export, dashboard and CLI tests.
 *
 *   HO 瑞和银行总行
 *   ├── GD 广东省分行            钱七 (no. 000123) C1 not started · 赵六 C1 not started (moved here from ZJ on 2026-05-15)
 *   │   └── GD-GZ 广州天河支行   =HYPERLINK… C1 certified, C2 overdue · 张三 C1 expiring, C2 failed (+ C3 self-enrolled)
 *   │                            王五 left on 2026-06-01 (C1 due 2026-05-01)
 *   └── ZJ 浙江省分行            李四 C1 expired, C2 in progress
 * The clock is 2026-06-01 10:00 in Asia/Shanghai. Accounts with roles belong to no branch.
 */
import { buildTestApp, createBranch, createUser, type TestContext } from '../helpers/test-app.js';
import { addAttempt, addCertificate, addCourse, assign } from './report-fixtures.js';

export const FORMULA_NAME = '=HYPERLINK("http://x","y")';

export interface ReportScenario {
  ctx: TestContext;
  people: Record<'formula' | 'zhang' | 'li' | 'leaver' | 'mover' | 'qian', { id: number; employeeNo: string }>;
  accounts: Record<'admin' | 'hrGd' | 'employee' | 'trainer', { id: number; username: string }>;
}

export async function buildReportScenario(): Promise<ReportScenario> {
  const ctx = buildTestApp();
  const { app } = ctx;
  await createBranch(app, 'HO', null, '瑞和银行总行');
  await createBranch(app, 'GD', 'HO', '广东省分行');
  await createBranch(app, 'GD-GZ', 'GD', '广州天河支行');
  await createBranch(app, 'ZJ', 'HO', '浙江省分行');
  const c1 = addCourse(app, 'C1', '消费者权益保护');
  const c2 = addCourse(app, 'C2', '反洗钱基础');
  const c3 = addCourse(app, 'C3', '选修：沟通技巧');

  const person = async (name: string, branch: string) => {
    const user = await createUser(app, { roles: ['employee'], branch, name, position: '柜员' });
    return { id: user.id, employeeNo: user.employeeNo! };
  };
  const formula = await person(FORMULA_NAME, 'GD-GZ');
  addCertificate(app, { serial: 'CERT-0001', userId: formula.id, courseId: c1, issuedAt: '2026-02-01T03:00:00.000Z', expiresAt: '2027-02-01', score: 95 });
  assign(app, formula.id, c1, '2026-03-31');
  assign(app, formula.id, c2, '2026-05-01');

  const zhang = await person('张三', 'GD-GZ');
  assign(app, zhang.id, c1, '2026-03-31');
  addCertificate(app, { serial: 'CERT-0002', userId: zhang.id, courseId: c1, issuedAt: '2025-06-20T03:00:00.000Z', expiresAt: '2026-06-20', score: 88 });
  const zhangC2 = assign(app, zhang.id, c2, '2026-07-31');
  addAttempt(app, zhangC2, { startedAt: '2026-05-20T01:00:00.000Z', finishedAt: '2026-05-20T01:30:00.000Z', completion: 'completed', success: 'failed', scoreScaled: 0.45 });
  assign(app, zhang.id, c3, null, '2026-01-05T02:00:00.000Z', 'self');

  const li = await person('李四', 'ZJ');
  assign(app, li.id, c1, '2025-06-30');
  addCertificate(app, { serial: 'CERT-0003', userId: li.id, courseId: c1, issuedAt: '2025-03-01T03:00:00.000Z', expiresAt: '2026-03-01', score: 80 });
  const liC2 = assign(app, li.id, c2, '2026-07-31');
  addAttempt(app, liC2, { startedAt: '2026-05-25T01:00:00.000Z', finishedAt: null, completion: 'incomplete', success: 'unknown' });

  const { users, branches } = app.lms.repositories;
  const leaver = await person('王五', 'GD-GZ');
  assign(app, leaver.id, c1, '2026-05-01');
  const leaverUser = (await users.findById(leaver.id))!;
  await users.update(leaver.id, { ...inputOf(leaverUser), status: 'left' }, { actorId: null });

  const mover = await person('赵六', 'ZJ');
  assign(app, mover.id, c1, '2026-07-31');
  const moverUser = (await users.findById(mover.id))!;
  await users.update(mover.id, { ...inputOf(moverUser), branchId: (await branches.findByCode('GD'))!.id }, { actorId: null }, '2026-05-15T00:00:00.000Z');

  const qianUser = await app.lms.services.org.createUser({
    username: 'qian7', employeeNo: '000123', name: '钱七', email: null, branchCode: 'GD', position: '客户经理', hiredAt: '2024-01-01',
    status: 'active', password: null,
  }, null, [{ role: 'employee', scopeBranchId: null }]);
  assign(app, qianUser.id, c1, '2026-07-31');

  const account = async (username: string, roles: Parameters<typeof createUser>[1]['roles']) => {
    const user = await createUser(app, { username, roles });
    return { id: user.id, username };
  };
  return {
    ctx,
    people: { formula, zhang, li, leaver, mover, qian: { id: qianUser.id, employeeNo: '000123' } },
    accounts: {
      admin: await account('admin', ['admin']),
      hrGd: await account('hrgd', [{ role: 'hr', scope: 'GD' }]),
      employee: await account('emp', ['employee']),
      trainer: await account('trainer1', ['trainer']),
    },
  };
}

function inputOf(user: { username: string; employeeNo: string | null; name: string; email: string | null; branchId: number | null; position: string | null; hiredAt: string | null; status: 'active' | 'left' }) {
  return {
    username: user.username, employeeNo: user.employeeNo, name: user.name, email: user.email, branchId: user.branchId,
    position: user.position, hiredAt: user.hiredAt, status: user.status,
  };
}
