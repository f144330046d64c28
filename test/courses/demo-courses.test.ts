import { expect } from 'chai';
import { buildTestApp, csrfToken, signIn, type TestContext } from '../helpers/test-app.js';
import { seedDemoOrganisation } from '../../server/org/demo-seed.js';
import { seedDemoCourses } from '../../server/courses/demo-courses.js';
import { shippedCourses } from '../../courses/catalog.js';
import { readShippedBankQuestions } from './shipped/shipped-banks.js';

describe('demo: the shipped curriculum', function () {
  this.timeout(120_000);
  let ctx: TestContext;

  before(async () => {
    ctx = buildTestApp();
    await seedDemoOrganisation(ctx.app.lms, 'demo-pass-123456');
    const admin = (await ctx.app.lms.repositories.users.findByUsername('admin'))!;
    await seedDemoCourses(ctx.app.lms, admin.id);
  });
  after(() => ctx.close());

  it('imports every shipped course through ingest with no problems, publishes and assigns it', () => {
    const db = ctx.app.lms.db;
    const rows = db.prepare(`SELECT c.code, c.status, c.pass_mark, v.scorm_version, v.problems_json,
      (SELECT COUNT(*) FROM assignments a WHERE a.course_id = c.id) AS assignments FROM courses c JOIN course_versions v ON v.id = c.published_version_id ORDER BY c.code`).all() as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.code)).to.deep.equal(shippedCourses.map((c) => c.code).sort());
    for (const row of rows) {
      expect(row, String(row.code)).to.include({ status: 'published', pass_mark: 80, assignments: 1 });
      expect(JSON.parse(row.problems_json as string), String(row.code)).to.deep.equal([]);
    }
    expect(rows.some((r) => r.scorm_version === '1.2')).to.equal(true);
    expect(rows.filter((r) => r.scorm_version === '2004-4th')).to.have.length.of.at.least(1);
  });

  it('puts the courses on the demo employee\'s home, due 30 days after the seed', async () => {
    const { agent } = await signIn(ctx.app, 'employee', 'demo-pass-123456');
    const html = (await agent.get('/me').expect(200)).text;
    const teller = shippedCourses.filter((c) => c.code !== 'CP-105');
    for (const course of teller) expect(html, course.code).to.include(`data-course="${course.code}"`);
    // The demo employee is a teller: the wealth-product suitability course is for sales staff only.
    expect(html).to.not.include('data-course="CP-105"');
    expect(html).to.include('<dt>截止日期</dt><dd class="due" data-due="2026-07-01">2026-07-01 · 还剩 30 天</dd>');
    // The shipped courses carry English titles, stored for en readers.
    const titles = ctx.app.lms.db.prepare('SELECT code, title_en FROM courses ORDER BY code').all() as Array<{ code: string; title_en: string | null }>;
    expect(titles).to.deep.equal(shippedCourses.map((c) => ({ code: c.code, title_en: c.title.en })).sort((a, b) => a.code.localeCompare(b.code)));
  });

  it('imports each course\'s bank.csv through the bank import and attaches an exam that needs lessons and a pass', async () => {
    const db = ctx.app.lms.db;
    const rows = db.prepare(`SELECT c.code, b.code AS bank, e.pass_mark, e.time_limit_minutes, e.attempts_per_cycle, e.requires_lessons, e.is_enabled, e.rules_json,
        (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id AND q.status = 'active') AS questions,
        (SELECT COUNT(*) FROM questions q WHERE q.bank_id = b.id AND q.tags_json = '[]') AS untagged
      FROM courses c JOIN course_exams e ON e.course_id = c.id JOIN question_banks b ON b.id = e.bank_id ORDER BY c.code`).all() as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.code)).to.deep.equal(shippedCourses.map((c) => c.code).sort());
    for (const row of rows) {
      const bank = await readShippedBankQuestions(String(row.code));
      expect(row, String(row.code)).to.include({
        bank: row.code, pass_mark: 80, time_limit_minutes: 20, attempts_per_cycle: 3, requires_lessons: 1, is_enabled: 1,
        questions: bank.questions.length, untagged: 0,
      });
      expect(JSON.parse(row.rules_json as string), String(row.code)).to.deep.equal([{ count: 10, tags: [], difficulties: [] }]);
    }
  });

  it('keeps the demo employee out of the exam until the lessons are complete', async () => {
    const { agent } = await signIn(ctx.app, 'employee', 'demo-pass-123456');
    const csrf = await csrfToken(agent);
    const res = await agent.post('/api/courses/CP-101/exam/attempts').set('X-CSRF-Token', csrf).send({}).expect(409);
    expect(res.body.code ?? res.body.error?.code).to.equal('EXAM_LESSONS_INCOMPLETE');
  });
});
