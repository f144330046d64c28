import { expect } from 'chai';
import { facility, pointBiserial } from '../../server/exams/item-analysis.js';
import { drawQuestionIds, layOutPaper, ruleShortfalls, seededRandom } from '../../server/exams/draw-paper.js';
import { csrfFrom } from '../helpers/test-app.js';
import { anotherLearner, examWorld, pick, type ExamWorld } from './exam-fixture.js';

/** Point-biserial computed the long way, from every (score, correct) pair. */
function directPointBiserial(pairs: Array<[number, boolean]>): number {
  const n = pairs.length;
  const mean = pairs.reduce((s, [x]) => s + x, 0) / n;
  const sd = Math.sqrt(pairs.reduce((s, [x]) => s + (x - mean) ** 2, 0) / n);
  const right = pairs.filter(([, c]) => c).map(([x]) => x);
  const wrong = pairs.filter(([, c]) => !c).map(([x]) => x);
  const p = right.length / n;
  const m1 = right.reduce((a, b) => a + b, 0) / right.length;
  const m0 = wrong.reduce((a, b) => a + b, 0) / wrong.length;
  return ((m1 - m0) / sd) * Math.sqrt(p * (1 - p));
}

describe('item analysis', function () {
  this.timeout(40_000);

  it('point-biserial from maintained sums equals the direct computation', () => {
    const pairs: Array<[number, boolean]> = [[100, true], [80, true], [60, false], [40, false], [80, false], [20, false], [100, true]];
    const tally = pairs.reduce((t, [s, c]) => ({
      shown: t.shown + 1, answered: t.answered + 1, correct: t.correct + (c ? 1 : 0), sumScore: t.sumScore + s, sumScoreSq: t.sumScoreSq + s * s, sumScoreCorrect: t.sumScoreCorrect + (c ? s : 0),
    }), { shown: 0, answered: 0, correct: 0, sumScore: 0, sumScoreSq: 0, sumScoreCorrect: 0 });
    expect(pointBiserial(tally)).to.be.closeTo(directPointBiserial(pairs), 1e-9);
    expect(facility(tally)).to.be.closeTo(3 / 7, 1e-9);
    expect(pointBiserial({ ...tally, correct: 0, sumScoreCorrect: 0 })).to.equal(null);
  });

  it('draws per rule without repeats, refuses a rule the bank cannot fill, and shuffles options with opaque ids', () => {
    const candidates = Array.from({ length: 10 }, (_, i) => ({ questionId: i + 1, tags: [i < 4 ? '反洗钱' : '消保'], difficulty: (i % 3) + 1 }));
    const rules = [{ count: 3, tags: ['反洗钱'], difficulties: [] }, { count: 5, tags: [], difficulties: [] }];
    const ids = drawQuestionIds(rules, candidates, seededRandom(7))!;
    expect(new Set(ids).size).to.equal(8);
    expect(ids.slice(0, 3).every((id) => id <= 4)).to.equal(true);
    expect(drawQuestionIds([{ count: 5, tags: ['反洗钱'], difficulties: [] }], candidates, seededRandom(1))).to.equal(null);
    expect(ruleShortfalls([{ count: 5, tags: ['反洗钱'], difficulties: [] }], candidates)).to.deep.equal([{ rule: 0, available: 4, wanted: 5 }]);
    const paper = layOutPaper([{ questionId: 1, versionId: 1, type: 'single', stem: 's', options: ['a', 'b', 'c', 'd'], answer: ['C'], explanation: '', tags: [] }], 42, { shuffleQuestions: true, shuffleOptions: true });
    expect(paper[0].options.map((o) => o.text).sort()).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(paper[0].correct).to.deep.equal([paper[0].options.find((o) => o.letter === 'C')!.id]);
    expect(paper[0].options.every((o) => /^[\w-]{10}$/.test(o.id) && o.id !== o.letter)).to.equal(true);
  });

  let world: ExamWorld;
  afterEach(() => world?.ctx.close());

  it('the trainer\'s page shows question text, options, facility, discrimination (named), most chosen wrong answer and knowledge points', async () => {
    world = await examWorld({ rules: [{ count: 20, tags: [], difficulties: [] }], attemptsPerCycle: null });
    // Three learners: strong (20 right), middling (12), weak (4), always choosing the same wrong option.
    const learners = [world, await anotherLearner(world, 'mid'), await anotherLearner(world, 'weak')].map((l) => ('learner' in l ? { agent: l.learner, csrf: l.csrf } : l));
    const rights = [20, 12, 4];
    for (const [i, l] of learners.entries()) {
      const start = await l.agent.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', l.csrf).send({}).expect(201);
      const sorted = [...start.body.questions].sort((a: { id: number }, b: { id: number }) => a.id - b.id);
      for (const [n, q] of sorted.entries()) {
        const answer = n < rights[i] ? pick(q, true) : q.options.find((o: { text: string }) => o.text.endsWith('A') || (o.text.startsWith('错误') && !o.text.endsWith('A') && q.options.every((x: { text: string }) => !x.text.endsWith('A'))))!.id;
        await l.agent.put(`/api/exam-attempts/${start.body.attemptId}/answers/${q.id}`).set('X-CSRF-Token', l.csrf).send({ answer: [answer] }).expect(200);
      }
      await l.agent.post(`/api/exam-attempts/${start.body.attemptId}/submit`).set('X-CSRF-Token', l.csrf).send({}).expect(200);
    }
    const json = await world.trainer.get('/api/courses/G04/exam/analysis').expect(200);
    expect(json.body.method).to.equal('point-biserial');
    expect(json.body.items).to.have.length(20);
    const first = json.body.items.find((i: { questionId: number }) => i.questionId === 1);
    expect(first).to.include({ shown: 3, correct: 3, facilityPercent: 100, discrimination: null });
    const q15 = json.body.items.find((i: { questionId: number }) => i.questionId === 15);
    expect(q15.facilityPercent).to.equal(33.3);
    expect(q15.discrimination).to.be.greaterThan(0.5);
    expect(q15.topWrong.count).to.equal(2);
    expect(json.body.tags).to.deep.equal([{ tag: '消费者权益', questions: 20, shown: 60, correct: 36, facility: 0.6, facilityPercent: 60 }]);
    const page = await world.trainer.get('/trainer/courses/G04/exam/analysis').expect(200);
    expect(page.text).to.contain('第15题：哪一项正确？');
    expect(page.text).to.contain('点二列相关系数');
    expect(page.text).to.match(/data-facility>33\.3%/);
    await world.learner.get('/trainer/courses/G04/exam/analysis').expect(403);
  });

  it('the settings page saves draw rules and shows field errors when the bank cannot fill them', async () => {
    world = await examWorld();
    const page = await world.trainer.get('/trainer/courses/G04/exam').expect(200);
    const csrf = csrfFrom(page.text);
    const bad = await world.trainer.post('/trainer/courses/G04/exam').type('form').send({
      _csrf: csrf, bankCode: 'B1', rule0Count: '25', passMark: '80', timeLimitMinutes: '20', reviewPolicy: 'after_pass', isEnabled: 'on',
    }).expect(422);
    expect(bad.text).to.contain('id="rule0Count-error"');
    await world.trainer.post('/trainer/courses/G04/exam').type('form').send({
      _csrf: csrf, bankCode: 'B1', rule0Count: '3', rule0Tags: '消费者权益', rule0Difficulties: '1, 2', rule1Count: '2', passMark: '80', timeLimitMinutes: '20',
      attemptsPerCycle: '3', reviewPolicy: 'after_pass', shuffleOptions: 'on', isEnabled: 'on',
    }).expect(302);
    const api = await world.trainer.get('/api/courses/G04/exam').expect(200);
    expect(api.body).to.deep.include({
      bankCode: 'B1', rules: [{ count: 3, tags: ['消费者权益'], difficulties: [1, 2] }, { count: 2, tags: [], difficulties: [] }],
      shuffleQuestions: false, shuffleOptions: true, passMark: 80, timeLimitMinutes: 20, attemptsPerCycle: 3, reviewPolicy: 'after_pass', requiresLessons: false,
    });
    const audit = world.app.lms.db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'exam.settings'").get() as { n: number };
    expect(audit.n).to.equal(2);
  });

  it('an edited question leaves the running paper as it was shown', async () => {
    world = await examWorld();
    const start = await world.learner.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', world.csrf).send({}).expect(201);
    const q = start.body.questions[0];
    await world.trainer.put(`/api/question-banks/B1/questions/${q.id}`).set('X-CSRF-Token', world.trainerCsrf)
      .send({ type: 'single', stem: '新的题干', options: ['甲', '乙'], answer: ['A'] }).expect(200);
    const view = await world.learner.get(`/api/exam-attempts/${start.body.attemptId}`).expect(200);
    expect(view.body.questions[0]).to.deep.include({ stem: q.stem, options: q.options });
  });
});
