import assert from 'node:assert/strict';
import { expect } from 'chai';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { buildTestApp, createBranch, createUser, type TestContext } from '../../helpers/test-app.js';
import type { RosterImportService } from '../../../server/org/roster/roster-import.service.js';
import { RosterStage } from '../../../server/org/roster/roster-stage.repository.js';
import { read } from '../../../server/reports/branch-tally.js';
import { watchStalls } from '../../helpers/stall-monitor.js';
import { ADMIN_ACTOR, BRANCH_HEADER, EMPLOYEE_HEADER, csv, dbFingerprint, rosterApplier, rosterService, writeFile } from './roster-support.js';

describe('roster import service', () => {
  let ctx: TestContext;
  let roster: RosterImportService;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null, '总行');
    await createBranch(ctx.app, 'GD', 'HO', '广东省分行');
    await createBranch(ctx.app, 'GD-GZ', 'GD', '广州分行');
    await createBranch(ctx.app, 'ZJ', 'HO', '浙江省分行');
    roster = rosterService(ctx.app);
  });
  afterEach(() => ctx.close());

  const db = () => ctx.app.lms.db;
  const file = (name: string, content: string | Buffer) => writeFile(ctx.dataDir, name, content);
  const run = (filePath: string, options: { apply?: boolean; validOnly?: boolean; effectiveDate?: string } = {}) => roster.run({
    filePath, fileName: filePath.split('/').pop()!, effectiveDate: options.effectiveDate ?? null,
    apply: options.apply ?? false, validOnly: options.validOnly ?? false, actor: ADMIN_ACTOR,
  });
  const userByNo = (no: string) => db().prepare(`SELECT u.*, b.code AS branch_code FROM users u LEFT JOIN branches b ON b.id = u.branch_id
    WHERE employee_no = ?`).get(no) as Record<string, unknown> | undefined;
  const historyOf = (no: string) => db().prepare(`SELECT b.code, h.from_at, h.to_at FROM user_branch_history h JOIN branches b ON b.id = h.branch_id
    WHERE h.user_id = (SELECT id FROM users WHERE employee_no = ?) ORDER BY h.id`).all(no);
  const auditActions = () => (db().prepare('SELECT action FROM audit_events ORDER BY id').all() as Array<{ action: string }>).map((r) => r.action);

  const STAFF = [
    ['100001', '张三', 'zhangsan@bank.example', 'GD-GZ', '柜员', '2020-03-01', 'active'],
    ['100002', '李四', '', 'GD', '客户经理', '2019/7/15', '在职'],
    ['100003', '王五', 'wangwu@bank.example', 'ZJ', '', '2021-11-30', ''],
  ];

  it('dry run reports the creates and writes nothing', async () => {
    const before = dbFingerprint(ctx.app);
    const report = await run(file('staff.csv', csv([EMPLOYEE_HEADER, ...STAFF])));
    expect(report.kind).to.equal('employees');
    expect(report.errors).to.deep.equal([]);
    expect(report.counts.create).to.equal(STAFF.length);
    expect(report.changes.map((c) => [c.row, c.key, c.actions])).to.deep.equal(STAFF.map((r, i) => [i + 2, r[0], ['create']]));
    expect(report.applied).to.equal(false);
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);
  });

  it('applies new employees: username = employee number, no password, employee role, history from hire date, audited', async () => {
    const auditBefore = auditActions().length;
    const report = await run(file('staff.csv', csv([EMPLOYEE_HEADER, ...STAFF])), { apply: true });
    expect(report.applied).to.equal(true);
    for (const [no, name, email, branch, position, hiredAt] of STAFF) {
      const user = userByNo(no)!;
      expect([user.username, user.name, user.email, user.branch_code, user.position, user.password_hash, user.status])
        .to.deep.equal([no, name, email || null, branch, position || null, null, 'active']);
      expect(historyOf(no)).to.deep.equal([{ code: branch, from_at: hiredAt.replace('2019/7/15', '2019-07-15'), to_at: null }]);
      const roles = db().prepare('SELECT role, scope_branch_id FROM user_roles WHERE user_id = ?').all(user.id);
      expect(roles).to.deep.equal([{ role: 'employee', scope_branch_id: null }]);
    }
    expect(auditActions().slice(auditBefore)).to.deep.equal([...STAFF.map(() => 'user.create'), 'roster.import']);
    const summary = db().prepare("SELECT details_json FROM audit_events WHERE action = 'roster.import'").get() as { details_json: string };
    expect(JSON.parse(summary.details_json)).to.include({ fileName: 'staff.csv', kind: 'employees', rows: STAFF.length });
  });

  it('reports a bad date, an unknown branch and a repeated employee number by row and column, and writes nothing', async () => {
    const before = dbFingerprint(ctx.app);
    const path = file('bad.csv', csv([
      EMPLOYEE_HEADER,
      ['200001', '赵一', '', 'GD', '', '2024-01-02', ''],
      ['200002', '钱二', '', 'GD', '', '2025-02-30', ''],
      ['200003', '孙三', '', 'NOPE', '', '2024-01-02', ''],
      ['200004', '李四', 'not-an-email', 'GD', '', '2024-01-02', '退休'],
      ['200005', '周五', '', 'GD', '', '2024-01-02', ''],
      ['200005', '吴六', '', 'ZJ', '', '2024-01-02', ''],
    ]));
    const report = await run(path, { apply: true });
    expect(report.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([
      [3, 'hired_at', 'DATE_NOT_REAL'],
      [4, 'branch_code', 'UNKNOWN_BRANCH'],
      [5, 'email', 'BAD_EMAIL'],
      [5, 'status', 'BAD_STATUS'],
      [6, 'employee_no', 'DUPLICATE_KEY'],
      [7, 'employee_no', 'DUPLICATE_KEY'],
    ]);
    expect(report.errors.find((e) => e.row === 7)!.params).to.include({ otherRow: 6 });
    expect([report.validRowCount, report.invalidRowCount]).to.deep.equal([1, 5]);
    expect(report.applied).to.equal(false);
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);

    const partial = await run(path, { apply: true, validOnly: true });
    expect(partial.applied).to.equal(true);
    const imported = (db().prepare('SELECT employee_no FROM users WHERE employee_no LIKE ? ORDER BY employee_no').all('2000%') as Array<{ employee_no: string }>).map((r) => r.employee_no);
    expect(imported).to.deep.equal(['200001']);
  });

  it('reads a GBK file with Chinese headings and reports its errors by row and column', async () => {
    const content = csv([
      ['工号', '姓名', '邮箱', '机构代码', '岗位', '入职日期', '状态'],
      ['300001', '欧阳娜娜', '', 'GD-GZ', '大堂经理', '2022-05-06', '在职'],
      ['300002', '司马懿', '', 'GD', '柜员', '2022-13-01', '离职'],
    ]);
    const report = await run(file('gbk.csv', iconv.encode(content, 'gbk')), { apply: true, validOnly: true });
    expect([report.encoding, report.kind]).to.deep.equal(['gb18030', 'employees']);
    expect(report.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([[3, 'hired_at', 'DATE_NOT_REAL']]);
    expect(userByNo('300001')).to.include({ name: '欧阳娜娜', position: '大堂经理', branch_code: 'GD-GZ' });
    expect(userByNo('300002')).to.equal(undefined);
  });

  it('reads UTF-8 with a BOM', async () => {
    const report = await run(file('bom.csv', `\uFEFF${csv([EMPLOYEE_HEADER, STAFF[0]])}`));
    expect([report.encoding, report.kind, report.errorCount, report.counts.create]).to.deep.equal(['utf8', 'employees', 0, 1]);
  });

  it('re-importing the same file changes nothing: no writes, no audit events, no history rows', async () => {
    const path = file('staff.csv', csv([EMPLOYEE_HEADER, ...STAFF]));
    await run(path, { apply: true });
    const before = dbFingerprint(ctx.app);
    const again = await run(path, { apply: true });
    expect(again.counts).to.deep.equal({ create: 0, update: 0, move: 0, transfer: 0, leave: 0, unchanged: STAFF.length });
    expect(again.applied).to.equal(false);
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);
  });

  it('records a transfer with its effective date, so an earlier as-of report shows the old branch', async () => {
    await run(file('staff.csv', csv([EMPLOYEE_HEADER, ...STAFF])), { apply: true });
    const moved = [['100001', '张三', 'zhangsan@bank.example', 'ZJ', '客户经理', '2020-03-01', 'active']];
    const report = await run(file('moved.csv', csv([EMPLOYEE_HEADER, ...moved])), { apply: true, effectiveDate: '2026-05-15' });
    expect(report.changes[0].actions).to.deep.equal(['update', 'transfer']);
    expect(report.changes[0].fields).to.deep.include({ field: 'branch_code', from: 'GD-GZ', to: 'ZJ' });
    expect(historyOf('100001')).to.deep.equal([
      { code: 'GD-GZ', from_at: '2020-03-01', to_at: '2026-05-15' },
      { code: 'ZJ', from_at: '2026-05-15', to_at: null },
    ]);
    const user = userByNo('100001')!;
    const events = db().prepare('SELECT action, details_json FROM audit_events WHERE subject = ? ORDER BY id').all(`user:${user.id}`) as Array<{ action: string; details_json: string }>;
    expect(events.map((e) => e.action)).to.deep.equal(['user.create', 'user.update', 'user.transfer']);
    expect(JSON.parse(events[1].details_json)).to.deep.include({ before: { position: '柜员' }, after: { position: '客户经理' } });

    const { reports } = ctx.app.lms.services;
    const root = (await ctx.app.lms.repositories.reports.findBranchByCode('HO'))!;
    const branchId = (code: string) => (db().prepare('SELECT id FROM branches WHERE code = ?').get(code) as { id: number }).id;
    const headcount = async (asOf: string, code: string) => read((await reports.summarise(root, reports.resolveAsOf(asOf))).totals.get(branchId(code))!, 'headcount');
    expect([await headcount('2026-05-14', 'GD-GZ'), await headcount('2026-05-14', 'ZJ')]).to.deep.equal([1, 1]);
    expect([await headcount('2026-05-16', 'GD-GZ'), await headcount('2026-05-16', 'ZJ')]).to.deep.equal([0, 2]);
  });

  it('keeps leavers with status left, their leaving date and their history', async () => {
    await run(file('staff.csv', csv([EMPLOYEE_HEADER, ...STAFF])), { apply: true });
    const historyBefore = historyOf('100002');
    const left = [['100002', '李四', '', 'GD', '客户经理', '2019-07-15', '离职']];
    const report = await run(file('left.csv', csv([EMPLOYEE_HEADER, ...left])), { apply: true, effectiveDate: '2026-05-20' });
    expect(report.counts).to.include({ leave: 1, update: 0 });
    expect(userByNo('100002')).to.include({ status: 'left', left_at: '2026-05-20', branch_code: 'GD' });
    expect(historyOf('100002')).to.deep.equal(historyBefore);
    expect(auditActions().slice(-2)).to.deep.equal(['user.leave', 'roster.import']);
    const rejoined = await run(file('back.csv', csv([EMPLOYEE_HEADER, [...left[0].slice(0, 6), 'active']])), { apply: true });
    expect(rejoined.changes[0].fields).to.deep.equal([{ field: 'status', from: 'left', to: 'active' }]);
    expect(userByNo('100002')).to.include({ status: 'active', left_at: null });
  });

  it('leaves fields alone whose optional column is not in the file', async () => {
    await run(file('staff.csv', csv([EMPLOYEE_HEADER, ...STAFF])), { apply: true });
    const short = csv([['employee_no', 'name', 'branch_code', 'hired_at'], ['100001', '张三', 'GD-GZ', '2020-03-01']]);
    const report = await run(file('short.csv', short), { apply: true });
    expect(report.counts.unchanged).to.equal(1);
    expect(userByNo('100001')).to.include({ email: 'zhangsan@bank.example', position: '柜员', status: 'active' });
  });

  it('round-trips an XLSX written with ExcelJS, date cells and numeric employee numbers included', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('花名册');
    sheet.addRow(['工号', '姓名', '邮箱', '机构代码', '岗位', '入职日期', '状态']);
    sheet.addRow([400001, '上官婉儿', 'wan@bank.example', 'GD', '理财经理', new Date(Date.UTC(2023, 8, 1)), '在职']);
    sheet.addRow(['400002', '诸葛亮', '', 'ZJ', '行长', '2018-02-29', '在职']);
    sheet.getColumn(6).numFmt = 'yyyy-mm-dd';
    workbook.addWorksheet('说明').addRow(['not', 'a', 'roster']);
    const path = file('roster.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    const report = await run(path, { apply: true, validOnly: true });
    expect([report.fileType, report.kind, report.rowCount]).to.deep.equal(['xlsx', 'employees', 2]);
    expect(report.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([[3, 'hired_at', 'DATE_NOT_REAL']]);
    expect(userByNo('400001')).to.include({ name: '上官婉儿', hired_at: '2023-09-01', branch_code: 'GD', username: '400001' });
  });

  it('refuses a new employee number that is already someone else\'s username', async () => {
    await createUser(ctx.app, { username: '500001', roles: ['admin'] });
    const report = await run(file('taken.csv', csv([EMPLOYEE_HEADER, ['500001', '新人', '', 'GD', '', '2024-01-01', '']])));
    expect(report.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([[2, 'employee_no', 'USERNAME_TAKEN']]);
  });

  it('rejects a file whose header is not a roster, naming row 1', async () => {
    const report = await run(file('other.csv', csv([['foo', 'bar'], ['1', '2']])), { apply: true, validOnly: true });
    expect([report.isFileRejected, report.errors[0].row, report.errors[0].code]).to.deep.equal([true, 1, 'HEADER_UNKNOWN']);
    const missing = await run(file('missing.csv', csv([['employee_no', 'name'], ['1', '2']])));
    expect(missing.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([[1, 'branch_code', 'COLUMN_MISSING'], [1, 'hired_at', 'COLUMN_MISSING']]);
  });

  it('rejects an empty file', async () => {
    const report = await run(file('empty.csv', ''), { apply: true, validOnly: true });
    expect([report.isFileRejected, report.errors.map((e) => e.code)]).to.deep.equal([true, ['FILE_EMPTY']]);
  });

  it('refuses UTF-16 ("Unicode text") with a hint, and tolerates a stray quote inside a cell', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv([EMPLOYEE_HEADER, STAFF[0]]), 'utf16le')]);
    const refused = await run(file('unicode.txt', utf16));
    expect([refused.isFileRejected, refused.errors[0].code]).to.deep.equal([true, 'FILE_UNREADABLE']);
    expect(refused.errors[0].message).to.contain('CSV UTF-8');
    const quoted = await run(file('quote.csv', `${EMPLOYEE_HEADER.join(',')}\n100010,张"三",,GD,,2024-01-01,\n`));
    expect(quoted.errors).to.deep.equal([]);
    expect(quoted.changes[0].name).to.equal('张"三"');
  });

  it('reads a hostile megabyte in short slices: the event loop is never held over 50 ms (CPU-confirmed)', async () => {
    // One quoted cell of a million characters with escaped quotes and line breaks: csv-parse works a
    // chunk in one synchronous call, so the read chunk size bounds the stall (256 KB held it 60–90 ms).
    const cell = '工号"",\r\n姓名 '.repeat(100_000);
    const path = file('hostile.csv', `${EMPLOYEE_HEADER.join(',')}\n"${cell}",张三\n`);
    const { result, report } = await watchStalls(() => run(path));
    expect(result.errorCount).to.be.greaterThan(0);
    expect(report.stalls, JSON.stringify(report.stalls)).to.deep.equal([]);
  });

  it('rejects a CSV whose quoting breaks, writing nothing even for valid-only', async () => {
    const before = dbFingerprint(ctx.app);
    const broken = `${csv([EMPLOYEE_HEADER, STAFF[0]])}100009,"unclosed,,GD,,2024-01-01,\n`;
    const report = await run(file('broken.csv', broken), { apply: true, validOnly: true });
    expect(report.isFileRejected).to.equal(true);
    expect(report.errors[0].code).to.equal('FILE_UNREADABLE');
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);
  });

  describe('branches', () => {
    it('creates a tree whose parents come later in the file, and moves a subtree', async () => {
      const report = await run(file('branches.csv', csv([
        BRANCH_HEADER,
        ['GD-GZ-TH', '天河支行', 'GD-GZ'],
        ['GD-SZ-FT', '福田支行', 'GD-SZ'],
        ['GD-SZ', '深圳分行', 'GD'],
        ['GD-GZ', '广州分行', 'ZJ'],
      ])), { apply: true });
      expect(report.errors).to.deep.equal([]);
      expect(report.counts).to.include({ create: 3, move: 1 });
      const branch = (code: string) => db().prepare('SELECT id, path, depth FROM branches WHERE code = ?').get(code) as { id: number; path: string; depth: number };
      expect(branch('GD-SZ-FT').path).to.equal(`${branch('GD-SZ').path}${branch('GD-SZ-FT').id}/`);
      expect(branch('GD-GZ-TH').path).to.equal(`${branch('ZJ').path}${branch('GD-GZ').id}/${branch('GD-GZ-TH').id}/`);
      expect(branch('GD-GZ-TH').depth).to.equal(3);
      const actions = auditActions();
      expect(actions.filter((a) => a === 'branch.create')).to.have.length(4 + 3);
      expect(actions.slice(-1)).to.deep.equal(['roster.import']);
      expect(actions).to.include('branch.update');
    });

    it('reports an unknown parent, a repeated code and a cycle by row and column, and writes nothing', async () => {
      const before = dbFingerprint(ctx.app);
      const report = await run(file('bad-branches.csv', csv([
        BRANCH_HEADER,
        ['SH', '上海分行', 'HO'],
        ['SH-PD', '浦东支行', 'SH-XX'],
        ['BJ', '北京分行', 'HO'],
        ['BJ', '北京分行2', 'HO'],
        ['A1', '甲', 'B1'],
        ['B1', '乙', 'A1'],
        ['GD', '广东省分行', 'GD-GZ'],
        ['C1', '丙', 'A1'],
        ['SH-1', '上海一', 'SH'],
      ])), { apply: true });
      expect(report.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([
        [3, 'parent_code', 'UNKNOWN_PARENT'],
        [4, 'branch_code', 'DUPLICATE_KEY'],
        [5, 'branch_code', 'DUPLICATE_KEY'],
        [6, 'parent_code', 'BRANCH_CYCLE'],
        [7, 'parent_code', 'BRANCH_CYCLE'],
        [8, 'parent_code', 'BRANCH_CYCLE'],
        [9, 'parent_code', 'PARENT_INVALID'],
      ]);
      expect(report.validRowCount).to.equal(2);
      expect(report.applied).to.equal(false);
      expect(dbFingerprint(ctx.app)).to.deep.equal(before);

    });

    it('imports only the valid branch rows when asked, children of a refused new parent included in the refusal', async () => {
      await run(file('b.csv', csv([BRANCH_HEADER, ['SH', '上海分行', 'HO'], ['X1', '', 'HO'], ['X1-A', '子', 'X1'], ['SH-1', '上海一', 'SH']])), { apply: true, validOnly: true });
      const codes = (db().prepare('SELECT code FROM branches ORDER BY code').all() as Array<{ code: string }>).map((r) => r.code);
      expect(codes).to.deep.equal(['GD', 'GD-GZ', 'HO', 'SH', 'SH-1', 'ZJ']);
    });

    it('is a no-op when re-imported', async () => {
      const path = file('b.csv', csv([BRANCH_HEADER, ['HO', '总行', ''], ['GD', '广东省分行', 'HO'], ['GD-GZ', '广州分行', 'GD'], ['ZJ', '浙江省分行', 'HO']]));
      const before = dbFingerprint(ctx.app);
      const report = await run(path, { apply: true });
      expect([report.counts.unchanged, report.changeCount, report.applied]).to.deep.equal([4, 0, false]);
      expect(dbFingerprint(ctx.app)).to.deep.equal(before);
    });
  });

  it('rolls the whole apply back when a record changed after the file was checked', async () => {
    await run(file('staff.csv', csv([EMPLOYEE_HEADER, ...STAFF])), { apply: true });
    const applier = rosterApplier(ctx.app, ctx.clock.now);
    const user = userByNo('100001')!;
    const gd = db().prepare("SELECT id FROM branches WHERE code = 'GD'").get() as { id: number };
    const before = dbFingerprint(ctx.app);
    const stale = { name: '旧名字', email: null, branchId: user.branch_id as number, position: null, hiredAt: '2020-03-01', status: 'active' as const };
    const ops = [
      { op: 'create' as const, row: 2, employeeNo: '600001', branchCode: 'GD', state: { name: '新人', email: null, branchId: gd.id, position: null, hiredAt: '2024-01-01', status: 'active' as const } },
      { op: 'change' as const, row: 3, userId: user.id as number, employeeNo: '100001', before: stale, after: { ...stale, name: '新名字' }, updated: ['name' as const], transfer: null, isLeave: false },
    ];
    const stage = RosterStage.open(`${ctx.dataDir}/roster-work`);
    try {
      for (const op of ops) stage.add(op);
      await assert.rejects(applier.applyEmployees(stage, new Set(), { actorId: null, effectiveDate: '2026-06-01', subject: 'roster:employees', summary: {} }), { name: 'ConflictError' });
    } finally {
      stage.dispose();
    }
    expect(dbFingerprint(ctx.app)).to.deep.equal(before);
  });
});
