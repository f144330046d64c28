import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { buildTestApp, type TestContext } from '../helpers/test-app.js';

// Without the view cache every render re-reads partials and recompiles templates (issue 14).
describe('views are compiled once, whatever NODE_ENV says', () => {
  let ctx: TestContext;
  const env = process.env.NODE_ENV;
  afterEach(() => {
    ctx.close();
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  });

  it('standalone and mounted in a development host alike', async () => {
    process.env.NODE_ENV = 'development';
    ctx = buildTestApp();
    expect(ctx.app.enabled('view cache'), 'standalone').to.equal(true);
    const host = express(); // a host in development mode: its own view cache is off
    expect(host.enabled('view cache')).to.equal(false);
    host.use('/training', ctx.app);
    expect(ctx.app.enabled('view cache'), 'mounted').to.equal(true);
    const page = await supertest(host).get('/training/login').expect(200);
    expect(page.text).to.match(/<form/);
  });
});
