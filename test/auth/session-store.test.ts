import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { openDatabase, type Db } from '../../server/db/open-database.js';
import { createSessionMiddleware, LmsSessionStore, TOUCH_INTERVAL_MS } from '../../server/auth/session.js';
import type { SessionData } from 'express-session';

const IDLE_MS = 30 * 60_000;

function fakeClock(start = Date.parse('2026-06-01T02:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

const call = (fn: (cb: (error?: unknown, value?: unknown) => void) => void) =>
  new Promise<unknown>((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));

describe('SQLite session store (maintained store, throttled touches)', () => {
  let db: Db;
  let clock: ReturnType<typeof fakeClock>;
  let store: LmsSessionStore;
  const expireOf = (sid: string) => (db.prepare('SELECT expire FROM sessions WHERE sid = ?').pluck().get(sid) as string | undefined) ?? null;
  const expiringIn = (ms: number) => ({ cookie: { maxAge: ms, originalMaxAge: ms, expires: new Date(Date.now() + ms) }, signedInAt: 1 }) as unknown as SessionData;

  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = fakeClock();
    store = new LmsSessionStore(db, clock.now);
  });
  afterEach(() => {
    store.stop();
    db.close();
  });

  it('stores a session until its lifetime has passed, then no longer returns it', async function () {
    this.timeout(10_000);
    await call((cb) => store.set('s1', expiringIn(1_000), cb));
    expect(await call((cb) => store.get('s1', cb))).to.deep.include({ signedInAt: 1 });
    // The store compares with SQLite's clock at one-second resolution: wait past it for real.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await call((cb) => store.get('s1', cb))).to.equal(null);
  });

  it('writes the rolling expiry at most once per interval, and again once the interval has passed', async () => {
    await call((cb) => store.set('s1', expiringIn(IDLE_MS), cb));
    const written = expireOf('s1');
    clock.advance(TOUCH_INTERVAL_MS - 1);
    await call((cb) => store.touch('s1', expiringIn(IDLE_MS + 5_000), cb));
    expect(expireOf('s1'), 'touch inside the interval').to.equal(written);
    clock.advance(1);
    const later = expiringIn(IDLE_MS + 10_000);
    await call((cb) => store.touch('s1', later, cb));
    expect(expireOf('s1'), 'touch after the interval').to.equal(new Date(later.cookie.expires!).toISOString());
  });

  it('destroys a session', async () => {
    await call((cb) => store.set('gone', expiringIn(IDLE_MS), cb));
    await call((cb) => store.set('live', expiringIn(IDLE_MS), cb));
    await call((cb) => store.destroy('gone', cb));
    expect(expireOf('gone')).to.equal(null);
    expect(expireOf('live')).to.not.equal(null);
  });
});

describe('session middleware (throttled touches)', () => {
  let db: Db;
  let clock: ReturnType<typeof fakeClock>;
  let stop: () => void;
  let agent: ReturnType<typeof supertest.agent>;
  const writes = () => db.prepare('SELECT expire FROM sessions').pluck().all() as string[];

  beforeEach(async () => {
    db = openDatabase(':memory:');
    clock = fakeClock();
    const { middleware, store } = createSessionMiddleware({
      database: { dialect: 'sqlite', db }, secret: 'test-secret-0123456789', secure: false, idleMs: IDLE_MS, absoluteMs: 12 * 3_600_000,
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

  it('keeps a session in use signed in, writing its expiry at most once per interval', async () => {
    const seen = new Set<string>();
    for (let step = 0; step < 40; step += 1) {
      clock.advance(TOUCH_INTERVAL_MS / 2); // 40 requests over 20 minutes...
      expect((await agent.get('/who').expect(200)).text).to.equal('signed-in');
      writes().forEach((w) => seen.add(w));
    }
    expect(seen.size, 'distinct expiries written over 20 minutes').to.be.within(19, 21);
  });
});
