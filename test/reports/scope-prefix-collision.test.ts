import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import supertest from 'supertest';
import { buildTestApp, createBranch, createUser, signIn, type TestContext } from '../helpers/test-app.js';
import { addCertificate, addCourse, assign } from './report-fixtures.js';
import { loadWorkbook } from './output-helpers.js';

type Agent = ReturnType<typeof supertest.agent>;

function binary(res: supertest.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * Branch paths `/1/2/` and `/1/23/` share a prefix: an hr user scoped to the first must never see
 * people of the second, on any query the database answers (the in-memory check `isWithin` is
 * tested elsewhere). Every scoped surface is asked for the insider and the outsider; a subtree
 * match made prefix-inclusive (`/1/2%`) lets the outsider in and fails these tests.
 */
describe('hr scope with colliding branch paths /1/2/ and /1/23/', () => {
  let ctx: TestContext;
  let hr: Agent;
  const OUTSIDERS = ['王外一', '王外二'];
  const INSIDERS = ['李内一', '李内二'];
  let outsiderNos: string[];
  let courseId: number;

  beforeEach(async () => {
    ctx = buildTestApp();
    const { app } = ctx;
    await createBranch(app, 'HO', null, '总行');
    await createBranch(app, 'IN', 'HO', '内部分行');
    for (let i = 3; i <= 22; i++) await createBranch(app, `F${i}`, null, `填充${i}`);
    await createBranch(app, 'OUT', 'HO', '外部分行');
    await createBranch(app, 'IN-A', 'IN', '内部支行');
    await createBranch(app, 'OUT-A', 'OUT', '外部支行');
    const path = (code: string) => ctx.app.lms.db.prepare('SELECT path FROM branches WHERE code = ?').pluck().get(code);
    expect([path('IN'), path('OUT')]).to.deep.equal(['/1/2/', '/1/23/']);

    courseId = addCourse(app, 'C1', '消费者权益保护');
    addCourse(app, 'C2', '反洗钱基础');
    const people: Array<[string, string]> = [['李内一', 'IN'], ['李内二', 'IN-A'], ['王外一', 'OUT'], ['王外二', 'OUT-A']];
    outsiderNos = [];
    for (const [name, branch] of people) {
      const user = await createUser(app, { roles: ['employee'], branch, name, position: '柜员' });
      assign(app, user.id, courseId, '2026-07-31');
      addCertificate(app, { serial: `CERT-${branch}`, userId: user.id, courseId, issuedAt: '2026-02-01T03:00:00.000Z', expiresAt: '2027-02-01' });
      if (name.startsWith('王')) outsiderNos.push(user.employeeNo!);
    }
    await createUser(app, { username: 'hrin', roles: [{ role: 'hr', scope: 'IN' }] });
    hr = (await signIn(app, 'hrin')).agent;
  });
  afterEach(() => ctx.close());

  const seesNoOutsider = (text: string, where: string) => {
    for (const name of OUTSIDERS) expect(text, `${where} shows ${name}`).to.not.contain(name);
    expect(text, `${where} shows the outside branch`).to.not.match(/外部分行|外部支行|OUT-A|"OUT"|,OUT,/);
  };

  it('the hr home and branch pages (figures, people, charts) hold the insiders only', async () => {
    const home = await hr.get('/hr').expect(200);
    seesNoOutsider(home.text, '/hr');
    expect(home.text).to.contain('内部分行');
    const page = await hr.get('/hr/branches/IN').expect(200);
    seesNoOutsider(page.text, '/hr/branches/IN');
    for (const name of INSIDERS.slice(0, 1)) expect(page.text).to.contain(name);
    // Two people, both certified: a leak would add the outsiders to the headcount.
    expect(page.text).to.contain('100.0%');
    const children = await hr.get('/hr/branches/IN/children').set('Accept', 'application/json').expect(200);
    expect(children.body.children.map((c: { code: string }) => c.code)).to.deep.equal(['IN-A']);
    const asOf = await hr.get('/hr/branches/IN?asOf=2026-05-01').expect(200);
    seesNoOutsider(asOf.text, '/hr/branches/IN as of a past date');
  });

  it('the branch figures count the insiders only, today and as of a past date', async () => {
    for (const query of ['', '&asOf=2026-05-01']) {
      const rows = (await hr.get(`/api/reports/branches?root=IN&format=json${query}`).expect(200)).body as Array<Record<string, unknown>>;
      expect(rows.map((r) => r.branch_code)).to.deep.equal(['IN', 'IN-A']);
      expect(rows[0].headcount, `IN headcount${query}`).to.equal(2);
    }
  });

  for (const format of ['csv', 'json', 'xlsx'] as const) {
    it(`the certification export (${format}) lists the insiders only`, async () => {
      for (const query of ['', '&asOf=2026-05-01', '&subBranches=false']) {
        const res = await hr.get(`/api/reports/certifications?branch=IN&format=${format}${query}&headers=codes`).buffer(true).parse(binary).expect(200);
        const body = res.body as Buffer;
        let names: string[];
        if (format === 'csv') names = (parse(body, { bom: true, columns: true }) as Array<Record<string, string>>).map((r) => r.employee_name);
        else if (format === 'json') names = (JSON.parse(body.toString('utf8')) as Array<Record<string, string>>).map((r) => r.employee_name);
        else {
          const sheet = (await loadWorkbook(body)).worksheets[0];
          const header = (sheet.getRow(1).values as unknown[]).indexOf('employee_name');
          names = [];
          sheet.eachRow((row, n) => { if (n > 1) names.push(String(row.getCell(header).value)); });
        }
        expect(names.sort(), `${format}${query}`).to.deep.equal(query === '&subBranches=false' ? ['李内一'] : [...INSIDERS].sort());
      }
      const branches = await hr.get(`/api/reports/branches?root=IN&format=${format}&headers=codes`).buffer(true).parse(binary).expect(200);
      if (format !== 'xlsx') seesNoOutsider((branches.body as Buffer).toString('utf8'), `branch export ${format}`);
    });
  }

  it('answers 404 for the outside branch, its people and its certificates', async () => {
    for (const path of ['/hr/branches/OUT', '/hr/branches/OUT/children', '/api/reports/certifications?branch=OUT', '/api/reports/branches?root=OUT',
      '/api/branches/OUT', ...outsiderNos.map((no) => `/hr/employees/${no}`)]) {
      const res = await hr.get(path).set('Accept', 'application/json');
      expect(res.status, path).to.equal(404);
    }
    for (const serial of ['CERT-OUT', 'CERT-OUT-A']) expect((await hr.get(`/certificates/${serial}.pdf`)).status, serial).to.be.oneOf([403, 404]);
    await hr.get('/api/branches/IN').expect(200);
  });

  it('an assignment by hr to their branch enrolls the insiders only', async () => {
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await hr.get('/assignments').expect(200)).text)![1];
    const res = await hr.post('/api/assignments').set('X-CSRF-Token', csrf)
      .send({ course: 'C2', branch: 'IN', includeSubBranches: true, dueDays: 30 }).expect(201);
    expect(res.body.enrolled).to.equal(2);
    const enrolled = ctx.app.lms.db.prepare(`SELECT u.name FROM enrollments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
      WHERE c.code = 'C2' ORDER BY u.name`).pluck().all();
    expect(enrolled.sort()).to.deep.equal([...INSIDERS].sort());
    const listed = await hr.get('/api/assignments').expect(200);
    expect(listed.body.assignments.map((a: { branch: string }) => a.branch)).to.deep.equal(['IN']);
  });

  it('the user and branch searches scoped to /1/2/ stay inside it', async () => {
    const inside = (await ctx.app.lms.repositories.branches.findByCode('IN'))!;
    const users = await ctx.app.lms.repositories.users.search({ scopePath: inside.path, limit: 100 });
    expect(users.map((u) => u.name).sort()).to.deep.equal([...INSIDERS].sort());
    const branches = await ctx.app.lms.repositories.branches.search({ scopePath: inside.path, limit: 100 });
    expect(branches.map((b) => b.code).sort()).to.deep.equal(['IN', 'IN-A']);
    const subtree = await ctx.app.lms.repositories.branches.listSubtree(inside.path);
    expect(subtree.map((b) => b.code).sort()).to.deep.equal(['IN', 'IN-A']);
  });
});
