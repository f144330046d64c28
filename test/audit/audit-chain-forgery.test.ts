import { expect } from 'chai';
import { buildTestApp, createBranch, createUser, type TestContext } from '../helpers/test-app.js';
import { runCli } from '../helpers/run-cli.js';
import { openDatabase, type Db } from '../../server/db/open-database.js';
import { hashAuditRow, verifyAuditChain } from '../../server/audit/audit.repository.js';

interface Row { id: number; at: string; actor_id: number | null; action: string; subject: string; details_json: string; prev_hash: string; hash: string }

/**
 * A forger with write access to the database file: drops the triggers, rewrites rows and
 * recomputes whatever hashes the change needs. Each case is the cheapest forgery that a weaker
 * check would let through (see the README, "Audit trail"), so each test bites when a link of the
 * verification is removed.
 */
describe('audit chain against a forger', () => {
  let ctx: TestContext;
  let db: Db;

  beforeEach(async () => {
    ctx = buildTestApp();
    await createBranch(ctx.app, 'HO', null);
    for (let i = 0; i < 5; i++) await createUser(ctx.app, { username: `u${i}`, roles: ['employee'], branch: 'HO' });
    ctx.app.lms.close();
    db = openDatabase(`${ctx.dataDir}/lms.db`);
    db.exec(`DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_events_advance_head;
      DROP TRIGGER audit_head_forward_only`);
  });
  afterEach(() => {
    if (db.open) db.close();
    ctx.close();
  });

  const rows = () => db.prepare('SELECT * FROM audit_events ORDER BY id').all() as Row[];
  const rehash = (row: Row): Row => ({ ...row, hash: hashAuditRow(row) });
  function rewrite(next: Row[]): void {
    db.transaction(() => {
      db.exec('DELETE FROM audit_events');
      const insert = db.prepare('INSERT INTO audit_events VALUES (@id, @at, @actor_id, @action, @subject, @details_json, @prev_hash, @hash)');
      for (const row of next) insert.run(row);
    })();
  }
  /** The forger also moves the in-database head to match the forged tail. */
  function moveHead(): void {
    const last = rows().at(-1)!;
    db.prepare('UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1').run(last.id, last.hash);
  }
  const verdict = () => verifyAuditChain(db);

  it('holds at least six events to forge with', () => {
    expect(rows().length).to.be.at.least(6);
    expect(verdict()).to.include({ ok: true });
  });

  it('catches an edited event whose own hash was recomputed (the next event\'s link breaks)', () => {
    const all = rows();
    all[2] = rehash({ ...all[2], details_json: '{"forged":true}' });
    rewrite(all);
    expect(verdict().firstBad).to.deep.equal({ id: 4, reason: 'previous hash does not match: an earlier event was changed or removed' });
  });

  it('catches an edit whose hash was recomputed and the next event\'s link patched (the next hash covers its link)', () => {
    const all = rows();
    all[2] = rehash({ ...all[2], details_json: '{"forged":true}' });
    all[3] = { ...all[3], prev_hash: all[2].hash };
    rewrite(all);
    expect(verdict().firstBad).to.deep.equal({ id: 4, reason: 'content does not match its hash (edited)' });
  });

  it('catches two events swapped, each rehashed under its new id', () => {
    const all = rows();
    const [second, third] = [all[1], all[2]];
    all[1] = rehash({ ...third, id: 2 });
    all[2] = rehash({ ...second, id: 3 });
    rewrite(all);
    expect(verdict()).to.include({ ok: false });
    expect(verdict().firstBad!.id).to.equal(2);
  });

  it('catches an event inserted in the middle, later ids shifted and rehashed, head moved along', () => {
    const all = rows();
    const forged = rehash({ ...all[2], id: 3, action: 'user.update', details_json: '{"forged":true}', prev_hash: all[1].hash });
    const shifted = all.slice(2).map((row) => rehash({ ...row, id: row.id + 1 }));
    rewrite([...all.slice(0, 2), forged, ...shifted]);
    moveHead();
    expect(verdict().firstBad).to.deep.equal({ id: 4, reason: 'previous hash does not match: an earlier event was changed or removed' });
  });

  it('catches a truncated tail through the head record', () => {
    const all = rows();
    rewrite(all.slice(0, -2));
    expect(verdict().firstBad).to.deep.equal({
      id: all.length - 1, reason: `the head record says ${all.length} events were written: events after ${all.length - 2} are missing (truncated)`,
    });
  });

  it('catches a truncated tail with the head rewound too, given the head recorded earlier (--head)', () => {
    const all = rows();
    const recorded = `${all.at(-1)!.id}:${all.at(-1)!.hash}`;
    rewrite(all.slice(0, -2));
    moveHead();
    expect(verdict()).to.include({ ok: true }); // undetectable from inside the file alone
    db.close();
    const result = runCli(ctx.dataDir, ['verify-audit', '--head', recorded]);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.contain(`the recorded head (event ${all.length}) is not in the trail (truncated)`);
  });

  it('catches a chain recomputed end to end (head moved too) only against a head recorded earlier', () => {
    const all = rows();
    const recorded = `${all.at(-1)!.id}:${all.at(-1)!.hash}`;
    let previous = '0'.repeat(64);
    const forged = all.map((row, i) => {
      const next = rehash({ ...row, prev_hash: previous, details_json: i === 1 ? '{"forged":true}' : row.details_json });
      previous = next.hash;
      return next;
    });
    rewrite(forged);
    moveHead();
    expect(verdict()).to.include({ ok: true });
    db.close();
    const result = runCli(ctx.dataDir, ['verify-audit', '--head', recorded]);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(new RegExp(`broken at event ${all.length}: hash differs from the recorded head`));
    const good = runCli(ctx.dataDir, ['verify-audit', '--head', 'nonsense']);
    expect(good.status).to.equal(2);
  });

  it('the command prints the head to record, and accepts it on the next run', () => {
    db.close();
    const first = runCli(ctx.dataDir, ['verify-audit']);
    expect(first.status, first.stderr).to.equal(0);
    const head = /--head (\d+:[0-9a-f]{64})/.exec(first.stdout)![1];
    const again = runCli(ctx.dataDir, ['verify-audit', '--head', head]);
    expect(again.status, again.stderr).to.equal(0);
  });
});
