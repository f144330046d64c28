import { expect } from 'chai';
import { createBranch, createUser, csrfFrom, decodeHtml, signIn } from '../helpers/test-app.js';
import { sqlOf } from '../helpers/test-sql.js';
import { examWorld, type ExamWorld } from '../exams/exam-fixture.js';

const listed = (html: string) => [...html.matchAll(/data-person="([^"]*)"/g)].map((m) => m[1]);
const text = (html: string) => decodeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

describe('people search and a person\'s page, inside the user\'s scope (issue 17)', function () {
  this.timeout(60_000);
  let world: ExamWorld;
  const no: Record<string, string> = {};

  before(async () => {
    world = await examWorld();
    const { app } = world;
    await createBranch(app, 'GD', 'HO', '广东省分行');
    await createBranch(app, 'BJ', 'HO', '北京分行');
    await createUser(app, { username: 'hrgd', roles: [{ role: 'hr', scope: 'GD' }], branch: 'GD' });
    await createUser(app, { username: 'root', roles: ['admin'], branch: 'HO' });
    await createUser(app, { username: 'wgd', name: '王广东', roles: ['employee'], branch: 'GD', position: '柜员' });
    await createUser(app, { username: 'wbj', name: '王北京', roles: ['employee'], branch: 'BJ' });
    for (const row of await sqlOf(app).all<{ username: string; employee_no: string }>('SELECT username, employee_no FROM users')) no[row.username] = row.employee_no;
    // emp is assigned G04 and sits an exam (one attempt, still open).
    const trToken = world.trainerCsrf;
    await world.trainer.post('/api/assignments').set('X-CSRF-Token', trToken).send({ course: 'G04', branch: 'HO', includeSubBranches: false, positions: [], dueDate: '2026-08-31' }).expect(201);
    await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
  });
  after(() => world.ctx.close());

  it('finds people by name prefix or employee number prefix; hr only inside their subtree', async () => {
    const admin = (await signIn(world.app, 'root')).agent;
    const byName = (await admin.get(`/hr/people?q=${encodeURIComponent('王')}`).expect(200)).text;
    expect(listed(byName).sort()).to.deep.equal([no.wgd, no.wbj].sort());
    const byNumber = (await admin.get(`/hr/people?q=${no.emp}`).expect(200)).text;
    expect(listed(byNumber)).to.deep.equal([no.emp]);
    expect(byNumber).to.contain(`/hr/employees/${no.emp}`);

    const hr = (await signIn(world.app, 'hrgd')).agent;
    expect(listed((await hr.get(`/hr/people?q=${encodeURIComponent('王')}`).expect(200)).text)).to.deep.equal([no.wgd]);
    const outside = (await hr.get(`/hr/people?q=${no.wbj}`).expect(200)).text;
    expect(listed(outside)).to.deep.equal([]);
    expect(outside).to.contain('没有找到符合条件的人员');
    await hr.get(`/hr/employees/${no.wbj}`).expect(404);
    await hr.get(`/hr/people?q=${'9'.repeat(65)}`).expect(422);
  });

  it('refuses trainers and employees; anonymous visitors go to sign-in', async () => {
    await world.trainer.get('/hr/people?q=1').expect(403);
    await world.learner.get('/hr/people?q=1').expect(403);
    const supertest = (await import('supertest')).default;
    const res = await supertest(world.app).get('/hr/people?q=1').expect(302);
    expect(res.headers.location).to.match(/\/login/);
  });

  it('shows every course status of a person: assignment, status, attempts, exam attempts, certificates, evidence link', async () => {
    const admin = (await signIn(world.app, 'root')).agent;
    const html = (await admin.get(`/hr/employees/${no.emp}`).expect(200)).text;
    const said = text(html);
    expect(html).to.match(/<table id="covers">[\s\S]*data-course="G04"/);
    expect(said).to.contain('课程指派').and.contain('考试记录').and.contain('进行中');
    expect(html).to.contain(`/hr/evidence/${no.emp}/G04.pdf`);
    expect(html).to.match(/data-status="(not_started|in_progress)"/);
  });

  it('offers the search in the header for hr and admin only', async () => {
    const hr = (await signIn(world.app, 'hrgd')).agent;
    expect((await hr.get('/hr/people').expect(200)).text).to.contain('href="/hr/people"');
    expect((await world.learner.get('/me').expect(200)).text).not.to.contain('href="/hr/people"');
    csrfFrom((await hr.get('/hr/people').expect(200)).text);
  });
});
