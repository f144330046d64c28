import crypto from 'node:crypto';
import type { Container } from '../container.js';
import type { Role } from './users.repository.js';

const BRANCHES = [
  { code: 'HO', name: '瑞和银行总行', parent: null },
  { code: 'GD', name: '广东省分行', parent: 'HO' },
  { code: 'ZJ', name: '浙江省分行', parent: 'HO' },
  { code: 'GD-GZ', name: '广州天河支行', parent: 'GD' },
  { code: 'GD-SZ', name: '深圳福田支行', parent: 'GD' },
  { code: 'ZJ-HZ', name: '杭州西湖支行', parent: 'ZJ' },
  { code: 'ZJ-NB', name: '宁波海曙支行', parent: 'ZJ' },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];
const POSITIONS = ['柜员', '客户经理', '理财经理', '大堂经理', '网点负责人'];

const ACCOUNTS: Array<{ username: string; name: string; branch: string; position: string; roles: Array<{ role: Role; scope?: string }> }> = [
  { username: 'admin', name: '系统管理员', branch: 'HO', position: '系统管理员', roles: [{ role: 'admin' }] },
  { username: 'trainer', name: '培训讲师 林晓', branch: 'HO', position: '培训讲师', roles: [{ role: 'trainer' }, { role: 'employee' }] },
  { username: 'hr', name: '人力资源 郑敏', branch: 'HO', position: '人力资源专员', roles: [{ role: 'hr', scope: 'HO' }, { role: 'employee' }] },
  { username: 'hrbranch', name: '支行人事 孙丽', branch: 'GD-GZ', position: '综合管理员', roles: [{ role: 'hr', scope: 'GD-GZ' }, { role: 'employee' }] },
  { username: 'employee', name: '王小明', branch: 'GD-GZ', position: '柜员', roles: [{ role: 'employee' }] },
];

/**
 * The demo bank: a head office, two provincial branches, four sub-branches, ~40 employees and one
 * account per role. Returns the password used (generated when none was given).
 */
export async function seedDemoOrganisation(container: Container, password: string | null): Promise<{ password: string; generated: boolean }> {
  const { branches, users } = container.repositories;
  const { org } = container.services;
  const actor = { actorId: null };
  const ids = new Map<string, number>();
  for (const b of BRANCHES) {
    const created = await branches.create({ code: b.code, name: b.name, parentId: b.parent ? ids.get(b.parent)! : null }, actor);
    ids.set(b.code, created.id);
  }
  const finalPassword = password ?? crypto.randomBytes(9).toString('base64url');
  const passwordHash = await container.services.auth.hashPassword(finalPassword);
  let employeeNo = 100001;
  for (const account of ACCOUNTS) {
    await users.create({
      username: account.username, employeeNo: String(employeeNo++), name: account.name, email: `${account.username}@ruihe-bank.example`,
      branchId: ids.get(account.branch)!, position: account.position, hiredAt: '2020-03-01', status: 'active', passwordHash,
      roles: account.roles.map((r) => ({ role: r.role, scopeBranchId: r.scope ? ids.get(r.scope)! : null })),
    }, actor);
  }
  const leafBranches = BRANCHES.filter((b) => b.code.includes('-'));
  for (let i = 0; i < 36; i++) {
    const no = String(employeeNo++);
    const branch = leafBranches[i % leafBranches.length];
    await org.createUser({
      username: `e${no}`, employeeNo: no, name: SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length],
      email: `e${no}@ruihe-bank.example`, branchCode: branch.code, position: POSITIONS[i % POSITIONS.length],
      hiredAt: `20${String(15 + (i % 10)).padStart(2, '0')}-0${1 + (i % 9)}-15`, status: 'active', password: null,
    }, null, [{ role: 'employee', scopeBranchId: null }]);
  }
  return { password: finalPassword, generated: password === null };
}
