import { expect } from 'chai';
import supertest from 'supertest';
const supertestAgent = (app: Parameters<typeof supertest.agent>[0]) => supertest.agent(app);
import { buildTestApp, createBranch, createUser, csrfFrom, decodeHtml, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';
import { bankCsv, DEFAULT_EXAM } from '../exams/exam-fixture.js';
import { internalCodesIn, visibleText } from '../helpers/internal-codes.js';

type Agent = ReturnType<typeof supertest.agent>;

// The check the issue asks for: every main page of each role (exams, question banks, sign-in and
// invitation pages, people search, learner filters and the confirmation steps included), rendered in zh-CN with seeded data
// (a finished, failed attempt included), shows words, not internal codes — no snake_case column
// names, no SCREAMING_SNAKE error codes, no SCORM status words.
/**
 * Text that may legitimately look like a code on a Chinese page, by page: the roster page documents
 * the English column names and status values a file may use (beside their Chinese headings).
 */
const ALLOWED_ON: Record<string, readonly string[]> = {
  '/hr/roster': ['employee_no', 'branch_code', 'hired_at', 'branch_name', 'parent_code', 'active', 'left'],
};

const codesIn = (html: string, path = ''): string[] => internalCodesIn(html, ALLOWED_ON[path] ?? []);

describe('zh-CN pages show words, not internal codes', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let attemptId: number;
  let examAttemptId: number;
  let questionId: number;
  let assignmentId: number;

  before(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null, '总行');
    await createBranch(ctx.app, 'GD', 'HO', '广东省分行');
    await createUser(ctx.app, { username: 'root', roles: ['admin'], branch: 'HO', name: '管理员' });
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO', name: '讲师' });
    await createUser(ctx.app, { username: 'hrho', roles: [{ role: 'hr', scope: 'HO' }], branch: 'HO', name: '人事' });
    await createUser(ctx.app, { username: 'emp', roles: ['employee'], branch: 'GD', name: '学员', position: '柜员' });
    await publishCourse(ctx.app, 'tr', 'G04', sample('golf-RuntimeBasicCalls-SCORM2004-3rd.zip'));
    const hr = (await signIn(ctx.app, 'hrho')).agent;
    const token = csrfFrom((await hr.get('/assignments').expect(200)).text);
    await hr.post('/assignments').type('form').send({ _csrf: token, course: 'G04', branch: 'HO', includeSubBranches: 'true', dueDate: '2026-09-01', dueDays: '' }).expect(302);
    // A finished attempt the learner failed: the statuses the issue saw as 'completed / failed'.
    const learner = (await signIn(ctx.app, 'emp')).agent;
    const launch = await openPlayer(learner, 'G04');
    await learner.post(new URL(launch.commitUrl, 'http://x').pathname).send({
      cmi: { completion_status: 'completed', success_status: 'failed', score: { scaled: '0.3', raw: '30', min: '0', max: '100' }, session_time: 'PT5M', exit: 'normal' }, seq: 1, terminate: true,
    }).expect(200, { result: true, errorCode: 0 });
    attemptId = (ctx.app.lms.db.prepare('SELECT id FROM attempts ORDER BY id DESC LIMIT 1').get() as { id: number }).id;
    assignmentId = ctx.app.lms.db.prepare('SELECT id FROM assignments ORDER BY id DESC LIMIT 1').pluck().get() as number;
    // A question bank and an exam on G04; the learner sits it and hands in a blank paper (failed).
    const trainerUser = (await ctx.app.lms.repositories.users.findByUsername('tr'))!;
    await ctx.app.lms.services.banks.importBank({ code: 'B1', title: '消保题库', bytes: Buffer.from(bankCsv(8)), dryRun: false, actorId: trainerUser.id });
    const principal = { ...trainerUser, roles: [{ id: 0, role: 'trainer' as const, scopeBranchId: null, scopePath: null }] };
    await ctx.app.lms.services.exams.saveSettings(principal as never, 'G04', { ...DEFAULT_EXAM, rules: [{ count: 3, tags: [], difficulties: [] }] });
    const examToken = csrfFrom((await learner.get('/me').expect(200)).text);
    examAttemptId = (await learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', examToken).send({}).expect(201)).body.attemptId;
    await learner.post(`/api/exam-attempts/${examAttemptId}/submit`).set('X-CSRF-Token', examToken).send({}).expect(200);
    questionId = ctx.app.lms.db.prepare('SELECT id FROM questions ORDER BY id LIMIT 1').pluck().get() as number;
  });
  after(() => ctx.close());

  const pagesOf = (): Record<string, string[]> => {
    const emp = ctx.app.lms.db.prepare("SELECT id, employee_no FROM users WHERE username = 'emp'").get() as { id: number; employee_no: string };
    return {
      emp: ['/me', '/me/certificates', '/learn/G04/result', '/learn/G04/exam', `/learn/G04/exam/attempts/${examAttemptId}`],
      tr: ['/trainer', '/trainer/courses/G04', '/trainer/courses/G04/learners', '/trainer/courses/G04/attempts', `/trainer/courses/G04/attempts/${attemptId}`,
        `/trainer/courses/G04/learners?q=${encodeURIComponent('学')}&branch=GD&status=failed`,
        '/trainer/courses/G04/exam', '/trainer/courses/G04/exam/analysis', '/trainer/courses/G04/exam/papers',
        '/trainer/question-banks', '/trainer/question-banks/B1', '/trainer/question-banks/B1/import', '/trainer/question-banks/B1/questions/new', `/trainer/question-banks/B1/questions/${questionId}`],
      hrho: ['/hr', '/hr/branches/HO', `/hr/employees/${emp.employee_no}`, '/hr/roster', '/assignments', `/hr/people?q=${encodeURIComponent('学')}`,
        `/assignments/${assignmentId}/edit`, `/assignments/${assignmentId}/remove`, '/admin/invitations'],
      root: ['/admin', '/admin/users', `/admin/users/${emp.id}`, '/admin/branches', '/admin/certificates', '/admin/audit', `/hr/people?q=${emp.employee_no}`],
    };
  };

  it('finds none on the main pages of every role', async () => {
    const problems: string[] = [];
    for (const [username, paths] of Object.entries(pagesOf())) {
      const agent: Agent = (await signIn(ctx.app, username)).agent;
      for (const path of paths) {
        const res = await agent.get(path).expect(200);
        const codes = codesIn(res.text, path);
        if (codes.length) problems.push(`${path} (${username}): ${codes.join(', ')}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('finds none on the sign-in, password and invitation pages, nor on the confirmation steps', async () => {
    const problems: string[] = [];
    const anonymous = supertestAgent(ctx.app);
    for (const path of ['/login', '/password/forgot', '/password/set?token=not-a-real-token']) {
      const res = await anonymous.get(path);
      expect(res.status, path).to.be.oneOf([200, 400, 404, 410]);
      const codes = codesIn(res.text, path);
      if (codes.length) problems.push(`${path} (anonymous): ${codes.join(', ')}`);
    }
    const tr = (await signIn(ctx.app, 'tr')).agent;
    const trToken = csrfFrom((await tr.get('/trainer').expect(200)).text);
    const enrollment = ctx.app.lms.db.prepare('SELECT id FROM enrollments ORDER BY id LIMIT 1').pluck().get() as number;
    for (const action of ['remind', 'retake']) {
      const res = await tr.post('/trainer/courses/G04/learners/bulk').type('form').send({ _csrf: trToken, action, ids: String(enrollment) }).expect(200);
      const codes = codesIn(res.text, 'bulk');
      if (codes.length) problems.push(`bulk ${action}: ${codes.join(', ')}`);
    }
    const hr = (await signIn(ctx.app, 'hrho')).agent;
    const hrToken = csrfFrom((await hr.get('/assignments').expect(200)).text);
    const edit = await hr.post(`/assignments/${assignmentId}`).type('form').send({ _csrf: hrToken, branch: 'GD', includeSubBranches: 'true', positions: '柜员', dueDate: '2026-10-01' }).expect(200);
    const codes = codesIn(edit.text, 'assignment-confirm');
    if (codes.length) problems.push(`assignment confirm: ${codes.join(', ')}`);
    expect(problems).to.deep.equal([]);
  });

  it('does see the seeded attempt, in words, where the issue saw codes', async () => {
    const emp = (await signIn(ctx.app, 'emp')).agent;
    expect(visibleText((await emp.get('/me').expect(200)).text)).to.contain('已完成 / 未通过');
    const tr = (await signIn(ctx.app, 'tr')).agent;
    const attempts = (await tr.get('/trainer/courses/G04/attempts').expect(200)).text;
    expect(attempts).to.match(/data-completion="completed">已完成<\/td><td class="status-failed" data-success="failed">未通过<\/td>/);
    expect(visibleText((await tr.get(`/trainer/courses/G04/attempts/${attemptId}`).expect(200)).text)).to.contain('已完成 / 未通过');
  });

  it('finds none on the trainer\'s course pages and refused uploads (page and script), the problems in words', async () => {
    const tr = (await signIn(ctx.app, 'tr')).agent;
    const list = await tr.get('/trainer').expect(200);
    const action = decodeHtml(/<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(list.text)![1]);
    const refused = await tr.post(action).attach('package', sample('broken-captivate9-placementtest-missing-launch-SCORM12.zip')).expect(422);
    expect(codesIn(refused.text)).to.deep.equal([]);
    expect(visibleText(refused.text)).to.contain('课件包缺少某一节的启动文件');
    const api = await tr.post('/api/courses').set('X-CSRF-Token', csrfFrom(list.text)).attach('package', Buffer.from('not a zip'), 'x.zip').expect(422);
    // What upload.js shows: the heading and each problem's sentence and place.
    const shown = [api.body.error.text, ...api.body.error.problems.flatMap((p: { text: string; where: string | null }) => [p.text, p.where ?? ''])].join(' ');
    expect(codesIn(`<p>${shown}</p>`)).to.deep.equal([]);
    // A package accepted with warnings: the course page lists them in words.
    await tr.post(action).field('code', 'WARN').attach('package', sample('odd-scorm-debugger-complex-SCORM12.zip')).expect(302);
    expect(visibleText((await tr.get('/trainer/courses/WARN').expect(200)).text)).to.contain('清单指定的默认课程结构不存在');
    for (const path of ['/trainer', '/trainer/courses/WARN', '/trainer/courses/WARN?uploaded=1', '/trainer/courses/G04?saved=1&renamedFrom=OLD-1', '/trainer/courses/G04?published=1']) {
      expect(codesIn((await tr.get(path).expect(200)).text), path).to.deep.equal([]);
    }
  });

  it('can fail: a page that prints raw codes is caught', () => {
    expect(codesIn('<td>completed / failed</td><p>PACKAGE_LAUNCH_FILE_MISSING</p><th>branch_code</th>')).to.deep.equal(['branch_code', 'PACKAGE_LAUNCH_FILE_MISSING', 'completed', 'failed']);
    expect(codesIn('<script>var a_b = "completed"</script><p data-status="in_progress">学习中</p>')).to.deep.equal([]);
    expect(codesIn('<li>PACKAGE_LAUNCH_FILE_MISSING <code data-package-text>index_scorm.html</code><p lang="en" data-package-text>file left out</p></li>')).to.deep.equal(['PACKAGE_LAUNCH_FILE_MISSING']);
  });
});
