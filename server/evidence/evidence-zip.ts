/**
 * A zip written to an HTTP response as it is made (yazl): each file goes in as a stream, and the
 * caller waits until it has been taken into the zip before making the next one. yazl pipes entry
 * streams into its output, which is piped to the response, so a slow reader holds the producer
 * back and memory stays at about one person's files whatever the branch size.
 */
import { Readable, type Writable } from 'node:stream';
import yazl from 'yazl';

export interface StreamingZip {
  /** Adds a file; resolves once yazl has read it (or the reader went away). */
  add(name: string, data: Buffer | string): Promise<void>;
  end(): Promise<void>;
  /** The reader closed the connection before the end. */
  isClosed(): boolean;
}

export function streamZip(out: Writable, mtime: Date): StreamingZip {
  const zip = new yazl.ZipFile();
  let closed = false;
  const closedSignal = new Promise<void>((resolve) => out.once('close', () => { closed = true; resolve(); }));
  zip.outputStream.pipe(out);
  return {
    async add(name, data) {
      const source = Readable.from([typeof data === 'string' ? Buffer.from(data, 'utf8') : data]);
      const taken = new Promise<void>((resolve, reject) => { source.once('end', resolve); source.once('error', reject); });
      zip.addReadStream(source, name, { mtime, compress: true });
      await Promise.race([taken, closedSignal]);
    },
    async end() {
      const done = new Promise<void>((resolve) => zip.outputStream.once('end', resolve));
      zip.end();
      await Promise.race([done, closedSignal]);
    },
    isClosed: () => closed,
  };
}
