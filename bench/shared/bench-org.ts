import type { LmsApp } from '../../server/app.js';

/** The password of every account a bench server creates (the parent signs them in through the login form). */
export const BENCH_PASSWORD = 'bench-password-0123';

export interface BenchOrg { password: string; trainer: string; learners: string[] }

/**
 * The organisation bench:commit, bench:exam and bench:launch serve: head office (HO), a trainer
 * `bench-trainer` and `learnerCount` employees `learner1`…, all with BENCH_PASSWORD — what their
 * servers announce to the parent.
 */
export async function seedBenchOrg(app: LmsApp, learnerCount: number): Promise<BenchOrg> {
  const { org } = app.lms.services;
  await org.createBranch({ code: 'HO', name: '总行', parentCode: null }, null);
  const user = (username: string, employeeNo: string, name: string) => ({
    username, employeeNo, name, email: null, branchCode: 'HO', position: null, hiredAt: '2024-01-01', status: 'active' as const, password: BENCH_PASSWORD,
  });
  await org.createUser(user('bench-trainer', 'T000001', '培训师'), null, [{ role: 'trainer', scopeBranchId: null }]);
  const learners: string[] = [];
  for (let i = 1; i <= learnerCount; i += 1) {
    await org.createUser(user(`learner${i}`, `E${String(i).padStart(6, '0')}`, `学员${i}`), null, [{ role: 'employee', scopeBranchId: null }]);
    learners.push(`learner${i}`);
  }
  return { password: BENCH_PASSWORD, trainer: 'bench-trainer', learners };
}
