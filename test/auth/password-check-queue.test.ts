import { expect } from 'chai';
import assert from 'node:assert/strict';
import { PasswordCheckQueue } from '../../server/auth/password-check-queue.js';

describe('password-check queue', () => {
  it('runs at most maxRunning checks at once, queues maxWaiting, refuses the rest, and runs every accepted one', async () => {
    const queue = new PasswordCheckQueue({ maxRunning: 2, maxWaiting: 3 });
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const check = (i: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      order.push(i);
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => queue.run(check(i))));
    const done = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value);
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(peak).to.equal(2);
    expect(done).to.deep.equal([0, 1, 2, 3, 4]);
    expect(refused).to.have.length(5);
    expect(refused[0].reason).to.include({ name: 'SignInBusyError', status: 503 });
    expect(queue.started).to.equal(5);
    // Slots come back: the queue accepts again once drained, also after a failing check.
    await assert.rejects(queue.run(async () => { throw new Error('boom'); }), /boom/);
    expect(await queue.run(async () => 'again')).to.equal('again');
  });
});
