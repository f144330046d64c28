import { expect } from 'chai';
import supertest from 'supertest';
import { appWithG04 } from '../helpers/launch.js';
import { csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { findLeaks, neutralBankCsv } from './answer-leak.js';
import { DEFAULT_EXAM } from './exam-fixture.js';

describe('no correct answer reaches the learner before submission', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  afterEach(() => ctx?.close());

  it('scans every page, JSON answer and asset a learner receives while taking the exam', async () => {
    ctx = await appWithG04();
    const { app } = ctx;
    const trainerUser = (await app.lms.repositories.users.findByUsername('tr'))!;
    await app.lms.services.banks.importBank({ code: 'NB', title: '中性题库', bytes: Buffer.from(neutralBankCsv(30)), dryRun: false, actorId: trainerUser.id });
    await app.lms.services.exams.saveSettings({ ...trainerUser, roles: [] }, 'G04', { ...DEFAULT_EXAM, bankCode: 'NB', rules: [{ count: 12, tags: [], difficulties: [] }] });
    const { agent } = await signIn(app, 'emp');
    const bodies: Array<{ url: string; text: string }> = [];
    const keep = (url: string, res: supertest.Response) => { bodies.push({ url, text: res.text ?? JSON.stringify(res.body) }); return res; };
    const get = async (url: string) => keep(url, await agent.get(url));

    const home = await get('/me');
    const startPage = await get('/learn/G04/exam');
    expect(startPage.status).to.equal(200);
    await agent.post('/learn/G04/exam/start').type('form').send({ _csrf: csrfFrom(startPage.text) }).expect(302);
    const take = await get('/learn/G04/exam');
    expect(take.text).to.contain('class="card exam-question"');
    const csrf = csrfFrom(take.text);
    for (const asset of [...take.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1])) {
      const res = await get(asset);
      expect(res.status, asset).to.equal(200);
    }
    const api = keep('POST attempts', await agent.post('/api/courses/G04/exam/attempts').set('X-CSRF-Token', csrf).send({}).expect(200));
    const attemptId = api.body.attemptId as number;
    // Answer half the paper (the first option each time), reading the paper back in between.
    for (const q of (api.body.questions as Array<{ id: number; options: Array<{ id: string }> }>).slice(0, 6)) {
      keep(`PUT ${q.id}`, await agent.put(`/api/exam-attempts/${attemptId}/answers/${q.id}`).set('X-CSRF-Token', csrf).send({ answer: [q.options[0].id] }).expect(200));
      await get(`/api/exam-attempts/${attemptId}`);
    }
    await get('/learn/G04/exam');
    await get('/me');
    expect(home.status).to.equal(200);
    expect(bodies.length).to.be.greaterThan(15);
    expect(findLeaks(app.lms.db, attemptId, bodies)).to.deep.equal([]);

    // The check can fail: the trainer's papers view does show the key.
    const { agent: trainer } = await signIn(app, 'tr');
    const papers = await trainer.get('/api/courses/G04/exam/papers').expect(200);
    expect(findLeaks(app.lms.db, attemptId, [{ url: 'trainer papers', text: papers.text }])).not.to.deep.equal([]);
    // After submission (policy: answers after submitting) the learner sees the key.
    const submitted = await agent.post(`/api/exam-attempts/${attemptId}/submit`).set('X-CSRF-Token', csrf).send({}).expect(200);
    expect(findLeaks(app.lms.db, attemptId, [{ url: 'result', text: submitted.text }])).not.to.deep.equal([]);
  });
});
