import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { buildTestApp, signIn, type TestContext } from '../helpers/test-app.js';
import { appWithCourses, GOLF_2004 } from '../helpers/launch.js';
import { mainThreadCpuMs } from '../helpers/stall-monitor.js';

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

  it('are compiled ahead by warmWorkers: the first learner list costs what later ones do, not a compile', async function () {
    this.timeout(60_000);
    // Unwarmed, the first render of this page took 110 ms of CPU (later ones 10 ms): Handlebars
    // compiles on first use. Compared with the second render of the same page, in CPU time.
    ctx = await appWithCourses({ G04: GOLF_2004 });
    await ctx.app.lms.warmWorkers();
    const { agent } = await signIn(ctx.app, 'tr');
    const cpuOf = async () => {
      const before = mainThreadCpuMs();
      await agent.get('/trainer/courses/G04/learners').expect(200);
      return mainThreadCpuMs() - before;
    };
    const first = await cpuOf();
    const second = await cpuOf();
    expect(first, `first ${first} ms, second ${second} ms of CPU`).to.be.at.most(second + 40);
  });
});
