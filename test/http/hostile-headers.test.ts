import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, type TestContext } from '../helpers/test-app.js';

describe('Hostile request headers', () => {
  let ctx: TestContext;
  beforeEach(() => { ctx = buildTestApp(); });
  afterEach(() => ctx.close());

  it('a locale cookie with a broken %-escape falls back to the default language (was a 500 on every page)', async () => {
    for (const value of ['%E0%A4%A', '%', '%zz', 'en%']) {
      const res = await supertest(ctx.app).get('/login').set('Cookie', `lms.lang=${value}`);
      expect(res.status, value).to.equal(200);
      expect(res.text, value).to.include('lang="zh-CN"');
    }
    const english = await supertest(ctx.app).get('/login').set('Cookie', 'lms.lang=en').expect(200);
    expect(english.text).to.include('lang="en"');
  });
});
