import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, csrfFrom, decodeHtml, signIn, type TestContext } from '../helpers/test-app.js';
import { openPlayer, publishCourse, sample } from '../helpers/launch.js';

type Agent = Awaited<ReturnType<typeof signIn>>['agent'];
const pathOf = (url: string) => new URL(url, 'http://x').pathname;

// The golf "advanced calls" package records each question as RecordQuestion does: id, type, the
// learner's response (left out when empty), the correct pattern and correct/incorrect. Choice
// answers have every non-word character replaced by "_". Its ids:
const Q = {
  rules: 'com.scorm.golfsamples.interactions.playing_1', // choice, correct "USGA_and_Royal_and_Ancient"
  holes: 'com.scorm.golfsamples.interactions.playing_3', // numeric, correct "18"
  stableford: 'com.scorm.golfsamples.interactions.playing_4', // true-false, correct "true"
  par: 'com.scorm.golfsamples.interactions.playing_5',
  survey: 'survey_1', // likert: judged neutral, neither right nor wrong
};
const CORRECT: Record<string, string> = { [Q.rules]: 'USGA_and_Royal_and_Ancient', [Q.holes]: '18', [Q.stableford]: 'true', [Q.par]: '3' };
const TYPE: Record<string, string> = { [Q.rules]: 'choice', [Q.holes]: 'numeric', [Q.stableford]: 'true-false', [Q.par]: 'numeric', [Q.survey]: 'likert' };

interface Answer { q: string; response?: string; result?: string }

/** cmi.interactions as the package writes them, in order (a retry is a new entry: 2004 journaling). */
function interactions(answers: Answer[]) {
  return answers.map((a) => ({
    id: a.q, type: TYPE[a.q],
    ...(a.response === undefined ? {} : { learner_response: a.response }),
    ...(CORRECT[a.q] && a.result !== undefined ? { correct_responses: [{ pattern: CORRECT[a.q] }] } : {}),
    ...(a.result === undefined ? {} : { result: a.result }),
  }));
}

const judged = (q: string, response: string): Answer => ({ q, response, result: response === CORRECT[q] ? 'correct' : 'incorrect' });

