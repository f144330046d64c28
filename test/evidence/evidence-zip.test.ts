import { expect } from 'chai';
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import yauzl from 'yauzl';
import { streamZip } from '../../server/evidence/evidence-zip.js';

/** A reader that takes nothing until released, then everything. */
function heldReader() {
  const chunks: Buffer[] = [];
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => { release = resolve; });
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      void released.then(() => done());
    },
  });
  return { out, release, bytes: () => Buffer.concat(chunks) };
}

describe('evidence zip streaming', () => {
  it('holds the producer back while the reader does not read: memory stays at about one file', async () => {
    const reader = heldReader();
    const zip = streamZip(reader.out, new Date('2026-06-01T00:00:00Z'));
    const files = Array.from({ length: 20 }, () => crypto.randomBytes(256 * 1024)); // incompressible
    let taken = 0;
    const producing = (async () => {
      for (const [i, data] of files.entries()) {
        await zip.add(`person-${i}.pdf`, data);
        taken += 1;
      }
      await zip.end();
    })();
    await sleep(300);
    // 5 MB offered; with nobody reading, at most a file or two has been taken in.
    expect(taken).to.be.at.most(2);
    reader.release();
    await producing;
    expect(taken).to.equal(20);
    await new Promise((resolve) => reader.out.end(resolve));
    const names = await new Promise<string[]>((resolve, reject) => {
      yauzl.fromBuffer(reader.bytes(), { lazyEntries: true }, (error, file) => {
        if (error || !file) return reject(error ?? new Error('no zip'));
        const seen: string[] = [];
        file.on('entry', (entry: yauzl.Entry) => { seen.push(entry.fileName); file.readEntry(); });
        file.on('end', () => resolve(seen));
        file.readEntry();
      });
    });
    expect(names).to.deep.equal(files.map((_, i) => `person-${i}.pdf`));
  });
});
