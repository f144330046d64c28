import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { expect } from 'chai';
import { TextSink, waitForDrain } from '../../server/reports/text-sink.js';

describe('text sink', () => {
  it('batches small pushes into few writes', async () => {
    const writes: string[] = [];
    const out = new Writable({ decodeStrings: false, write(chunk: string, _encoding, callback) { writes.push(chunk); callback(); } });
    const sink = new TextSink(out);
    for (let i = 0; i < 1000; i++) await sink.push(`line ${i}\r\n`);
    await sink.end();
    expect(writes.length).to.be.lessThan(3);
    expect(writes.join('').split('\r\n')[999]).to.equal('line 999');
  });

  it('resolves at once when the destination has room, and only after "drain" when it has none', async () => {
    const roomy = new PassThrough();
    const order: string[] = [];
    const nextTurn = new Promise<void>((resolve) => setImmediate(() => { order.push('next turn'); resolve(); }));
    await waitForDrain(roomy).then(() => order.push('resolved'));
    await nextTurn;
    expect(order, 'resolved within the same turn, without waiting for an event').to.deep.equal(['resolved', 'next turn']);
    expect(roomy.listenerCount('drain')).to.equal(0);

    const full = new PassThrough({ highWaterMark: 1 });
    full.write('xx');
    expect(full.writableNeedDrain).to.equal(true);
    let resolved = false;
    const waiting = waitForDrain(full).then(() => { resolved = true; });
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved, 'still waiting while the destination is full').to.equal(false);
    full.resume(); // the reader takes the data: "drain"
    await waiting;
    expect(resolved).to.equal(true);
    expect(full.listenerCount('drain'), 'its listeners removed').to.equal(0);
  });

  it('rejects a wait when the destination errors or closes first', async () => {
    const failing = new PassThrough({ highWaterMark: 1 });
    failing.write('x');
    const waiting = waitForDrain(failing);
    failing.destroy(new Error('socket hang up'));
    await assert.rejects(waiting, /socket hang up/);

    const closing = new PassThrough({ highWaterMark: 1 });
    closing.write('x');
    const closed = waitForDrain(closing);
    closing.destroy();
    await assert.rejects(closed, /closed before the export finished/);
  });
});