describe('trainer course page: learners, statuses, scores, questions and retakes', () => {
  let ctx: TestContext;
  const agents: Record<string, Agent> = {};

  /** One sitting through the player's commit URL; `finish` ends the attempt (exit normal + terminate). */
  const sit = async (username: string, input: { answers: Answer[]; scaled: string; success: 'passed' | 'failed'; finish: boolean }) => {
    const agent = agents[username] ??= (await signIn(ctx.app, username)).agent;
    const launch = await openPlayer(agent, 'GOLF');
    const cmi = {
      completion_status: input.finish ? 'completed' : 'incomplete', success_status: input.finish ? input.success : 'unknown',
      score: { scaled: input.scaled, raw: String(Number(input.scaled) * 100), min: '0', max: '100' },
      exit: input.finish ? 'normal' : 'suspend', interactions: interactions(input.answers),
    };
    await agent.post(pathOf(launch.commitUrl)).send({ cmi, seq: 1, terminate: input.finish }).expect(200, { result: true, errorCode: 0 });
  };

  const ids = async (username: string) => (await ctx.app.lms.repositories.users.findByUsername(username))!.id;
  const enrollmentOf = async (username: string) =>
    (ctx.app.lms.db.prepare("SELECT e.id, e.retakes_granted, e.source FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE c.code = 'GOLF' AND e.user_id = ?")
      .get(await ids(username)) as { id: number; retakes_granted: number; source: string });

  beforeEach(async () => {
    ctx = buildTestApp();
    for (const key of Object.keys(agents)) delete agents[key];
    await createBranch(ctx.app, 'HO', null);
    await createBranch(ctx.app, 'STAFF', null);
    await createBranch(ctx.app, 'OUT', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'STAFF' });
    await createUser(ctx.app, { username: 'adm', roles: ['admin'], branch: 'STAFF' });
    await createUser(ctx.app, { username: 'hr', roles: ['hr'], branch: 'STAFF' });
    for (const name of ['e1', 'e2', 'e3', 'e4']) await createUser(ctx.app, { username: name, name: `学员${name}`, roles: ['employee'], branch: 'HO' });
    await createUser(ctx.app, { username: 'e5', name: '自学者', roles: ['employee'], branch: 'OUT' });
    await publishCourse(ctx.app, 'tr', 'GOLF', sample('golf-RunTimeAdvancedCalls-SCORM2004-3rd.zip'));
    const trainer = agents.tr = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    await trainer.patch('/api/courses/GOLF').set('X-CSRF-Token', token).send({ attemptsLimit: 1 }).expect(200);
    await trainer.post('/api/assignments').set('X-CSRF-Token', token)
      .send({ course: 'GOLF', branch: 'HO', includeSubBranches: true, positions: [], dueDate: '2026-07-31' }).expect(201);

    // e1 passes; e2 fails (and retries the rules question inside the attempt, skips stableford);
    // e3 is still in the course; e4 never starts; e5 (not assigned) takes it on their own and passes.
    await sit('e1', { answers: [judged(Q.rules, CORRECT[Q.rules]), judged(Q.holes, '9'), judged(Q.stableford, 'true'), { q: Q.survey, response: '4', result: 'neutral' }], scaled: '0.9', success: 'passed', finish: true });
    await sit('e2', { answers: [judged(Q.rules, 'The_PGA'), judged(Q.holes, '9'), { q: Q.stableford, result: 'incorrect' }, judged(Q.rules, 'The_UN'), { q: Q.survey, response: '2', result: 'neutral' }], scaled: '0.35', success: 'failed', finish: true });
    // e3's last question is shown (id and type) but not answered yet.
    await sit('e3', { answers: [judged(Q.rules, 'The_UN'), judged(Q.holes, '18'), judged(Q.stableford, 'false'), { q: Q.par }], scaled: '0.55', success: 'failed', finish: false });
    await sit('e5', { answers: [judged(Q.rules, CORRECT[Q.rules]), judged(Q.holes, '27'), judged(Q.stableford, 'true')], scaled: '1', success: 'passed', finish: true });
  });
  afterEach(() => ctx.close());

  const page = async (agent: Agent = agents.tr, query = '') => (await agent.get(`/trainer/courses/GOLF/learners${query}`).expect(200)).text;
  const rowOf = (html: string, attribute: string, value: string): string => {
    const start = html.indexOf(`${attribute}="${value}"`);
    expect(start, `${attribute}=${value}`).to.be.greaterThan(-1);
    return html.slice(start, html.indexOf('</tr>', start));
  };
  const cell = (row: string, attribute: string) => decodeHtml(new RegExp(`${attribute}[^>]*>([\\s\\S]*?)</td>`).exec(row)![1]).replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

  it('is linked from the course page and shows per question: answered (last answer per attempt), % correct, most common wrong answer', async () => {
    const detail = (await agents.tr.get('/trainer/courses/GOLF').expect(200)).text;
    expect(detail).to.contain('href="/trainer/courses/GOLF/learners"');
    const html = await page();
    expect(html).to.contain('题目分析').and.not.to.match(/insights\.(?!js")[a-z]/); // zh-CN by default, every key translated
    const english = (await agents.tr.get('/trainer/courses/GOLF/learners').set('Cookie', 'lms.lang=en').expect(200)).text;
    expect(english).to.contain('Question analysis').and.to.contain('Score distribution').and.not.to.match(/insights\.(?!js")[a-z]/);
    // rules: e1 ✓, e2's final answer The_UN ✗ (its earlier The_PGA is superseded), e3 The_UN ✗, e5 ✓.
    const rules = rowOf(html, 'data-question', Q.rules);
    expect(cell(rules, 'data-answered')).to.equal('4');
    expect(cell(rules, 'data-correct')).to.equal('50%');
    expect(cell(rules, 'data-top-wrong')).to.match(/^The_UN \(.*2.*\)$/);
    // holes: 9 (e1), 9 (e2), 18 ✓ (e3), 27 (e5).
    const holes = rowOf(html, 'data-question', Q.holes);
    expect([cell(holes, 'data-answered'), cell(holes, 'data-correct')]).to.deep.equal(['4', '25%']);
    expect(cell(holes, 'data-top-wrong')).to.match(/^9 \(.*2.*\)$/);
    // stableford: e1 ✓, e2 skipped (judged incorrect, no answer given), e3 false, e5 ✓.
    const stableford = rowOf(html, 'data-question', Q.stableford);
    expect([cell(stableford, 'data-answered'), cell(stableford, 'data-correct')]).to.deep.equal(['4', '50%']);
    expect(cell(stableford, 'data-top-wrong')).to.match(/^false \(.*1.*\)$/);
    // A survey question is answered but never right or wrong; a question only shown is not listed.
    const survey = rowOf(html, 'data-question', Q.survey);
    expect([cell(survey, 'data-answered'), cell(survey, 'data-correct'), cell(survey, 'data-top-wrong')]).to.deep.equal(['2', '—', '—']);
    expect(html).not.to.contain(`data-question="${Q.par}"`);
    // The rows the runtime stored are the ones analysed (the retry is a second row of the same attempt).
    const stored = ctx.app.lms.db.prepare('SELECT COUNT(*) FROM interactions WHERE interaction_id = ?').pluck().get(Q.rules);
    expect(stored).to.equal(5);
  });

  it('counts statuses by the status rules, lists attempts and draws the distribution of finished attempts', async () => {
    const html = await page();
    const count = (status: string) => Number(cell(rowOf(html, 'data-status', status), '<td'));
    expect(['certified', 'failed', 'in_progress', 'not_started', 'overdue', 'expired', 'expiring'].map(count)).to.deep.equal([1, 1, 1, 1, 0, 0, 0]);
    expect([count('counted'), count('not-counted'), count('self')]).to.deep.equal([4, 0, 1]);

    const statusOf = (username: string, enrollmentId: number) => /data-status="([a-z_]+)"/.exec(rowOf(html, 'data-enrollment', String(enrollmentId)))![1];
    expect(statusOf('e1', (await enrollmentOf('e1')).id)).to.equal('certified');
    expect(statusOf('e2', (await enrollmentOf('e2')).id)).to.equal('failed');
    expect(statusOf('e3', (await enrollmentOf('e3')).id)).to.equal('in_progress');
    expect(statusOf('e4', (await enrollmentOf('e4')).id)).to.equal('not_started');
    expect(statusOf('e5', (await enrollmentOf('e5')).id)).to.equal('self');

    const e2 = rowOf(html, 'data-enrollment', String((await enrollmentOf('e2')).id));
    expect(e2).to.contain('data-attempt="1"').and.to.contain('已完成').and.to.contain('<span data-score>35</span>');
    expect(rowOf(html, 'data-enrollment', String((await enrollmentOf('e4')).id))).not.to.contain('data-attempt=');

    // Finished: 90 (e1), 35 (e2), 100 (e5); e3's 55 is not finished.
    const buckets = [...html.matchAll(/<tr data-from="(\d+)"><th scope="row">([^<]+)<\/th><td>(\d+)<\/td>/g)].map((m) => [decodeHtml(m[2]), Number(m[3])]);
    expect(buckets).to.deep.equal([['0–9', 0], ['10–19', 0], ['20–29', 0], ['30–39', 1], ['40–49', 0], ['50–59', 0], ['60–69', 0], ['70–79', 0], ['80–89', 0], ['90–100', 2]]);
    const chart = JSON.parse(/<script type="application\/json" id="insights-data">([\s\S]*?)<\/script>/.exec(html)![1]) as { labels: string[]; counts: number[] };
    expect(chart.counts).to.deep.equal(buckets.map((b) => b[1]));
    expect(html).to.contain('id="chart-score-distribution" role="img"').and.to.contain('/assets/vendor/chart.js/chart.umd.js');
  });

  it('lets trainers and admin in; hr and employees get 403, unknown courses 404, anonymous visitors the login page', async () => {
    await page((await signIn(ctx.app, 'adm')).agent);
    const hr = (await signIn(ctx.app, 'hr')).agent;
    await hr.get('/trainer/courses/GOLF/learners').expect(403);
    const hrToken = csrfFrom((await hr.get('/hr').expect(200)).text);
    await hr.post(`/trainer/courses/GOLF/enrollments/${(await enrollmentOf('e2')).id}/retake`).type('form').send({ _csrf: hrToken, reason: 'x' }).expect(403);
    await agents.e1.get('/trainer/courses/GOLF/learners').expect(403);
    await agents.tr.get('/trainer/courses/NOPE/learners').expect(404);
    const { default: supertest } = await import('supertest');
    const anonymous = await supertest(ctx.app).get('/trainer/courses/GOLF/learners').expect(302);
    expect(anonymous.headers.location).to.match(/^\/login\?next=/);
    expect((await enrollmentOf('e2')).retakes_granted).to.equal(0);
  });

  it('shows a learner out of attempts as locked; a retake needs a reason, is audited, and lets the learner launch once more', async () => {
    const e2 = await enrollmentOf('e2');
    await agents.e2.get('/learn/GOLF').expect(403);
    let html = await page();
    expect(rowOf(html, 'data-enrollment', String(e2.id))).to.contain('data-locked');
    for (const other of ['e1', 'e3', 'e4', 'e5']) expect(rowOf(html, 'data-enrollment', String((await enrollmentOf(other)).id)), other).not.to.contain('data-locked');
    const token = csrfFrom(html);
    const url = `/trainer/courses/GOLF/enrollments/${e2.id}/retake`;

    await agents.tr.post(url).type('form').send({ reason: '系统故障' }).expect(403); // no CSRF token
    const refused = await agents.tr.post(url).type('form').send({ _csrf: token, reason: '   ' }).expect(422);
    const row = rowOf(refused.text, 'data-enrollment', String(e2.id));
    expect(row).to.contain('aria-invalid="true"').and.to.contain(`id="reason-${e2.id}-error"`);
    expect(row).to.contain('请填写原因（不超过 500 字）');
    expect((await enrollmentOf('e2')).retakes_granted).to.equal(0);

    const granted = await agents.tr.post(url).type('form').send({ _csrf: token, reason: '考试期间系统故障' }).expect(302);
    expect(granted.headers.location).to.equal(`/trainer/courses/GOLF/learners?granted=${e2.id}#learner-${e2.id}`);
    expect((await enrollmentOf('e2')).retakes_granted).to.equal(1);
    const audit = ctx.app.lms.db.prepare("SELECT actor_id, subject, details_json FROM audit_events WHERE action = 'enrollment.retake'").all() as Array<{ actor_id: number; subject: string; details_json: string }>;
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actor_id: await ids('tr'), subject: `enrollment:${e2.id}` });
    expect(JSON.parse(audit[0].details_json)).to.deep.equal({ reason: '考试期间系统故障' });
    html = await page(agents.tr, `?granted=${e2.id}`);
    expect(html).to.contain('role="status"');
    expect(rowOf(html, 'data-enrollment', String(e2.id))).not.to.contain('data-locked');

    await openPlayer(agents.e2, 'GOLF'); // 200: the second attempt starts
    // Running again, not locked: a second grant is refused beside the learner, and nothing changes.
    const again = await agents.tr.post(url).type('form').send({ _csrf: token, reason: '再来一次' }).expect(409);
    expect(rowOf(again.text, 'data-enrollment', String(e2.id))).to.contain(`id="reason-${e2.id}-error"`).and.to.contain('该学员仍有剩余尝试次数');
    await agents.tr.post(`/trainer/courses/GOLF/enrollments/${(await enrollmentOf('e1')).id}/retake`).type('form').send({ _csrf: token, reason: 'x' }).expect(409);
    expect((await enrollmentOf('e2')).retakes_granted).to.equal(1);
    await agents.tr.post('/trainer/courses/GOLF/enrollments/999999/retake').type('form').send({ _csrf: token, reason: 'x' }).expect(404);
    expect(ctx.app.lms.db.prepare("SELECT COUNT(*) FROM audit_events WHERE action = 'enrollment.retake'").pluck().get()).to.equal(1);
  });
});

describe('trainer course page: paging large courses', () => {
  let ctx: TestContext;
  afterEach(() => ctx.close());

  it('lists 50 learners a page by employee number, every learner once, with counts over all of them', async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createBranch(ctx.app, 'STAFF', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'STAFF' });
    const learners = 123;
    for (let i = 0; i < learners; i++) await createUser(ctx.app, { username: `p${i}`, roles: ['employee'], branch: 'HO', password: null });
    await publishCourse(ctx.app, 'tr', 'BIG', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
    const trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    await trainer.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'BIG', branch: 'HO', positions: [], dueDays: 30 }).expect(201);
    const expected = (ctx.app.lms.db.prepare("SELECT u.employee_no FROM users u JOIN branches b ON b.id = u.branch_id WHERE b.code = 'HO'").pluck().all() as string[]).sort();
    expect(expected).to.have.length(learners);

    const seen: string[][] = [];
    let next: string | null = '/trainer/courses/BIG/learners';
    while (next) {
      const html = (await trainer.get(next).expect(200)).text;
      seen.push([...html.matchAll(/data-employee-no="([^"]+)"/g)].map((m) => m[1]));
      expect(Number(/data-status="not_started"><th[^>]*>[^<]*<\/th><td>(\d+)<\/td>/.exec(html)![1])).to.equal(learners);
      const link = /<a rel="next" href="([^"]+)"/.exec(html);
      next = link ? decodeHtml(link[1]) : null;
    }
    expect(seen.map((p) => p.length)).to.deep.equal([50, 50, 23]);
    expect(seen.flat()).to.deep.equal(expected);
  });

  it('counts the whole course at most once a minute, while the learners listed are always read fresh', async () => {
    ctx = buildTestApp(); // 2026-06-01T02:00:00Z = 10:00 in Shanghai
    await createBranch(ctx.app, 'HO', null);
    await createBranch(ctx.app, 'STAFF', null);
    await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'STAFF' });
    for (let i = 0; i < 3; i++) await createUser(ctx.app, { username: `p${i}`, roles: ['employee'], branch: 'HO', password: null });
    await publishCourse(ctx.app, 'tr', 'BIG', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
    const trainer = (await signIn(ctx.app, 'tr')).agent;
    const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
    await trainer.post('/api/assignments').set('X-CSRF-Token', token).send({ course: 'BIG', branch: 'HO', positions: [], dueDays: 30 }).expect(201);
    const view = async () => {
      const html = (await trainer.get('/trainer/courses/BIG/learners').expect(200)).text;
      return {
        notStarted: Number(/data-status="not_started"><th[^>]*>[^<]*<\/th><td>(\d+)<\/td>/.exec(html)![1]),
        listed: [...html.matchAll(/data-employee-no="/g)].length,
        countedAt: /data-counted-at>([^<]*)</.exec(html)![1],
      };
    };

    expect(await view()).to.deep.equal({ notStarted: 3, listed: 3, countedAt: '以下统计截至 10:00，每分钟更新一次。' });
    await createUser(ctx.app, { username: 'newcomer', roles: ['employee'], branch: 'HO', password: null }); // enrolled at once
    ctx.clock.advance(59_000);
    expect(await view(), 'within the minute').to.deep.equal({ notStarted: 3, listed: 4, countedAt: '以下统计截至 10:00，每分钟更新一次。' });
    ctx.clock.advance(1_000);
    expect(await view(), 'a minute on').to.deep.equal({ notStarted: 4, listed: 4, countedAt: '以下统计截至 10:01，每分钟更新一次。' });
  });
});
