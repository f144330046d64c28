import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { openDatabase, type Db } from '../../server/db/open-database.js';
import { createSessionMiddleware, SqliteSessionStore, TOUCH_INTERVAL_MS } from '../../server/auth/session.js';
import type { SessionData } from 'express-session';

const IDLE_MS = 30 * 60_000;

function fakeClock(start = Date.parse('2026-06-01T02:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

const sessionOf = (maxAge: number) => ({ cookie: { originalMaxAge: maxAge }, signedInAt: 1 }) as unknown as SessionData;
const call = (fn: (cb: (error?: unknown, value?: unknown) => void) => void) =>
  new Promise<unknown>((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));

describe('SQLite session store', () => {
  let db: Db;
  let clock: ReturnType<typeof fakeClock>;
  let store: SqliteSessionStore;
  const expireOf = (sid: string) => (db.prepare('SELECT expire FROM sessions WHERE sid = ?').pluck().get(sid) as string | undefined) ?? null;

  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = fakeClock();
    store = new SqliteSessionStore(db, clock.now);
  });
  afterEach(() => db.close());

  it('stores a session until its idle lifetime has passed, then no longer returns it', async () => {
    await call((cb) => store.set('s1', sessionOf(IDLE_MS), cb));
    expect(expireOf('s1')).to.equal(new Date(clock.now() + IDLE_MS).toISOString());
    clock.advance(IDLE_MS - 1);
    expect(await call((cb) => store.get('s1', cb))).to.deep.include({ signedInAt: 1 });
    clock.advance(1);
    expect(await call((cb) => store.get('s1', cb))).to.equal(null);
  });

  it('writes the rolling expiry at most once per interval, and again once the interval has passed', async () => {
    await call((cb) => store.set('s1', sessionOf(IDLE_MS), cb));
    const written = expireOf('s1');
    clock.advance(TOUCH_INTERVAL_MS - 1);
    await call((cb) => store.touch('s1', sessionOf(IDLE_MS), cb));
    expect(expireOf('s1'), 'touch inside the interval').to.equal(written);
    clock.advance(1);
    await call((cb) => store.touch('s1', sessionOf(IDLE_MS), cb));
    expect(expireOf('s1'), 'touch after the interval').to.equal(new Date(clock.now() + IDLE_MS).toISOString());
  });

  it('does not bring an expired session back by touching it', async () => {
    await call((cb) => store.set('s1', sessionOf(IDLE_MS), cb));
    clock.advance(IDLE_MS + TOUCH_INTERVAL_MS);
    await call((cb) => store.touch('s1', sessionOf(IDLE_MS), cb));
    expect(await call((cb) => store.get('s1', cb))).to.equal(null);
  });

  it('destroys a session, and clears expired ones while keeping live ones', async () => {
    await call((cb) => store.set('gone', sessionOf(IDLE_MS), cb));
    await call((cb) => store.set('old', sessionOf(60_000), cb));
    await call((cb) => store.set('live', sessionOf(IDLE_MS), cb));
    await call((cb) => store.destroy('gone', cb));
    expect(expireOf('gone')).to.equal(null);
    clock.advance(120_000);
    store.clearExpired();
    expect(expireOf('old')).to.equal(null);
    expect(expireOf('live')).to.not.equal(null);
  });
});

describe('session middleware idle timeout (throttled touches)', () => {
  let db: Db;
  let clock: ReturnType<typeof fakeClock>;
  let stop: () => void;
  let agent: ReturnType<typeof supertest.agent>;
  const writes = () => db.prepare('SELECT expire FROM sessions').pluck().all() as string[];

  beforeEach(async () => {
    db = openDatabase(':memory:');
    clock = fakeClock();
    const { middleware, store } = createSessionMiddleware({
      db, secret: 'test-secret-0123456789', secure: false, idleMs: IDLE_MS, absoluteMs: 12 * 3_600_000,
      now: () => new Date(clock.now()), storeClock: clock.now,
    });
    stop = () => store.stop();
    const app = express();
    app.use(middleware);
    app.post('/sign-in', (req, res) => {
      req.session.signedInAt = clock.now();
      res.send('ok');
    });
    app.get('/who', (req, res) => { res.send(req.session.signedInAt ? 'signed-in' : 'anonymous'); });
    agent = supertest.agent(app);
    await agent.post('/sign-in').expect(200);
  });
  afterEach(() => {
    stop();
    db.close();
  });

  it('keeps a session in use alive past the idle timeout, with one expiry write per interval at most', async () => {
    const seen = new Set<string>();
    for (let step = 0; step < 40; step += 1) {
      clock.advance(TOUCH_INTERVAL_MS / 2); // 40 requests over 20 minutes...
      expect((await agent.get('/who').expect(200)).text).to.equal('signed-in');
      writes().forEach((w) => seen.add(w));
    }
    expect(seen.size, 'distinct expiries written over 20 minutes').to.be.within(19, 21);
    clock.advance(IDLE_MS - TOUCH_INTERVAL_MS); // ...then idle for almost the whole timeout
    expect((await agent.get('/who').expect(200)).text).to.equal('signed-in');
  });

  it('ends an idle session at the idle timeout after its last written touch, at most one interval early', async () => {
    clock.advance(TOUCH_INTERVAL_MS - 1_000);
    await agent.get('/who').expect(200); // inside the interval since sign-in: expiry not written
    clock.advance(IDLE_MS - TOUCH_INTERVAL_MS); // idle for the timeout less one interval (and a second)...
    expect((await agent.get('/who').expect(200)).text).to.equal('signed-in'); // ...the sign-in expiry still holds
    clock.advance(IDLE_MS); // idle for exactly the timeout since this (written) request
    expect((await agent.get('/who').expect(200)).text).to.equal('anonymous');
  });
});
