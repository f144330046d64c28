/**
 * Batches text into a Writable: one write per ~64 KB instead of one per row, and a promise only
 * when the destination asks the producer to wait.
 */
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

const BATCH_CHARS = 64 * 1024;

export class TextSink {
  private pending = '';

  constructor(private readonly out: Writable) {}

  push(text: string): Promise<void> | void {
    this.pending += text;
    if (this.pending.length >= BATCH_CHARS) return this.flush();
  }

  flush(): Promise<void> | void {
    if (this.pending === '') return;
    if (this.out.destroyed) return Promise.reject(closedError(this.out));
    const hasRoom = this.out.write(this.pending);
    this.pending = '';
    if (!hasRoom) return waitForDrain(this.out);
  }

  async end(): Promise<void> {
    await this.flush();
    await endOutput(this.out);
  }
}

/** Resolves when `out` may take more; rejects if it fails or closes first (client gone). */
export function waitForDrain(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(closedError(out));
  if (!out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(closedError(out));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

export async function endOutput(out: Writable): Promise<void> {
  if (out.destroyed) throw closedError(out);
  out.end();
  await finished(out, { readable: false });
}

function closedError(out: Writable): Error {
  return out.errored ?? new Error('The export destination closed before the export finished');
}
