import { expect } from 'chai';
import { signIn, type TestContext } from '../helpers/test-app.js';
import { appWithG04, openPlayer } from '../helpers/launch.js';
import { LAUNCH_TTL_MS } from '../../server/scorm/launch.service.js';

// The commit path caches a launch's identity by token hash and the state it last wrote; what may change must still come from the database.
describe('SCORM commit with a cached launch', () => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = await appWithG04();
  });
  afterEach(() => ctx.close());

  const pathOf = (url: string) => new URL(url, 'http://x').pathname;
  const location = () => (ctx.app.lms.db.prepare('SELECT location FROM sco_states').pluck().get() as string | null | undefined) ?? null;

  it('refuses a launch once it has expired, although it was used (and cached) before', async () => {
    const { agent } = await signIn(ctx.app, 'emp');
    const url = pathOf((await openPlayer(agent, 'G04')).commitUrl);
    await agent.post(url).send({ cmi: { location: 'p1' }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
    ctx.clock.advance(LAUNCH_TTL_MS + 1);
    const { agent: later } = await signIn(ctx.app, 'emp'); // the old session has reached its absolute timeout too
    await later.post(url).send({ cmi: { location: 'p2' }, seq: 2 }).expect(404);
    expect(location()).to.equal('p1');
  });

  it('reads sequence and terminate from the database on every commit', async () => {
    const { agent } = await signIn(ctx.app, 'emp');
    const url = pathOf((await openPlayer(agent, 'G04')).commitUrl);
    await agent.post(url).send({ cmi: { location: 'p1' }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
    await agent.post(url).send({ cmi: { location: 'p2' }, seq: 2 }).expect(200, { result: true, errorCode: 0 });
    await agent.post(url).send({ cmi: { location: 'stale' }, seq: 2 }).expect(200, { result: true, errorCode: 0 });
    expect(location(), 'a replayed sequence number changes nothing').to.equal('p2');
    await agent.post(url).send({ cmi: { location: 'p3', exit: 'suspend' }, seq: 3, terminate: true }).expect(200, { result: true, errorCode: 0 });
    const late = await agent.post(url).send({ cmi: { location: 'late' }, seq: 4 }).expect(200);
    expect(late.body).to.deep.equal({ result: false, errorCode: 143 });
    expect(location()).to.equal('p3');
  });

  it('starts from the stored state when the row changed behind the cache (another process, a restore)', async () => {
    const { agent } = await signIn(ctx.app, 'emp');
    const url = pathOf((await openPlayer(agent, 'G04')).commitUrl);
    await agent.post(url).send({ cmi: { location: 'p1', suspend_data: 'mine' }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
    const { db } = ctx.app.lms;
    const row = db.prepare('SELECT cmi_json, commit_seq FROM sco_states').get() as { cmi_json: string; commit_seq: number };
    const elsewhere = { ...JSON.parse(row.cmi_json) as Record<string, string>, 'cmi.suspend_data': 'written elsewhere' };
    db.prepare('UPDATE sco_states SET cmi_json = ?, commit_seq = commit_seq + 1, updated_at = ?').run(JSON.stringify(elsewhere), new Date().toISOString());

    await agent.post(url).send({ cmi: { location: 'p2' }, seq: 2 }).expect(200, { result: true, errorCode: 0 });

    const state = JSON.parse(db.prepare('SELECT cmi_json FROM sco_states').pluck().get() as string) as Record<string, string>;
    expect(state['cmi.suspend_data'], 'not the cached copy').to.equal('written elsewhere');
    expect(state['cmi.location']).to.equal('p2');
  });
});
