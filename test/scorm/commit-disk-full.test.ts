// Issue 12 (test:crash, disk full), in process: when SQLite cannot grow the database (here
// PRAGMA max_page_count; test/crash runs the same on a real full tmpfs), a commit is answered
// 503 STORAGE_FULL in JSON with Retry-After — never success, never a bare 500 — the stored state
// is unchanged, and commits succeed again once there is room.
import { expect } from 'chai';
import { appWithG04, openPlayer } from '../helpers/launch.js';
import { signIn, type TestContext } from '../helpers/test-app.js';

describe('SCORM commit on a full disk', () => {
  let ctx: TestContext;
  beforeEach(async () => { ctx = await appWithG04(); });
  afterEach(() => ctx.close());

  it('answers 503 STORAGE_FULL, keeps what was stored, and accepts commits again when space returns', async () => {
    const { agent } = await signIn(ctx.app, 'emp');
    const launch = await openPlayer(agent, 'G04');
    const url = new URL(launch.commitUrl, 'http://x').pathname;
    await agent.post(url).send({ cmi: { location: 'L1', suspend_data: 'kept' }, seq: 1 }).expect(200, { result: true, errorCode: 0 });
    const db = ctx.app.lms.db;
    const pages = (db.pragma('page_count', { simple: true }) as number);
    db.pragma(`max_page_count = ${pages}`);

    const big = '满'.repeat(60_000);
    const full = await agent.post(url).send({ cmi: { location: 'L2', suspend_data: big }, seq: 2 }).expect(503);
    expect(full.body.error).to.deep.include({ code: 'STORAGE_FULL' });
    expect(full.body.error.message).to.match(/disk is full: nothing was saved/);
    expect(full.headers['retry-after']).to.equal('60');
    const stored = db.prepare('SELECT location, cmi_json FROM sco_states').get() as { location: string; cmi_json: string };
    expect(stored.location).to.equal('L1');
    expect(JSON.parse(stored.cmi_json)['cmi.suspend_data']).to.equal('kept');

    db.pragma('max_page_count = 1073741823');
    await agent.post(url).send({ cmi: { location: 'L2', suspend_data: big }, seq: 2 }).expect(200, { result: true, errorCode: 0 });
    expect((db.prepare('SELECT location FROM sco_states').get() as { location: string }).location).to.equal('L2');
  });
});
