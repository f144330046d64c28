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

  it('resolves at once when the destination has room', async () => {
    await waitForDrain(new PassThrough());
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
