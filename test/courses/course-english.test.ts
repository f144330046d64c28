import { expect } from 'chai';
import { appWithG04 } from '../helpers/launch.js';
import { csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { sqlOf } from '../helpers/test-sql.js';

/** A course's English title and description (issue 17): set by a trainer, shown to learners reading English. */
describe('course English title and description', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  beforeEach(async () => { ctx = await appWithG04(); });
  afterEach(() => ctx.close());

  const row = () => sqlOf(ctx.app).get("SELECT title, title_en, description_en FROM courses WHERE code = 'G04'");

  it('the trainer sets them on the course page; blank clears them; every change is audited', async () => {
    const { agent } = await signIn(ctx.app, 'tr');
    const page = (await agent.get('/trainer/courses/G04').expect(200)).text;
    expect(page).to.contain('id="english-text"');
    await agent.post('/trainer/courses/G04/english').type('form').send({ _csrf: csrfFrom(page), titleEn: '  Golf basics ', descriptionEn: 'Rules of golf.' })
      .expect(302).expect('Location', '/trainer/courses/G04');
    expect(await row()).to.deep.include({ title_en: 'Golf basics', description_en: 'Rules of golf.' });
    expect((await agent.get('/trainer/courses/G04').expect(200)).text).to.contain('value="Golf basics"');

    const token = csrfFrom(page);
    const cleared = await agent.put('/api/courses/G04/english').set('X-CSRF-Token', token).send({ titleEn: '', descriptionEn: null }).expect(200);
    expect(cleared.body.course).to.include({ titleEn: null, descriptionEn: null });
    expect(await row()).to.deep.include({ title_en: null, description_en: null });
    const audits = await sqlOf(ctx.app).all<{ details_json: string }>("SELECT action, details_json FROM audit_events WHERE action = 'course.update' ORDER BY id");
    expect(audits.map((a) => JSON.parse(a.details_json).after)).to.deep.equal([{ titleEn: 'Golf basics', descriptionEn: 'Rules of golf.' }, { titleEn: null, descriptionEn: null }]);
  });

  it('refuses a title over 200 characters with a message beside the field, and changes nothing', async () => {
    const { agent } = await signIn(ctx.app, 'tr');
    const page = (await agent.get('/trainer/courses/G04').expect(200)).text;
    const res = await agent.post('/trainer/courses/G04/english').type('form').send({ _csrf: csrfFrom(page), titleEn: 'x'.repeat(201), descriptionEn: '' }).expect(422);
    expect(res.text).to.match(/id="titleEn-error"/);
    expect(await row()).to.deep.include({ title_en: null });
  });

  it('only trainers may set them, and only with the CSRF token', async () => {
    const { agent: learner } = await signIn(ctx.app, 'emp');
    const token = csrfFrom((await learner.get('/me').expect(200)).text);
    await learner.put('/api/courses/G04/english').set('X-CSRF-Token', token).send({ titleEn: 'Hijack' }).expect(403);
    const { agent: trainer } = await signIn(ctx.app, 'tr');
    await trainer.put('/api/courses/G04/english').send({ titleEn: 'No token' }).expect(403);
    expect(await row()).to.deep.include({ title_en: null });
  });
});
