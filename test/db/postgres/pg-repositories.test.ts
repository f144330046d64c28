import { expect } from 'chai';
import { createMigratedTestDatabase } from '../../helpers/postgres.js';
import { buildTestApp, createUser, csrfFrom, seedSmallBank, signIn, type TestContext } from '../../helpers/test-app.js';
import { publishCourse, sample } from '../../helpers/launch.js';
import { sqlOf } from '../../helpers/test-sql.js';
import { figuresOf } from '../../../server/reports/branch-tally.js';
import type { ReportBranch } from '../../../server/reports/reports.repository.js';

/**
 * The PostgreSQL twins of the repositories main added in issue 17 (people search, the learner
 * list's searches, trainer reminders, course codes and English text, assignment edits, status
 * tallies), on a real server started by the test helper — part of `npm test`, whatever LMS_TEST_DB.
 */
describe('PostgreSQL repositories (issue 17 additions)', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let courseId: number;

  before(async () => {
    ctx = buildTestApp({ databaseUrl: await createMigratedTestDatabase() });
    await ctx.app.lms.ready;
    expect(ctx.app.lms.database.dialect).to.equal('postgres');
    await seedSmallBank(ctx.app);
    for (const [username, name, branch, position] of [['wang1', '王一', 'SZ', '柜员'], ['wang2', '王二', 'GD', '客户经理'], ['li1', '李一', 'BJ', '柜员']] as const) {
      await createUser(ctx.app, { username, name, branch, position, roles: ['employee'] });
    }
    await publishCourse(ctx.app, 'tr', 'GOLF', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
    courseId = (await ctx.app.lms.repositories.courses.findByCode('GOLF'))!.id;
    const trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    await trainer.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'GOLF', branch: 'GD', positions: [], dueDate: '2026-07-31' }).expect(201);
  });
  after(() => ctx.close());

  it('finds people by number or name prefix, inside a scope, a page at a time', async () => {
    const { people } = ctx.app.lms.repositories;
    const all = await people.search('name', '王', null, null, 1);
    expect(all.hits.map((h) => h.name)).to.deep.equal(['王一']);
    const next = await people.search('name', '王', null, all.next, 5);
    expect(next.hits.map((h) => h.name)).to.deep.equal(['王二']);
    expect((await people.search('name', '王', ['/999/'], null, 5)).hits).to.deep.equal([]);
    const hr = (await signIn(ctx.app, 'hrgd')).agent;
    const page = (await hr.get(`/hr/people?q=${encodeURIComponent('李')}`).expect(200)).text;
    expect(page).not.to.contain('李一'); // BJ is outside hr's GD subtree
    expect((await hr.get(`/hr/people?q=${encodeURIComponent('王')}`).expect(200)).text).to.contain('王一').and.contain('王二');
    expect(await people.coversOf((await ctx.app.lms.repositories.users.findByUsername('wang1'))!.id)).to.have.length(1);
  });

  it('walks the learner list by number, name and branch subtree, and records reminders with one audit event', async () => {
    const { learnerSearch, learnerReminders, branches } = ctx.app.lms.repositories;
    const asOf = { date: '2026-06-01', endIso: '2026-06-01T15:59:59.999Z' };
    const gd = (await branches.findByCode('GD'))!;
    const byBranch = await learnerSearch.find(courseId, { mode: 'branch', prefix: null, branchPath: gd.path }, null, 10, asOf);
    const inGd = await sqlOf(ctx.app).column<number>("SELECT u.id FROM users u JOIN branches b ON b.id = u.branch_id WHERE b.code IN ('GD', 'SZ') ORDER BY u.id");
    expect(byBranch.map((l) => l.userId).sort((x, y) => x - y)).to.deep.equal(inGd);
    expect(byBranch.map((l) => l.name)).to.include.members(['王一', '王二']);
    const first = await learnerSearch.find(courseId, { mode: 'all', prefix: null, branchPath: null }, null, 1, asOf);
    const rest = await learnerSearch.find(courseId, { mode: 'all', prefix: null, branchPath: null }, first[0].cursor, 10, asOf);
    expect(first.length + rest.length).to.equal(byBranch.length);
    expect((await learnerSearch.find(courseId, { mode: 'name', prefix: '王', branchPath: null }, null, 10, asOf)).map((l) => l.name)).to.deep.equal(['王一', '王二']);
    const wang1 = byBranch.find((l) => l.name === '王一')!;
    expect((await learnerSearch.find(courseId, { mode: 'number', prefix: wang1.employeeNo, branchPath: null }, null, 10, asOf)).map((l) => l.userId)).to.deep.equal([wang1.userId]);
    const recipients = await learnerReminders.recipientsOf(courseId, byBranch.map((l) => l.enrollmentId));
    expect(recipients).to.have.length(3);
    await learnerReminders.record({ courseId, actorId: 1, at: '2026-06-01T02:00:00.000Z', sent: recipients.map((r, i) => ({ userId: r.userId, emailed: i === 0 })) });
    expect(await sqlOf(ctx.app).column('SELECT emailed FROM learner_reminders ORDER BY user_id')).to.deep.equal([1, 0, 0]);
    expect(await sqlOf(ctx.app).value("SELECT COUNT(*) FROM audit_events WHERE action = 'learner.remind'")).to.equal(1);
    expect(await learnerReminders.recentFor(wang1.userId, '2026-05-01')).to.deep.equal([{ courseCode: 'GOLF', courseTitle: (await ctx.app.lms.repositories.courses.findById(courseId))!.title, sentAt: '2026-06-01T02:00:00.000Z' }]);
  });

  it('renames a course keeping the old code as an alias, refuses a taken code in any case, and sets English text', async () => {
    const { courses } = ctx.app.lms.repositories;
    const before = (await courses.findById(courseId))!;
    const metadata = { code: 'GOLF-2', title: before.title, titleEn: 'Golf', description: '', validityMonths: 12, passMark: null, attemptsLimit: null, completionRule: 'rollup' as const, countedAttempt: 'last' as const };
    await courses.updateMetadata(courseId, metadata, { actorId: null });
    expect((await courses.findByCode('GOLF'))!.code).to.equal('GOLF-2');
    expect(await courses.listFormerCodes(courseId)).to.deep.equal(['GOLF']);
    expect((await courses.listTakenCodes()).sort()).to.deep.equal(['GOLF', 'GOLF-2']);
    expect(await courses.findByPackageIdentifier(before.packageIdentifier!)).to.include({ id: courseId });
    const english = await courses.setEnglishText(courseId, { titleEn: 'Golf basics', descriptionEn: 'Rules.' }, { actorId: null });
    expect(english).to.include({ titleEn: 'Golf basics', descriptionEn: 'Rules.' });
    const other = await courses.addVersion({ code: 'OTHER', manifest: (await courses.getManifest(english.publishedVersionId!))!, problems: [], sha256: 'x', sizeBytes: 1, storageDir: 'v-other', uploadedBy: null }, { actorId: null });
    let refused: unknown = null;
    try { await courses.updateMetadata(other.course.id, { ...metadata, code: 'golf' }, { actorId: null }); } catch (error) { refused = error; }
    expect(refused).to.have.property('code', 'COURSE_CODE_TAKEN');
  });

  it('edits an assignment: previews without writing, then keeps, adds and releases enrolments in one transaction', async () => {
    const { certification, branches } = ctx.app.lms.repositories;
    expect(await certification.distinctPositions()).to.deep.equal(['客户经理', '柜员']);
    const assignment = (await certification.listAssignmentsWithNames())[0];
    const bj = (await branches.findByCode('BJ'))!;
    const rule = { branchId: bj.id, includeSubBranches: true, positions: [], dueDate: '2026-08-31', dueDays: null, dueBasis: 'assignment' as const };
    const preview = await certification.changeAssignment(assignment.id, rule, () => '2026-08-31T15:59:59.999Z', { apply: false, actorId: 1 });
    expect(preview).to.include({ kept: 0, added: 1, removed: 3, released: 0 });
    expect(await sqlOf(ctx.app).value('SELECT COUNT(*) FROM enrollments WHERE assignment_id = ?', assignment.id)).to.equal(3);
    await certification.changeAssignment(assignment.id, rule, () => '2026-08-31T15:59:59.999Z', { apply: true, actorId: 1 });
    expect(await sqlOf(ctx.app).column('SELECT u.username FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.assignment_id = ?', assignment.id)).to.deep.equal(['li1']);
    expect(await certification.findAssignment(assignment.id)).to.include({ branchId: bj.id, dueDate: '2026-08-31' });
  });

  it('keeps status tallies and their rollups equal to a recount, and rebuilds damaged ones', async () => {
    const { statusTallies } = ctx.app.lms.repositories;
    expect(await statusTallies.countTallyRows()).to.be.above(0);
    const none = { keys: 0, tallies: 0, people: 0, rollups: 0 };
    expect(await statusTallies.recountDifferences()).to.deep.equal(none);
    await sqlOf(ctx.app).run('UPDATE status_tallies SET n = n + 1');
    await sqlOf(ctx.app).run('UPDATE person_rollups SET n = n + 1');
    const damaged = await statusTallies.recountDifferences();
    expect(damaged.tallies).to.be.above(0);
    expect(damaged.rollups).to.be.above(0);
    await statusTallies.rebuild();
    expect(await statusTallies.recountDifferences()).to.deep.equal(none);
  });

  it("reads the dashboard's today page from the tallies, equal to the status rules' walk", async () => {
    const { dashboard, reports } = ctx.app.lms.services;
    const admin = { id: null, scopes: null };
    for (const code of ['HO', 'GD', 'SZ', 'BJ']) {
      const page = await dashboard.branchPage(admin, code, null, '');
      expect(page.isSnapshot, code).to.equal(true);
      const branch = await reports.findVisibleBranch(admin, code);
      const walked = await reports.summarise(branch, reports.resolveAsOf(null));
      expect(page.figures, code).to.deep.equal(figuresOf(branch, walked.totals.get(branch.id)!, (walked.children.get(branch.id) ?? []).length > 0));
      expect(page.children.map((c) => c.code), code).to.deep.equal((walked.children.get(branch.id) ?? []).map((c: ReportBranch) => c.code));
    }
    // Not vacuous: the assignment (moved to BJ above) is counted, and BJ's people page lists its learner.
    const bj = await dashboard.branchPage(admin, 'BJ', null, '');
    expect(bj.figures!.assigned).to.equal(1);
    expect(bj.people.map((p) => [p.name, p.assigned])).to.deep.include(['李一', 1]);
  });

  it('finds branches by path and names a few by id', async () => {
    const { branches } = ctx.app.lms.repositories;
    const sz = (await branches.findByCode('SZ'))!;
    expect(await branches.findByPath(sz.path)).to.include({ code: 'SZ' });
    const names = await branches.namesOf([sz.id, sz.parentId!]);
    expect(names.map((n) => n.code).sort()).to.deep.equal(['GD', 'SZ']);
  });
});
