import { expect } from 'chai';
import assert from 'node:assert/strict';
import { buildTestApp, createBranch, createUser, type TestContext } from '../helpers/test-app.js';
import { runCli } from '../helpers/run-cli.js';
import { openDatabase } from '../../server/db/open-database.js';

describe('audit trail', () => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    await createUser(ctx.app, { username: 'a1', roles: ['admin'], branch: 'HO' });
    await createUser(ctx.app, { username: 'e1', roles: ['employee'], branch: 'HO' });
    ctx.app.lms.close();
  });
  afterEach(() => ctx.close());

  it('refuses updates and deletes through SQL triggers', () => {
    const db = openDatabase(`${ctx.dataDir}/lms.db`);
    assert.throws(() => db.prepare("UPDATE audit_events SET action = 'x' WHERE id = 1").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM audit_events WHERE id = 1').run(), /append-only/);
    db.close();
  });

  it('verify-audit passes on an intact chain', () => {
    const result = runCli(ctx.dataDir, ['verify-audit']);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/intact: [1-9]\d* events/);
  });

  it('verify-audit exits non-zero naming an edited event', () => {
    const db = openDatabase(`${ctx.dataDir}/lms.db`);
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare("UPDATE audit_events SET details_json = '{\"name\":\"forged\"}' WHERE id = 2").run();
    db.close();
    const result = runCli(ctx.dataDir, ['verify-audit']);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(/broken at event 2: content does not match its hash/);
  });

  it('verify-audit exits non-zero naming the gap left by a deleted event', () => {
    const db = openDatabase(`${ctx.dataDir}/lms.db`);
    db.exec('DROP TRIGGER audit_events_no_delete');
    db.prepare('DELETE FROM audit_events WHERE id = 2').run();
    db.close();
    const result = runCli(ctx.dataDir, ['verify-audit']);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(/broken at event 3: event 2 is missing/);
  });

  it('token create prints a working token once and stores only its hash', () => {
    const created = runCli(ctx.dataDir, ['token', 'create', '--user', 'a1', '--name', 'hr-sync']);
    expect(created.status, created.stderr).to.equal(0);
    const token = created.stdout.trim().split('\n').pop()!;
    expect(token).to.match(/^lms_[\w-]{40,}$/);
    const db = openDatabase(`${ctx.dataDir}/lms.db`);
    const rows = db.prepare('SELECT name, token_hash FROM api_tokens').all() as Array<{ name: string; token_hash: string }>;
    db.close();
    expect(rows).to.have.length(1);
    expect(rows[0].name).to.equal('hr-sync');
    expect(rows[0].token_hash).to.not.contain(token.slice(4));
  });
});
